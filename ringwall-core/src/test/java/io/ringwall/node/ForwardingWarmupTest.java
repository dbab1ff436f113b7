package io.ringwall.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.wire.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingWarmupTest {
    /**
     * TCP: 3 handshake + 6 data + a duplicate ACK with SACK or unknown options + 3 close; UDP 2; ping 2 — every one
     * forwarded by a node that owns its VIPs (a segment whose options did not parse would be dropped).
     */
    private static final int FORWARDED_PER_FLOW = 17;
    private static final int FLOWS = 500;

    private static NodeConfig standalone(String rules) {
        return new NodeConfig("gw2", List.of(
                new NodeConfig.InterfaceConfig(0, "wan", 0x02_00_00_00_00_01L, 1500, Ipv4Address.parse("10.1.0.0"), 24,
                        Ipv4Address.parse("10.1.0.3"), List.of(Ipv4Address.parse("10.1.0.1"))),
                new NodeConfig.InterfaceConfig(1, "lan", 0x02_00_00_00_00_02L, 1500, Ipv4Address.parse("10.2.0.0"), 24,
                        Ipv4Address.parse("10.2.0.3"), List.of(Ipv4Address.parse("10.2.0.1")))),
                List.of(), new NodeConfig.RulesSource("rules.conf", rules), NodeConfig.DataplaneLimits.defaults());
    }

    private static NodeConfig member(NodeConfig node) {
        List<ClusterSettings.Member> members = List.of(
                new ClusterSettings.Member(0, "gw1", List.of(Ipv4Address.parse("10.1.0.2"), Ipv4Address.parse("10.2.0.2"))),
                new ClusterSettings.Member(1, "gw2", List.of(Ipv4Address.parse("10.1.0.3"), Ipv4Address.parse("10.2.0.3"))),
                new ClusterSettings.Member(2, "gw3", List.of(Ipv4Address.parse("10.1.0.4"), Ipv4Address.parse("10.2.0.4"))));
        return node.withCluster(new ClusterSettings(1, members, 7946, new byte[32], 10_000_000L, 30_000_000L,
                70_000_000L, "majority", "digest", 1L));
    }

    @Test
    void aStandaloneNodesWarmupForwardsEverySyntheticConnection() {
        ForwardingWarmup.Result r = ForwardingWarmup.run(standalone("policy drop\n"), FLOWS);
        assertThat(r.flows()).isEqualTo(FLOWS);
        assertThat(r.ownedVips()).isTrue();
        assertThat(r.framesOut()).isGreaterThanOrEqualTo((long) FLOWS * FORWARDED_PER_FLOW);
    }

    @Test
    void aClusterMembersWarmupOwnsItsVipsInARingOfOneAndForwards() {
        ForwardingWarmup.Result r = ForwardingWarmup.run(member(standalone("accept state established,related\n")), FLOWS);
        assertThat(r.ownedVips()).isTrue();
        assertThat(r.framesOut()).isGreaterThanOrEqualTo((long) FLOWS * FORWARDED_PER_FLOW);
    }

    @Test
    void theThrowawayNodeIsAClusterOfOneWithTheSameTimersAndACatchAllAcceptAfterTheRules() {
        NodeConfig real = member(standalone("policy drop\n"));
        NodeConfig t = ForwardingWarmup.throwaway(real);
        assertThat(t.cluster().members()).hasSize(1);
        assertThat(t.cluster().self().addressByInterface()).isEqualTo(real.cluster().self().addressByInterface());
        assertThat(t.cluster().tokenHopNs()).isEqualTo(real.cluster().tokenHopNs());
        assertThat(t.cluster().distribution()).isEqualTo(real.cluster().distribution());
        assertThat(t.rules().text()).startsWith("policy drop\n").endsWith("accept proto icmp\n");
        assertThat(t.limits().maxFlows()).isLessThanOrEqualTo(real.limits().maxFlows());
        assertThat(t.interfaces()).isEqualTo(real.interfaces());
    }

    /** More connections than the throwaway flow table holds: closed flows expire between batches, none is dropped. */
    @Test
    void moreConnectionsThanTheFlowTableHoldsAreAllForwardedOnEverySubnetPair() {
        NodeConfig two = member(standalone("policy drop\naccept state established,related\naccept in wan out lan\n"));
        List<NodeConfig.InterfaceConfig> itfs = new java.util.ArrayList<>(two.interfaces());
        itfs.add(new NodeConfig.InterfaceConfig(2, "cluster", 0x02_00_00_00_00_03L, 1500, Ipv4Address.parse("10.9.0.0"),
                24, Ipv4Address.parse("10.9.0.3"), List.of()));
        NodeConfig three = new NodeConfig("gw2", itfs, List.of(), two.rules(), two.limits(), two.cluster());
        int flows = 3 * 16_384 / 3;
        ForwardingWarmup.Result r = ForwardingWarmup.run(three, flows);
        assertThat(r.flows()).isEqualTo(flows);
        assertThat(r.framesOut()).isGreaterThanOrEqualTo((long) flows * FORWARDED_PER_FLOW);
        // between batches the flows went to the standby store and back, as a hand-over and a takeover move them,
        // in numbers the JIT compiles (the cluster warm-up's scenarios move a few dozen)
        assertThat(r.flowsHandedOver()).isGreaterThan(10_000);
        // and as a peer's replication batches, imported by a store that did not have them (a joiner's bulk import)
        assertThat(r.recordsReplicated()).isGreaterThan(10_000);
    }

    @Test
    void aNodeWithOneSubnetHasNothingToForward() {
        NodeConfig one = standalone("policy drop\n");
        one = new NodeConfig(one.nodeName(), one.interfaces().subList(0, 1), one.routes(), one.rules(), one.limits());
        assertThat(ForwardingWarmup.run(one, FLOWS).flows()).isZero();
    }
}
