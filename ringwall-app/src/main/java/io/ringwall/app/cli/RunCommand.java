package io.ringwall.app.cli;

import io.ringwall.app.config.ClusterConfig;
import io.ringwall.app.mgmt.HostPort;
import io.ringwall.app.mgmt.ManagementBackend;
import io.ringwall.app.mgmt.ManagementServer;
import io.ringwall.app.config.ConfigException;
import io.ringwall.app.config.ConfigLoader;
import io.ringwall.linux.InterfaceInfo;
import io.ringwall.linux.LinuxDriver;
import io.ringwall.linux.StartupException;
import io.ringwall.node.ForwardingWarmup;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeConfig;
import io.ringwall.sim.scenario.ClusterWarmup;
import io.ringwall.time.Prng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringwall run --config FILE --node NAME}: runs one real gateway node on this host. */
@Command(name = "run", description = "Run a gateway node on this host (needs root or CAP_NET_RAW+CAP_NET_ADMIN).")
public final class RunCommand implements Callable<Integer> {
    /** How long SIGTERM waits for the data-plane loop to finish its cycle and close its sockets. */
    private static final long SHUTDOWN_WAIT_MS = 2_000;
    /** A warm-up longer than this only delays the start: the JIT has long compiled the path. */
    private static final int MAX_WARMUP_FLOWS = 1_000_000;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the cluster TOML file")
    Path file;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "this host's name in the node map")
    String nodeName;

    @Option(names = "--loop-priority", paramLabel = "nice|fifo", defaultValue = "fifo",
            converter = LoopPriorityConverter.class,
            description = "scheduling of the data-plane loop thread: fifo (SCHED_FIFO 10, default: token timing and "
                    + "forwarding hold when the host is busy; it stays inside the kernel's real-time budget) or nice "
                    + "(-10, for hosts where the gateway must yield to other work)")
    LinuxDriver.LoopPriority loopPriority;

    @Option(names = "--warmup-flows", paramLabel = "N", defaultValue = "" + ForwardingWarmup.DEFAULT_FLOWS,
            description = "synthetic connections run through a throwaway copy of the forwarding path before the node "
                    + "starts, so a standby forwards at full speed the moment it takes over (default: ${DEFAULT-VALUE};"
                    + " 0: none)")
    int warmupFlows;

    @Option(names = "--cluster-warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "run the cluster code (ring, messaging, VIP and bucket roles, state sync) in a throwaway "
                    + "simulated cluster before the node joins the real one, so a restarted node keeps up with the "
                    + "ring's timers from its first token (default: on; a few seconds at start)")
    boolean clusterWarmup;

    /** The cluster warm-up starts no further scenario after this long. */
    private static final long CLUSTER_WARMUP_BUDGET_NS = 10_000_000_000L;

    /** Accepts the lower-case names shown in --help. */
    static final class LoopPriorityConverter implements picocli.CommandLine.ITypeConverter<LinuxDriver.LoopPriority> {
        @Override
        public LinuxDriver.LoopPriority convert(String value) {
            return switch (value) {
                case "nice" -> LinuxDriver.LoopPriority.NICE;
                case "fifo" -> LinuxDriver.LoopPriority.FIFO;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a loop priority (expected nice or fifo)");
            };
        }
    }

    @Override
    public Integer call() {
        if (warmupFlows < 0 || warmupFlows > MAX_WARMUP_FLOWS) {
            System.err.println("ringwall run: --warmup-flows must be 0.." + MAX_WARMUP_FLOWS + " (got " + warmupFlows
                    + ")");
            return 2;
        }
        ClusterConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        ClusterConfig.NodeEntry node = config.node(nodeName).orElse(null);
        if (node == null) {
            System.err.println(file + ": node '" + nodeName + "' is not in the node map (known: "
                    + config.nodes().stream().map(ClusterConfig.NodeEntry::name).toList() + ")");
            return 1;
        }
        List<String> devices = config.devicesOf(node);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                if (finished.await(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    // The loop stopped and closed its sockets: a requested stop is a successful exit (0, not 143).
                    System.err.flush();
                    Runtime.getRuntime().halt(0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ringwall-shutdown");
        try (LinuxDriver driver = LinuxDriver.open(devices)) {
            List<InterfaceInfo> infos = driver.interfaces();
            long[] macs = infos.stream().mapToLong(InterfaceInfo::mac).toArray();
            int[] mtus = infos.stream().mapToInt(InterfaceInfo::mtu).toArray();
            NodeConfig configured = config.nodeConfig(node, macs, mtus);
            // Every start gets a newer boot epoch (wall-clock seconds), so peers tell a restart from a replay.
            NodeConfig nodeConfig = configured.cluster() == null ? configured
                    : configured.withCluster(configured.cluster().withBootEpoch(System.currentTimeMillis() / 1000));
            warmUp(nodeConfig);
            warmUpCluster(nodeConfig);
            Runtime.getRuntime().addShutdownHook(hook);
            System.err.println("ringwall: node " + nodeName + " running on " + devices + " (SIGTERM to stop)");
            Prng prng = new Prng(System.nanoTime() ^ nodeName.hashCode());
            try (ManagementServer management = startManagement(config, driver)) {
                driver.withPriority(loopPriority).run(effects -> new GatewayNode(nodeConfig, effects, prng), stop::get);
            }
            System.err.println("ringwall: node " + nodeName + " stopped");
            return 0;
        } catch (StartupException e) {
            System.err.println("ringwall: cannot start node " + nodeName + ":");
            System.err.println(e.getMessage());
            return 2;
        } finally {
            finished.countDown();
        }
    }

    /** Before the node takes part: a failure here costs only speed, so it is reported and the node starts anyway. */
    private void warmUp(NodeConfig nodeConfig) {
        if (warmupFlows <= 0) {
            return;
        }
        long start = System.nanoTime();
        try {
            ForwardingWarmup.Result r = ForwardingWarmup.run(nodeConfig, warmupFlows);
            System.err.println("ringwall: forwarding path warmed up in " + (System.nanoTime() - start) / 1_000_000
                    + " ms: " + r.describe());
        } catch (RuntimeException e) {
            System.err.println("ringwall: forwarding warm-up skipped (" + e + "); the first forwarded packets will be"
                    + " slower");
        }
    }

    /** Only a cluster member has a ring to keep up with; a failure here too costs only speed. */
    private void warmUpCluster(NodeConfig nodeConfig) {
        if (!clusterWarmup || nodeConfig.cluster() == null) {
            return;
        }
        try {
            ClusterWarmup.Result r = ClusterWarmup.run(GatewayNode::new, CLUSTER_WARMUP_BUDGET_NS, System::nanoTime);
            System.err.println("ringwall: cluster code warmed up in " + r.elapsedNs() / 1_000_000 + " ms: "
                    + r.describe());
        } catch (RuntimeException | OutOfMemoryError e) {
            // Optional work: what it allocated is garbage once it returns, so even a full heap is no reason to stop.
            System.err.println("ringwall: cluster warm-up skipped (" + e + "); a restarted node may drop out of the"
                    + " ring once or twice before it keeps up");
        }
    }

    /**
     * The management listener; a node that cannot bind it still forwards traffic (the data plane matters
     * more), so a bind failure is reported and the node runs without it (null closes as a no-op).
     */
    private ManagementServer startManagement(ClusterConfig config, LinuxDriver driver) {
        HostPort listen = config.management().listen();
        try {
            ManagementServer server = ManagementServer.start(listen, ManagementBackend.of(driver.commands()));
            System.err.println("ringwall: management listener on http://" + listen + "/v1/status");
            return server;
        } catch (IOException | RuntimeException e) {
            System.err.println("ringwall: management listener NOT started on " + listen + ": " + e
                    + " (the node runs without it; `ringwall status` cannot reach it)");
            return null;
        }
    }
}
