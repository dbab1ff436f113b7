package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.GatewayNode;
import io.ringwall.sim.host.SimHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The drained holder sends its new bucket map to the members before it demotes the flows it hands over, so the drain
 * target promotes its replicas while the holder demotes (on real nodes each takes a millisecond or two for ~1,000
 * flows, and the drain's gap lasts until both are done).
 */
class DrainNoticeFirstTest {
    private static final int FLOWS = 1_000;

    @Test
    void theDrainedHolderSendsItsMapBeforeItDemotesItsFlows() {
        // per node: the instant of each frame it sent, with its active store's size then
        Map<String, List<long[]>> sends = new HashMap<>();
        Map<String, Long> handedOverAtNs = new HashMap<>();
        Map<String, GatewayNode> nodes = new HashMap<>();
        ObservedNodes.Started started = ObservedNodes.start("cluster-baseline", 1, new ObservedNodes.Observer() {
            @Override
            public void sent(String node, long nowNs) {
                GatewayNode gateway = nodes.get(node); // null only while the run starts, long before the drain
                if (gateway != null) {
                    sends.computeIfAbsent(node, n -> new ArrayList<>())
                            .add(new long[] {nowNs, gateway.conntrack().active().size()});
                }
            }

            @Override
            public void logged(String node, long nowNs, String event, String detail) {
                if (event.equals("buckets") && detail.contains(" lost=") && !detail.contains(" lost=0 ")) {
                    handedOverAtNs.putIfAbsent(node, nowNs);
                }
            }
        });
        ScenarioRun run = started.run();
        nodes.putAll(started.nodes());
        run.advance(2_000_000_000L);
        ClusterTopology topo = ClusterScenarios.lastTopology(run.context());
        SimHost client = topo.clients.get(0);
        SimHost server = topo.servers.get(0);
        for (int i = 0; i < FLOWS; i++) {
            client.sendUdp(20_000 + i, server.address(), EchoTraffic.ECHO_PORT, new byte[] {1});
        }
        run.advance(500_000_000L); // created and replicated: nothing left to flush at the hand-over
        String drained = ClusterScenarios.vipOwner(topo).name();
        int flowsBefore = nodes.get(drained).conntrack().active().size();
        assertThat(flowsBefore).isGreaterThanOrEqualTo(FLOWS);
        handedOverAtNs.clear();
        ClusterScenarios.closeOwner(run.context(), topo);
        run.advance(1_000_000_000L);

        long atNs = handedOverAtNs.get(drained);
        // the active store's size at each frame the holder sent in the instant of its hand-over: with the notice
        // after the demotion, the last two (one per member) were sent with none left
        List<Long> activeAtEachSend = sends.get(drained).stream().filter(s -> s[0] == atNs).map(s -> s[1]).toList();
        assertThat(activeAtEachSend).as("active flows at each frame the drained holder sent at its hand-over")
                .hasSizeGreaterThanOrEqualTo(2).allMatch(n -> n >= flowsBefore);
        assertThat(nodes.get(drained).conntrack().active().size()).as("and then it demoted them").isZero();
    }
}
