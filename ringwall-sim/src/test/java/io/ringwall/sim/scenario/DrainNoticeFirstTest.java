package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.Effects;
import io.ringwall.node.GatewayNode;
import io.ringwall.sim.Simulation;
import io.ringwall.sim.host.SimHost;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
        AtomicReference<Simulation> sim = new AtomicReference<>();
        Map<String, GatewayNode> nodes = new HashMap<>();
        // per node: the active store's size at each frame it sent, with the instant
        Map<String, List<long[]>> sends = new HashMap<>();
        Map<String, Long> handedOverAtNs = new HashMap<>();
        ScenarioRun run = new ScenarioRunner((config, fx, prng) -> {
            String name = config.nodeName();
            List<long[]> mine = sends.computeIfAbsent(name, n -> new ArrayList<>());
            GatewayNode[] self = new GatewayNode[1];
            GatewayNode node = new GatewayNode(config, new Effects() {
                @Override
                public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
                    mine.add(new long[] {sim.get().nowNs(), self[0].conntrack().active().size()});
                    fx.sendFrame(ifIndex, frame, length, offloadFlags);
                }

                @Override
                public void log(String event, String detail) {
                    if (event.equals("buckets") && detail.contains(" lost=") && !detail.contains(" lost=0 ")) {
                        handedOverAtNs.putIfAbsent(name, sim.get().nowNs());
                    }
                    fx.log(event, detail);
                }
            }, prng);
            self[0] = node;
            nodes.put(name, node);
            return node;
        }).start("cluster-baseline", 1);
        sim.set(run.simulation());
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
