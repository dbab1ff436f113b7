package io.ringwall.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: client namespace — a Ringwall node ({@code ringwall run} in its own namespace, AF_PACKET on
 * veths, kernel forwarding off) — server namespace. Real curl, HTTP server, TCP stream and ping go through it.
 * Traffic stays between the namespaces this test creates; all of them are removed afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayNetnsTest {
    private static final String CLIENT_NS = "rwte-c";
    private static final String GATEWAY_NS = "rwte-g";
    private static final String SERVER_NS = "rwte-s";
    private static final String CLIENT = "10.91.1.10";
    private static final String SERVER = "10.91.2.10";
    private static final String RULES = """
            policy drop
            accept state established,related
            accept in wan out lan proto tcp dport 8080,5201
            reject in wan out lan proto tcp dport 9001
            accept proto icmp icmp-type echo-request
            """;
    private static final String CONFIG = """
            [cluster]
            name = "e2e"

            [[nodes]]
            name = "gw1"
            [nodes.devices]
            wan = "rwte-g0"
            lan = "rwte-g1"

            [[interfaces]]
            name = "wan"
            subnet = "10.91.1.0/24"
            vips = ["10.91.1.1"]

            [[interfaces]]
            name = "lan"
            subnet = "10.91.2.0/24"
            vips = ["10.91.2.1"]

            [filter]
            rules = "rules.conf"
            """;

    @TempDir
    static Path dir;
    private static Process node;
    private static Process httpServer;
    private static Path nodeLog;

    @BeforeAll
    static void buildTopologyAndStartNode() throws Exception {
        assumeTrue(Netns.available(), "needs root and iproute2");
        assumeTrue(Netns.hasTool("curl") && Netns.hasTool("python3") && Netns.hasTool("ping"), "needs curl, python3, ping");
        removeNamespaces();
        Netns.must(String.join("\n",
                "set -e",
                "ip netns add " + CLIENT_NS, "ip netns add " + GATEWAY_NS, "ip netns add " + SERVER_NS,
                "ip link add rwte-c0 netns " + CLIENT_NS + " type veth peer name rwte-g0 netns " + GATEWAY_NS,
                "ip link add rwte-s0 netns " + SERVER_NS + " type veth peer name rwte-g1 netns " + GATEWAY_NS,
                "ip -n " + CLIENT_NS + " addr add " + CLIENT + "/24 dev rwte-c0",
                "ip -n " + SERVER_NS + " addr add " + SERVER + "/24 dev rwte-s0",
                "for ns in " + CLIENT_NS + " " + GATEWAY_NS + " " + SERVER_NS + "; do ip -n $ns link set lo up; done",
                "ip -n " + CLIENT_NS + " link set rwte-c0 up", "ip -n " + SERVER_NS + " link set rwte-s0 up",
                "ip -n " + GATEWAY_NS + " link set rwte-g0 up", "ip -n " + GATEWAY_NS + " link set rwte-g1 up",
                "ip netns exec " + GATEWAY_NS + " sysctl -qw net.ipv4.ip_forward=0",
                "ip -n " + CLIENT_NS + " route add default via 10.91.1.1",
                "ip -n " + SERVER_NS + " route add default via 10.91.2.1"));
        Files.writeString(dir.resolve("rules.conf"), RULES);
        Files.writeString(dir.resolve("ringwall.toml"), CONFIG);
        Files.writeString(dir.resolve("index.html"), "hello through ringwall\n");

        nodeLog = dir.resolve("node.log");
        node = Netns.startRingwall(GATEWAY_NS, dir.resolve("ringwall.toml"), "gw1", nodeLog);
        httpServer = Netns.inNsProcess(SERVER_NS, "python3", "-m", "http.server", "8080",
                "--bind", SERVER, "--directory", dir.toString())
                .redirectOutput(dir.resolve("http.log").toFile()).start();
        waitForGateway();
    }

    private static void waitForGateway() throws Exception {
        for (int attempt = 0; attempt < 30; attempt++) {
            if (!node.isAlive()) {
                throw new IllegalStateException("ringwall run exited: " + Files.readString(nodeLog));
            }
            if (Netns.inNs(CLIENT_NS, 5, "ping", "-c", "1", "-W", "1", "10.91.1.1").exitCode() == 0) {
                return;
            }
        }
        throw new IllegalStateException("gateway VIP never answered ping; node log:\n" + Files.readString(nodeLog));
    }

    @AfterAll
    static void tearDown() throws Exception {
        Netns.stop(httpServer);
        Netns.stop(node);
        if (Netns.available()) {
            removeNamespaces();
        }
    }

    private static void removeNamespaces() throws Exception {
        Netns.deleteNamespaces(CLIENT_NS, GATEWAY_NS, SERVER_NS);
    }

    @Test
    @Order(1)
    void pingPassesWhenAllowed() throws Exception {
        Netns.Result r = Netns.inNs(CLIENT_NS, 15, "ping", "-c", "3", "-i", "0.2", "-W", "2", SERVER);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("3 received");
    }

    @Test
    @Order(2)
    void curlFetchesFromRealHttpServerThroughTheGateway() throws Exception {
        Netns.Result r = null;
        for (int attempt = 0; attempt < 10; attempt++) { // the python server may still be starting
            r = Netns.inNs(CLIENT_NS, 10, "curl", "-sS", "--max-time", "5", "http://" + SERVER + ":8080/index.html");
            if (r.exitCode() == 0) {
                break;
            }
            Thread.sleep(300);
        }
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).isEqualTo("hello through ringwall\n");
    }

    @Test
    @Order(3)
    void bulkTcpStreamPassesIntact() throws Exception {
        // 32 MiB of random data, sent by the client, hashed on both sides (GSO super-frames cross the node).
        String receiver = "import socket,hashlib\n"
                + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('" + SERVER + "',5201)); s.listen(1)\n"
                + "s.settimeout(30); c,_=s.accept(); c.settimeout(30); h=hashlib.sha256()\n"
                + "while True:\n  b=c.recv(1<<16)\n  if not b: break\n  h.update(b)\n"
                + "print(h.hexdigest())\n";
        String sender = "import socket,hashlib,os,time\n"
                + "data=os.urandom(32<<20); print(hashlib.sha256(data).hexdigest())\n"
                + "for i in range(50):\n  try:\n    c=socket.create_connection(('" + SERVER + "',5201), timeout=10); break\n"
                + "  except OSError: time.sleep(0.1)\n"
                + "c.sendall(data); c.close()\n";
        Process server = Netns.inNsProcess(SERVER_NS, "python3", "-c", receiver).start();
        Netns.Result sent = Netns.inNs(CLIENT_NS, 60, "python3", "-c", sender);
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String received = new String(server.getInputStream().readAllBytes()).trim();
        assertThat(sent.exitCode()).as(sent.output()).isZero();
        assertThat(received).isEqualTo(sent.output().trim());
    }

    @Test
    @Order(4)
    void rejectedPortIsRefusedAtOnce() throws Exception {
        Netns.Result r = Netns.inNs(CLIENT_NS, 10, "curl", "-sS", "--max-time", "5", "http://" + SERVER + ":9001/");
        assertThat(r.exitCode()).as("curl exit 7 = connection refused (RST): " + r.output()).isEqualTo(7);
    }

    @Test
    @Order(5)
    void droppedPortTimesOut() throws Exception {
        Netns.Result r = Netns.inNs(CLIENT_NS, 10, "curl", "-sS", "--connect-timeout", "2", "http://" + SERVER + ":9002/");
        assertThat(r.exitCode()).as("curl exit 28 = timeout (silently dropped): " + r.output()).isEqualTo(28);
    }

    @Test
    @Order(6)
    void sigtermStopsTheNodeCleanly() throws Exception {
        node.destroy();
        assertThat(node.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(Files.readString(nodeLog)).isZero();
        assertThat(Files.readString(nodeLog)).contains("stopped");
    }
}
