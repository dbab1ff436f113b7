package io.ringwall.sim.scenario;

import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeStatus;
import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.Partition;
import io.ringwall.sim.SimNode;
import io.ringwall.sim.Simulation;
import io.ringwall.sim.host.SimHost;
import io.ringwall.sim.host.TcpApp;
import io.ringwall.sim.host.TcpConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * New TCP connections through a three-node cluster (SPEC §5.6): how long a client waits from its SYN to the
 * SYN-ACK when the rule holds the first packet until both backups acknowledged the flow ({@code sync strict}),
 * compared with the same rule without it. Optionally one backup is cut off just before the connections open, so
 * it never acknowledges and the held packets leave at the defer timeout. Links have the cluster scenarios' 50 µs
 * (±20 µs) latency.
 */
public final class DeferLatency {
    public static final String ASYNC_RULES = "policy drop\naccept state established,related\n"
            + "accept in wan out lan proto tcp dport 80\naccept proto icmp\n";
    public static final String STRICT_RULES = ASYNC_RULES.replace("dport 80\n", "dport 80 sync strict\n");
    public static final String OFF_RULES = ASYNC_RULES.replace("dport 80\n", "dport 80 sync off\n");
    public static final int SERVICE_PORT = 80;
    /** The ring has formed and the VIPs are owned well before this. */
    public static final long OPEN_FROM_NS = ClusterScenarios.TRAFFIC_START_NS;
    /** Connections open this far apart, so each handshake is alone (longer than the defer timeout). */
    public static final long SPACING_NS = 25_000_000L;
    /** A cut-off backup is removed from the ring after the token ack timeout; connections open before that. */
    public static final long AFTER_CUT_NS = 1_000_000L;

    private DeferLatency() {
    }

    /** Connect times (ns) and the defer counters summed over the gateways. */
    /** {@code standbyFlows}: replicas held by all gateways together at the end (what replication delivered). */
    public record Result(List<Long> connectNs, NodeStatus.Defer defer, int standbyFlows) {
        public long medianNs() {
            List<Long> sorted = connectNs.stream().sorted().toList();
            return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        }
    }

    /**
     * Opens {@code connections} connections one after the other; with {@code cutBackup} a backup's links go down
     * {@link #AFTER_CUT_NS} before the (single) connection opens.
     */
    public static Result run(long seed, String rules, int connections, boolean cutBackup) {
        return run(seed, rules, connections, cutBackup, false);
    }

    /** As above; {@code strictTcpByDefault}: the cluster's {@code default_sync = "strict"}. */
    public static Result run(long seed, String rules, int connections, boolean cutBackup, boolean strictTcpByDefault) {
        ScenarioContext ctx = new ScenarioContext(new Simulation(seed), (config, effects, prng) -> new GatewayNode(
                config.withCluster(config.cluster().withStrictTcpByDefault(strictTcpByDefault)), effects, prng));
        ClusterTopology topo = new ClusterTopology(ctx, ClusterScenarios.GATEWAYS, 1, 1,
                LinkProfile.ideal().withLatency(50_000, 20_000), ClusterTopology.Timers.DEFAULT, "majority", rules, false);
        SimHost client = topo.clients.getFirst();
        SimHost server = topo.servers.getFirst();
        server.listen(SERVICE_PORT, TcpApp.NONE);
        Simulation sim = ctx.simulation();
        List<TcpConnection> opened = new ArrayList<>();
        if (cutBackup) {
            sim.schedule(OPEN_FROM_NS - AFTER_CUT_NS, () -> {
                SimNode owner = ClusterScenarios.vipOwner(topo);
                SimNode backup = topo.gateways.get((topo.gateways.indexOf(owner) + 1) % topo.gateways.size());
                new Partition(topo.linksOf(backup)).apply();
            });
        }
        for (int i = 0; i < connections; i++) {
            sim.schedule(OPEN_FROM_NS + i * SPACING_NS,
                    () -> opened.add(client.connect(server.address(), SERVICE_PORT, TcpApp.NONE)));
        }
        sim.runUntil(OPEN_FROM_NS + connections * SPACING_NS + 200_000_000L);
        List<Long> times = new ArrayList<>();
        for (TcpConnection c : opened) {
            if (c.establishedNs() > 0) {
                times.add(c.establishedNs() - c.createdNs());
            }
        }
        long deferred = 0;
        long ack = 0;
        long timeout = 0;
        long unsynced = 0;
        int held = 0;
        int standby = 0;
        for (SimNode g : topo.gateways) {
            if (g.machine() instanceof GatewayNode n) {
                standby += n.conntrack().standby().size();
                NodeStatus.Defer d = n.deferSnapshot();
                deferred += d.deferred();
                ack += d.releasedByAck();
                timeout += d.releasedByTimeout();
                unsynced += d.releasedUnsynced();
                held += d.held();
            }
        }
        return new Result(times, new NodeStatus.Defer(deferred, ack, timeout, unsynced, held), standby);
    }

    /** One JSON line: the median connect time with and without defer and their difference. */
    public static String measure(long seed, int connections) {
        Result strict = run(seed, STRICT_RULES, connections, false);
        Result async = run(seed, ASYNC_RULES, connections, false);
        return String.format(Locale.ROOT, "{\"defer_median_ms\":%.3f,\"strict_connect_median_ms\":%.3f,"
                        + "\"async_connect_median_ms\":%.3f,\"connections\":%d,\"released_by_ack\":%d}",
                (strict.medianNs() - async.medianNs()) / 1e6, strict.medianNs() / 1e6, async.medianNs() / 1e6,
                strict.connectNs().size(), strict.defer().releasedByAck());
    }

    public static void main(String[] args) {
        System.out.println(measure(args.length > 0 ? Long.parseLong(args[0]) : 1, 100));
    }
}
