package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.Effects;
import io.ringwall.node.NodeMachine;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Namespaces A (10.77.1.2) and B (10.77.1.3) on one subnet, joined only THROUGH a LinuxDriver
 * in this JVM that runs a test L2 bridge node. Ping and a TCP transfer (which the veths carry
 * as TSO/GSO super-frames with CHECKSUM_PARTIAL) must pass intact.
 */
class LinuxDriverEndToEndTest {
    private static final long TRANSFER_BYTES = 24L * 1024 * 1024;
    private static final long TICK_INTERVAL_NS = 10_000_000L;
    private static final long DRIVER_JOIN_MS = 5_000;
    private static String nsA;
    private static String nsB;
    private static String gwA;
    private static String gwB;
    private static LinuxDriver driver;
    private static Thread driverThread;
    private static final AtomicBoolean STOP = new AtomicBoolean();
    private static final AtomicLong TICKS = new AtomicLong();
    private static final AtomicReference<Throwable> DRIVER_FAILURE = new AtomicReference<>();

    /** Pure L2 forwarder between interfaces 0 and 1 that keeps offload flags; ticks every 10 ms. */
    static final class L2BridgeNode implements NodeMachine {
        private final Effects effects;
        private long nextTickNs;

        L2BridgeNode(Effects effects) {
            this.effects = effects;
        }

        @Override
        public void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags) {
            effects.sendFrame(1 - ifIndex, frame, length, offloadFlags);
            if (nextTickNs == 0) {
                nextTickNs = nowNs + TICK_INTERVAL_NS;
            }
        }

        @Override
        public void onTick(long nowNs) {
            TICKS.incrementAndGet();
            nextTickNs = nowNs + TICK_INTERVAL_NS;
        }

