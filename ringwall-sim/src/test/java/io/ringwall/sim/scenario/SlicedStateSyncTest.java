package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.GatewayNode;
import io.ringwall.sim.host.SimHost;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * State sync sends a burst of changes in slices (FlowSync.RECORDS_PER_SLICE), each at its own instant, so the
 * node's loop reads its sockets between them; it used to send a whole flush interval's records in one call.
 */
class SlicedStateSyncTest {
    private static final int NEW_FLOWS = 3_000;

    @Test
    void aBurstOfNewFlowsIsReplicatedInSlicesAndCompletely() {
        // frames each node sent at each virtual instant: one instant is one call of the node or a few at once
        Map<String, Map<Long, Integer>> sentAt = new HashMap<>();
        ObservedNodes.Started started = ObservedNodes.start("cluster-baseline", 1, (node, nowNs) ->
                sentAt.computeIfAbsent(node, n -> new HashMap<>()).merge(nowNs, 1, Integer::sum));
        ScenarioRun run = started.run();
        Map<String, GatewayNode> nodes = started.nodes();
        run.advance(2_000_000_000L); // the ring has formed, the VIPs and buckets have owners
        SimHost client = ClusterScenarios.lastTopology(run.context()).clients.get(0);
        SimHost server = ClusterScenarios.lastTopology(run.context()).servers.get(0);
        long burstNs = run.simulation().nowNs();
        for (int i = 0; i < NEW_FLOWS; i++) {
            client.sendUdp(20_000 + i, server.address(), EchoTraffic.ECHO_PORT, new byte[] {1});
        }
        run.advance(500_000_000L);

        long activeFlows = 0;
        long replicas = 0;
        for (GatewayNode n : nodes.values()) {
            activeFlows += n.conntrack().active().size();
            replicas += n.conntrack().standby().size();
        }
        assertThat(activeFlows).as("the burst created its flows").isGreaterThanOrEqualTo(NEW_FLOWS);
        assertThat(replicas).as("and every one of them reached a backup").isGreaterThanOrEqualTo(NEW_FLOWS);
        int most = 0;
        for (Map<Long, Integer> counts : sentAt.values()) {
            for (Map.Entry<Long, Integer> e : counts.entrySet()) {
                if (e.getKey() > burstNs) {
                    most = Math.max(most, e.getValue());
                }
            }
        }
        // one slice of 512 records: 12 frames here; the whole burst in one call (no slices): 61
        assertThat(most).as("most frames one node sent at one instant after the burst").isLessThanOrEqualTo(30);
    }
}
