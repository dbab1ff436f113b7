package io.ringwall.node;

import java.util.List;

/**
 * Validated configuration of one node, built at the edge (the app's TOML loader, the simulator's
 * scenario builder). IPv4 addresses are ints in network order (a.b.c.d = a<<24|b<<16|c<<8|d);
 * MAC addresses are the low 48 bits of a long.
 *
 * @param nodeName    this node's name in the node map
 * @param interfaces  data interfaces; {@code interfaces.get(i).index() == i}
 * @param routes      static routes (connected subnets are implied by the interfaces)
 * @param rules       the rule-set source, compiled by the node
 * @param limits      bounds of the data plane
 * @param cluster     cluster membership settings, or {@code null} for a stand-alone node (alone mode)
 */
public record NodeConfig(String nodeName, List<InterfaceConfig> interfaces, List<StaticRoute> routes,
                         RulesSource rules, DataplaneLimits limits, ClusterSettings cluster) {
    /** A stand-alone node: no cluster, it owns every VIP. */
    public NodeConfig(String nodeName, List<InterfaceConfig> interfaces, List<StaticRoute> routes,
                      RulesSource rules, DataplaneLimits limits) {
        this(nodeName, interfaces, routes, rules, limits, null);
    }

    /**
     * The same node with its flow tables capped at {@code maxFlows} slots: the throwaway nodes of the warm-ups
     * must fit next to the real node's own tables.
     */
    public NodeConfig withMaxFlowsAtMost(int maxFlows) {
        DataplaneLimits capped = new DataplaneLimits(Math.min(limits.maxFlows(), maxFlows), limits.arpCacheEntries(),
                limits.arpPendingPerNeighbour(), limits.icmpErrorsPerSecond());
        return new NodeConfig(nodeName, interfaces, routes, rules, capped, cluster);
    }

    /** The same node with other cluster settings (a boot epoch, a test's variation). */
    public NodeConfig withCluster(ClusterSettings settings) {
        return new NodeConfig(nodeName, interfaces, routes, rules, limits, settings);
    }

    public NodeConfig {
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i).index() != i) {
                throw new IllegalArgumentException("interface " + interfaces.get(i).name() + " has index "
                        + interfaces.get(i).index() + ", expected " + i);
            }
        }
    }

    /** A data interface: its subnet, this node's own address on it (0 if none) and the VIPs of the subnet. */
    public record InterfaceConfig(int index, String name, long mac, int mtu, int subnetAddress, int prefixLength,
                                  int ownAddress, List<Integer> vips) {
        public InterfaceConfig {
            vips = List.copyOf(vips);
            if (prefixLength < 0 || prefixLength > 32) {
                throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
            }
        }
    }

    /** {@code destination/prefixLength via gateway}, leaving through interface {@code ifIndex}. */
    public record StaticRoute(int destination, int prefixLength, int gateway, int ifIndex) {
    }

    /** Rule-set text and the file name used in error messages. */
    public record RulesSource(String fileName, String text) {
    }

    /** Named bounds (ARCHITECTURE.md §2 rule 4). */
    public record DataplaneLimits(int maxFlows, int arpCacheEntries, int arpPendingPerNeighbour,
                                  int icmpErrorsPerSecond) {
        public static DataplaneLimits defaults() {
            return new DataplaneLimits(262_144, 1024, 16, 100);
        }
    }
}
