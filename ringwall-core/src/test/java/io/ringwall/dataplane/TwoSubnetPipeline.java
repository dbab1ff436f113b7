package io.ringwall.dataplane;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.ConntrackConfig;
import io.ringwall.node.Effects;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeConfig;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A bare forwarding pipeline for dataplane tests: "wan" 10.1.0.0/24 (own address .100) and "lan" 10.2.0.0/24 (.100),
 * rules "policy drop; accept in wan out lan proto udp"; it records the interface of every frame it sends.
 */
final class TwoSubnetPipeline {
    static final long WAN_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final long LAN_MAC = MacAddress.parse("02:00:00:00:00:02");

    private TwoSubnetPipeline() {
    }

    /** A pipeline with the given VIPs on wan and lan; every frame it sends adds its interface to {@code sentOn}. */
    static ForwardingPipeline create(List<Integer> wanVips, List<Integer> lanVips, List<Integer> sentOn) {
        return create(wanVips, lanVips, sentOn, new DataplaneCounters(2));
    }

    /** As {@link #create(List, List, List)}, counting into {@code counters}. */
    static ForwardingPipeline create(List<Integer> wanVips, List<Integer> lanVips, List<Integer> sentOn,
                                     DataplaneCounters counters) {
        return create(wanVips, lanVips, sentOn, counters, new Conntrack(ConntrackConfig.defaults()),
                "policy drop\naccept in wan out lan proto udp\n");
    }

    /** As {@link #create(List, List, List, DataplaneCounters)}, with this connection table and rule set. */
    static ForwardingPipeline create(List<Integer> wanVips, List<Integer> lanVips, List<Integer> sentOn,
                                     DataplaneCounters counters, Conntrack conntrack, String rules) {
        NodeConfig config = new NodeConfig("gw1", List.of(
                new NodeConfig.InterfaceConfig(0, "wan", WAN_MAC, 1500, Ipv4Address.parse("10.1.0.0"), 24,
                        Ipv4Address.parse("10.1.0.100"), wanVips),
                new NodeConfig.InterfaceConfig(1, "lan", LAN_MAC, 1500, Ipv4Address.parse("10.2.0.0"), 24,
                        Ipv4Address.parse("10.2.0.100"), lanVips)),
                List.of(), new NodeConfig.RulesSource("rules.conf", rules),
                NodeConfig.DataplaneLimits.defaults());
        Effects effects = new Effects() {
            @Override
            public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
                sentOn.add(ifIndex);
            }

            @Override
            public void log(String event, String detail) {
            }
        };
        return new ForwardingPipeline(config, effects, counters, new LocalAddresses(config.interfaces()),
                conntrack, GatewayNode.compileRules(config));
    }
}
