package io.ringwall.sim.scenario;

import io.ringwall.node.ClusterSettings;
import io.ringwall.node.NodeConfig;
import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.NodeFactory;
import io.ringwall.sim.SimLink;
import io.ringwall.sim.SimNode;
import io.ringwall.sim.SimSegment;
import io.ringwall.sim.host.SimHost;
import io.ringwall.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster of gateways sharing three segments: clients (wan, 10.1.0.0/24, VIP 10.1.0.1), servers (lan,
 * 10.2.0.0/24, VIP 10.2.0.1) and a dedicated cluster network (10.9.0.0/24, no VIPs). Node k (1-based) has
 * the own addresses 10.1.0.(100+k), 10.2.0.(100+k) and 10.9.0.k; cluster traffic runs over all three.
 */
public final class ClusterTopology {
    public static final int CLIENT_SUBNET = GatewayTopology.CLIENT_SUBNET;
    public static final int SERVER_SUBNET = GatewayTopology.SERVER_SUBNET;
    public static final int CLUSTER_SUBNET = Ipv4Address.parse("10.9.0.0");
    public static final int CLIENT_VIP = GatewayTopology.CLIENT_VIP;
    public static final int SERVER_VIP = GatewayTopology.SERVER_VIP;
    public static final int CLUSTER_PORT = 7400;
    /** The two-node tie-breaker target (an upstream router on the client segment), when a scenario asks for it. */
    public static final int TIE_BREAKER = CLIENT_SUBNET + 254;
    public static final long TIE_BREAKER_INTERVAL_NS = ClusterSettings.TieBreaker.DEFAULT_INTERVAL_NS;
    public static final String SECRET = "simulated-cluster-secret-0123456789";
    public static final String RULES = "policy drop\naccept state established,related\naccept in wan out lan\n"
            + "accept proto icmp\n";

    public final SimSegment clientSegment;
    public final SimSegment serverSegment;
    public final SimSegment clusterSegment;
    public final List<SimNode> gateways = new ArrayList<>();
    public final List<SimHost> clients = new ArrayList<>();
    public final List<SimHost> servers = new ArrayList<>();
    /** The host answering the tie-breaker's pings, or null. */
    public final SimHost tieBreaker;
    private long bootEpoch;
    private final int vipGroups;

    /** Timers of the ring: hop and ack timeout in ms, and how long a started node counts as fresh (fresh_node_s). */
    public record Timers(long hopMs, long ackTimeoutMs, long freshNodeMs) {
        public static final Timers DEFAULT = new Timers(10, 30);
        public static final Timers FAST = new Timers(2, 5);

        public Timers(long hopMs, long ackTimeoutMs) {
            this(hopMs, ackTimeoutMs, ClusterSettings.DEFAULT_FRESH_NODE_NS / 1_000_000L);
        }

        public Timers withFreshNodeMs(long ms) {
            return new Timers(hopMs, ackTimeoutMs, ms);
        }
    }

    public ClusterTopology(ScenarioContext ctx, int gatewayCount, int clientCount, int serverCount, LinkProfile profile,
                           Timers timers) {
        this(ctx, gatewayCount, clientCount, serverCount, profile, timers, "majority");
    }

    public ClusterTopology(ScenarioContext ctx, int gatewayCount, int clientCount, int serverCount, LinkProfile profile,
                           Timers timers, String quorum) {
        this(ctx, gatewayCount, clientCount, serverCount, profile, timers, quorum, RULES, false);
    }

    /**
     * With the rule set {@code rules} on every gateway (e.g. with {@code sync strict} rules) and, with
     * {@code tieBreaker}, a host at {@link #TIE_BREAKER} on the client segment, configured as the ping target.
     */
    public ClusterTopology(ScenarioContext ctx, int gatewayCount, int clientCount, int serverCount, LinkProfile profile,
                           Timers timers, String quorum, String rules, boolean tieBreaker) {
        this(ctx, gatewayCount, clientCount, serverCount, profile, timers, quorum, rules, tieBreaker, 1);
    }