        @Override
        public long nextDeadlineNs() {
            return nextTickNs == 0 ? Long.MAX_VALUE : nextTickNs;
        }
    }

    @BeforeAll
    static void buildTopologyAndStartDriver() throws Exception {
        HostNetwork.assumeRootWithIp();
        String suffix = HostNetwork.uniqueSuffix();
        nsA = "rwtA" + suffix;
        nsB = "rwtB" + suffix;
        gwA = "rwtga" + suffix;
        gwB = "rwtgb" + suffix;
        HostNetwork.ok("ip", "netns", "add", nsA);
        HostNetwork.ok("ip", "netns", "add", nsB);
        attach(nsA, gwA, "10.77.1.2/24");
        attach(nsB, gwB, "10.77.1.3/24");

        driver = LinuxDriver.open(List.of(gwA, gwB));
        assertThat(driver.interfaces()).extracting(InterfaceInfo::device).containsExactly(gwA, gwB);
        driverThread = new Thread(() -> {
            try {
                driver.run(L2BridgeNode::new, STOP::get);
            } catch (Throwable t) {
                DRIVER_FAILURE.set(t);
            }
        }, "rwt-driver");
        driverThread.start();
    }

    /** A veth from the root namespace (gateway side, no IP, forwarding off) into {@code ns}. */
    private static void attach(String ns, String gatewaySide, String address) throws Exception {
        String inside = gatewaySide + "n";
        HostNetwork.ok("ip", "link", "add", gatewaySide, "type", "veth", "peer", "name", inside, "netns", ns);
        HostNetwork.writeSysctl("net/ipv4/conf/" + gatewaySide + "/forwarding", "0");
        HostNetwork.writeSysctl("net/ipv6/conf/" + gatewaySide + "/disable_ipv6", "1");
        HostNetwork.ok("ip", "link", "set", gatewaySide, "up");
        HostNetwork.ok("ip", "-n", ns, "addr", "add", address, "dev", inside);
        HostNetwork.ok("ip", "-n", ns, "link", "set", inside, "up");
        HostNetwork.ok("ip", "-n", ns, "link", "set", "lo", "up");
    }

    @AfterAll
    static void stopDriverAndDeleteTopology() throws Exception {
        STOP.set(true);
        try {
            if (driverThread != null) {
                driverThread.join(DRIVER_JOIN_MS);
            }
            if (driver != null && (driverThread == null || !driverThread.isAlive())) {
                driver.close();
            }
        } finally {
            // Deleting a namespace deletes the veth ends inside it, and with them their peers.
            if (nsA != null) {
                HostNetwork.quietly("ip", "netns", "del", nsA);
            }
            if (nsB != null) {
                HostNetwork.quietly("ip", "netns", "del", nsB);
            }
            HostNetwork.quietly("ip", "link", "del", gwA == null ? "rwt-none" : gwA);
            HostNetwork.quietly("ip", "link", "del", gwB == null ? "rwt-none" : gwB);
        }
        assertThat(driverThread == null || !driverThread.isAlive()).as("driver thread stopped").isTrue();
    }

    @Test
    void pingCrossesTheDriverBridge() {
        HostNetwork.Result ping = HostNetwork.run(20, "ip", "netns", "exec", nsA, "ping", "-c", "3", "-W", "1",
                "10.77.1.3");

        assertThat(ping.status()).as(ping.output()).isZero();
        assertThat(ping.output()).contains("3 received");
        assertThat(driver.counters().rxFrames(0)).isPositive();
        assertThat(driver.counters().txFrames(1)).isPositive();
        assertThat(DRIVER_FAILURE.get()).isNull();
    }

    @Test
    void tcpTransferPassesIntactAsGsoSuperFrames() throws Exception {
        Path server = Files.createTempFile("rwt-tcp-server", ".py");
        Path client = Files.createTempFile("rwt-tcp-client", ".py");
        try {
            Files.writeString(server, """
                    import hashlib, socket, sys
                    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    s.bind(("10.77.1.3", 5201)); s.listen(1); s.settimeout(20)
                    c, _ = s.accept(); c.settimeout(20)
                    h = hashlib.sha256(); n = 0
                    while True:
                        b = c.recv(1 << 16)
                        if not b: break
                        h.update(b); n += len(b)
                    print(n, h.hexdigest())
                    """);
            Files.writeString(client, """
                    import hashlib, random, socket, sys, time
                    total = int(sys.argv[1]); data = random.Random(7).randbytes(1 << 20)
                    for attempt in range(50):
                        try:
                            s = socket.create_connection(("10.77.1.3", 5201), timeout=20); break
                        except OSError:
                            time.sleep(0.1)
                    h = hashlib.sha256(); sent = 0
                    while sent < total:
                        s.sendall(data); h.update(data); sent += len(data)
                    s.close()
                    print(sent, h.hexdigest())
                    """);
            Process serverProcess = new ProcessBuilder("ip", "netns", "exec", nsB, "timeout", "30", "python3",
                    server.toString()).redirectErrorStream(true).start();
            HostNetwork.Result sent = HostNetwork.run(40, "ip", "netns", "exec", nsA, "timeout", "30", "python3",
                    client.toString(), Long.toString(TRANSFER_BYTES));
            boolean serverDone = serverProcess.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            if (!serverDone) {
                serverProcess.destroyForcibly();
            }
            String received = new String(serverProcess.getInputStream().readAllBytes()).trim();

            assertThat(sent.status()).as(sent.output()).isZero();
            assertThat(serverDone).isTrue();
            assertThat(received).isEqualTo(sent.output().trim());
            assertThat(received).startsWith(TRANSFER_BYTES + " ");
            DriverCounters counters = driver.counters();
            assertThat(counters.rxGsoFrames(0)).as(counters.toString()).isPositive();
            assertThat(counters.rxCsumPartialFrames(0)).as(counters.toString()).isPositive();
            assertThat(counters.txErrors(1)).as(counters.toString()).isZero();
            assertThat(TICKS.get()).as("timer ticks delivered").isPositive();
        } finally {
            Files.deleteIfExists(server);
            Files.deleteIfExists(client);
        }
    }
}
