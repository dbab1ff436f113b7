package io.ringwall.app.config;

import io.ringwall.app.mgmt.HostPort;
import io.ringwall.node.ClusterSettings;
import io.ringwall.node.NodeConfig;
import io.ringwall.wire.Ipv4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole cluster's configuration, as read from the shared TOML file (SPEC §11). Immutable; one file
 * serves every node, each selecting its own entry of the node map with {@code --node NAME}.
 */
public record ClusterConfig(Path file, String clusterName, List<NodeEntry> nodes, List<SubnetEntry> subnets,
                            List<RouteEntry> routes, NodeConfig.RulesSource rules, NodeConfig.DataplaneLimits limits,
                            ClusterOptions options, ManagementOptions management) {

    /** Without a {@code [management]} table: the listener on its default address. */
    public ClusterConfig(Path file, String clusterName, List<NodeEntry> nodes, List<SubnetEntry> subnets,
                         List<RouteEntry> routes, NodeConfig.RulesSource rules, NodeConfig.DataplaneLimits limits,
                         ClusterOptions options) {
        this(file, clusterName, nodes, subnets, routes, rules, limits, options, ManagementOptions.defaults());
    }

    /** The local management listener (REST API used by the CLI); {@code listen} is an IPv4 address and port. */
    public record ManagementOptions(HostPort listen) {
        public static ManagementOptions defaults() {
            return new ManagementOptions(HostPort.DEFAULT);
        }
    }

    /** A member of the node map: its name, its own address per interface name, and its devices by interface name. */
    public record NodeEntry(String name, Map<String, Integer> addresses, Map<String, String> devices) {
        public int addressOn(String interfaceName) {
            return addresses.getOrDefault(interfaceName, 0);
        }
    }

    /** A data subnet ("interface" in the file): name used by rules, CIDR, the VIP pool, MTU. */
    public record SubnetEntry(String name, int network, int prefixLength, List<Integer> vips, int mtu) {
    }

    /** A static route: {@code to} via {@code via}; the interface is the subnet that holds the gateway. */
    public record RouteEntry(int destination, int prefixLength, int gateway, String interfaceName) {
    }

    /**
     * Cluster options; parsed and validated now, used by the membership layer and the defer queue (SPEC §5.6).
     * {@code tieBreaker} is the two-node ping target (0 = none), probed every {@code tieBreakerIntervalMs} with an
     * answer due within {@code tieBreakerTimeoutMs}. {@code strictTcpByDefault}: {@code default_sync = "strict"}.
     */
    public record ClusterOptions(int tokenHopMs, int tokenAckTimeoutMs, int tokenLossMs, String quorum, int port,
                                 byte[] secret, int deferTimeoutMs, int tieBreaker, int tieBreakerIntervalMs,
                                 int tieBreakerTimeoutMs, boolean strictTcpByDefault, int buckets, int backupCount,
                                 int freshNodeS) {
        public static final int DEFAULT_PORT = 7400;
        public static final int DEFAULT_DEFER_TIMEOUT_MS = 20;
        public static final int DEFAULT_TIE_BREAKER_INTERVAL_MS = 200;
        public static final int DEFAULT_TIE_BREAKER_TIMEOUT_MS = 200;
        public static final int DEFAULT_FRESH_NODE_S = (int) (ClusterSettings.DEFAULT_FRESH_NODE_NS / 1_000_000_000L);

        /** With the default defer timeout and no tie-breaker. */
        public ClusterOptions(int tokenHopMs, int tokenAckTimeoutMs, int tokenLossMs, String quorum, int port,
                              byte[] secret) {
            this(tokenHopMs, tokenAckTimeoutMs, tokenLossMs, quorum, port, secret, DEFAULT_DEFER_TIMEOUT_MS, 0,
                    DEFAULT_TIE_BREAKER_INTERVAL_MS, DEFAULT_TIE_BREAKER_TIMEOUT_MS, false,
                    ClusterSettings.Distribution.DEFAULT.buckets(), ClusterSettings.Distribution.DEFAULT.backupCount(),
                    DEFAULT_FRESH_NODE_S);
        }
    }

    public Optional<NodeEntry> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The Linux devices of {@code node}, in interface order (the node-local interface index is the position). */
    public List<String> devicesOf(NodeEntry node) {
        List<String> devices = new ArrayList<>();
        for (SubnetEntry subnet : subnets) {
            devices.add(node.devices().get(subnet.name()));
        }
        return devices;
    }

    /**
     * The node-local view for {@code node}, given the MAC address and MTU of each of its devices
     * (in interface order). The node's own address on a subnet is its primary address when it lies there.
     */
    public NodeConfig nodeConfig(NodeEntry node, long[] macs, int[] mtus) {
        List<NodeConfig.InterfaceConfig> interfaces = new ArrayList<>();
        for (int i = 0; i < subnets.size(); i++) {
            SubnetEntry s = subnets.get(i);
            int own = node.addressOn(s.name());
            int mtu = Math.min(s.mtu(), mtus[i]);
            interfaces.add(new NodeConfig.InterfaceConfig(i, s.name(), macs[i], mtu, s.network(), s.prefixLength(),
                    own, s.vips()));
        }
        List<NodeConfig.StaticRoute> staticRoutes = new ArrayList<>();
        for (RouteEntry r : routes) {
            staticRoutes.add(new NodeConfig.StaticRoute(r.destination(), r.prefixLength(), r.gateway(),
                    subnetIndex(r.interfaceName())));
        }
        return new NodeConfig(node.name(), interfaces, staticRoutes, rules, limits, clusterSettings(node));
    }

    /** Cluster settings for {@code node}, or null when the node map has a single node (alone mode). */
    public ClusterSettings clusterSettings(NodeEntry node) {
        if (nodes.size() < 2) {
            return null;
        }
        List<ClusterSettings.Member> members = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeEntry n = nodes.get(i);
            List<Integer> addresses = new ArrayList<>();
            for (SubnetEntry s : subnets) {
                addresses.add(n.addressOn(s.name()));
            }
            members.add(new ClusterSettings.Member(i, n.name(), addresses));
        }
        ClusterSettings.TieBreaker tieBreaker = null;
        if (options.tieBreaker() != 0) {
            tieBreaker = new ClusterSettings.TieBreaker(subnetOf(options.tieBreaker()), options.tieBreaker(),
                    options.tieBreakerIntervalMs() * 1_000_000L, options.tieBreakerTimeoutMs() * 1_000_000L,
                    ClusterSettings.TieBreaker.DEFAULT_MISSES);
        }
        return new ClusterSettings(nodes.indexOf(node), members, options.port(), options.secret(),
                options.tokenHopMs() * 1_000_000L, options.tokenAckTimeoutMs() * 1_000_000L,
                options.tokenLossMs() * 1_000_000L, options.quorum(), digest(), 0,
                options.deferTimeoutMs() * 1_000_000L, tieBreaker, options.strictTcpByDefault(),
                new ClusterSettings.Distribution(options.buckets(), options.backupCount()),
                options.freshNodeS() * 1_000_000_000L);
    }

    /** The position of the subnet that holds {@code address}, or -1. */
    public int subnetOf(int address) {
        for (int i = 0; i < subnets.size(); i++) {
            if (Ipv4Address.inSubnet(address, subnets.get(i).network(), subnets.get(i).prefixLength())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A digest of what every node must agree on (node map, addresses, subnets, VIP pools, cluster options), so
     * nodes started with different files notice. Device names are per host and left out.
     */
    public String digest() {
        StringBuilder canonical = new StringBuilder(clusterName).append('|').append(options.port()).append('|')
                .append(options.quorum()).append('|').append(options.tokenHopMs()).append('|')
                .append(options.tokenAckTimeoutMs()).append('|').append(options.tokenLossMs()).append('|')
                .append(options.tieBreaker()).append(',').append(options.tieBreakerIntervalMs()).append(',')
                .append(options.tieBreakerTimeoutMs()).append("|buckets=").append(options.buckets()).append(',')
                .append(options.backupCount());
        for (NodeEntry n : nodes) {
            canonical.append("|node=").append(n.name());
            for (SubnetEntry s : subnets) {
                canonical.append(',').append(n.addressOn(s.name()));
            }
        }
        for (SubnetEntry s : subnets) {
            canonical.append("|if=").append(s.name()).append(',').append(s.network()).append('/').append(s.prefixLength())
                    .append(',').append(s.vips()).append(',').append(s.mtu());
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    public int subnetIndex(String name) {
        return indexOf(subnets, name);
    }

    /** The position of the subnet called {@code name}, or -1. */
    static int indexOf(List<SubnetEntry> subnets, String name) {
        for (int i = 0; i < subnets.size(); i++) {
            if (subnets.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