    /**
     * With {@code vipGroups} VIPs per subnet (the k-th VIP is {@code CLIENT_VIP + k} and {@code SERVER_VIP + k}):
     * client i uses group {@code i % vipGroups} as its gateway, every server group 0. With two or more groups on
     * different gateways the cluster is active/active and half the clients' return traffic arrives at a node that
     * did not see their outbound packets: flow buckets (SPEC §5.1) must bring both directions to one node.
     */
    public ClusterTopology(ScenarioContext ctx, int gatewayCount, int clientCount, int serverCount, LinkProfile profile,
                           Timers timers, String quorum, String rules, boolean tieBreaker, int vipGroups) {
        this.vipGroups = vipGroups;
        clientSegment = new SimSegment(ctx.simulation(), "clients");
        serverSegment = new SimSegment(ctx.simulation(), "servers");
        clusterSegment = new SimSegment(ctx.simulation(), "cluster");
        List<ClusterSettings.Member> members = new ArrayList<>();
        for (int k = 1; k <= gatewayCount; k++) {
            members.add(new ClusterSettings.Member(k - 1, "gw" + k,
                    List.of(CLIENT_SUBNET + 100 + k, SERVER_SUBNET + 100 + k, CLUSTER_SUBNET + k)));
        }
        // every (re)start of a node gets a newer boot epoch, as wall-clock seconds would on a real host
        NodeFactory restarting = (config, effects, prng) -> ctx.nodeFactory().create(
                config.withCluster(config.cluster().withBootEpoch(++bootEpoch)), effects, prng);
        for (int k = 1; k <= gatewayCount; k++) {
            ClusterSettings settings = new ClusterSettings(k - 1, members, CLUSTER_PORT,
                    SECRET.getBytes(StandardCharsets.UTF_8), timers.hopMs() * 1_000_000L,
                    timers.ackTimeoutMs() * 1_000_000L, 0, quorum, "sim-cluster-v1", 0)
                    .withFreshNode(timers.freshNodeMs() * 1_000_000L);
            if (tieBreaker) {
                settings = settings.withTieBreaker(new ClusterSettings.TieBreaker(0, TIE_BREAKER, TIE_BREAKER_INTERVAL_NS,
                        ClusterSettings.TieBreaker.DEFAULT_TIMEOUT_NS, ClusterSettings.TieBreaker.DEFAULT_MISSES));
            }
            gateways.add(ctx.addNode(new SimNode(ctx.simulation(), nodeConfig(ctx, k, settings, rules, vipGroups), restarting,
                    new SimSegment[] {clientSegment, serverSegment, clusterSegment}, profile)));
        }
        this.tieBreaker = !tieBreaker ? null : ctx.addHost(new SimHost(ctx.simulation(), "tie-breaker", ctx.nextMac(),
                TIE_BREAKER, 24, CLIENT_VIP, clientSegment, profile));
        for (int i = 0; i < clientCount; i++) {
            clients.add(ctx.addHost(new SimHost(ctx.simulation(), "client-" + (i + 1), ctx.nextMac(),
                    CLIENT_SUBNET + GatewayTopology.FIRST_HOST + i, 24, CLIENT_VIP + i % vipGroups, clientSegment, profile)));
        }
        for (int i = 0; i < serverCount; i++) {
            servers.add(ctx.addHost(new SimHost(ctx.simulation(), "server-" + (i + 1), ctx.nextMac(),
                    SERVER_SUBNET + GatewayTopology.FIRST_HOST + i, 24, SERVER_VIP, serverSegment, profile)));
        }
    }

    private static NodeConfig nodeConfig(ScenarioContext ctx, int k, ClusterSettings settings, String rules, int vipGroups) {
        var wan = new NodeConfig.InterfaceConfig(0, "wan", ctx.nextMac(), GatewayTopology.MTU, CLIENT_SUBNET, 24,
                CLIENT_SUBNET + 100 + k, vips(CLIENT_VIP, vipGroups));
        var lan = new NodeConfig.InterfaceConfig(1, "lan", ctx.nextMac(), GatewayTopology.MTU, SERVER_SUBNET, 24,
                SERVER_SUBNET + 100 + k, vips(SERVER_VIP, vipGroups));
        var cluster = new NodeConfig.InterfaceConfig(2, "cluster", ctx.nextMac(), GatewayTopology.MTU, CLUSTER_SUBNET,
                24, CLUSTER_SUBNET + k, List.of());
        return new NodeConfig("gw" + k, List.of(wan, lan, cluster), List.of(),
                new NodeConfig.RulesSource("rules.txt", rules), NodeConfig.DataplaneLimits.defaults(), settings);
    }

    static List<Integer> vips(int first, int count) {
        List<Integer> vips = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            vips.add(first + g);
        }
        return vips;
    }

    /** The VIPs per interface (wan, lan, cluster), for the ownership invariant. */
    public int[][] vipsByInterface() {
        return new int[][] {
                vips(CLIENT_VIP, vipGroups).stream().mapToInt(Integer::intValue).toArray(),
                vips(SERVER_VIP, vipGroups).stream().mapToInt(Integer::intValue).toArray(), {}};
    }

    /** All links of a gateway: cutting them all at once is a crash as the network sees it, with the node still running. */
    public List<SimLink> linksOf(SimNode gateway) {
        List<SimLink> links = new ArrayList<>();
        for (int i = 0; i < gateway.config().interfaces().size(); i++) {
            links.add(gateway.link(i));
        }
        return links;
    }
}
