package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.GatewayNode;
import io.ringwall.sim.host.SimHost;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The node a drain hands every bucket to re-replicates the flows it gained to their new backup in small slices for a
 * while (FlowSync.RECORDS_PER_SETTLING_SLICE), so the moved connections' first packets never wait behind a large
 * one; and the new backup still has every flow soon after.
 */
class TakeoverSettlingSliceTest {
    private static final int FLOWS = 1_500;
    private static final Pattern GAINED = Pattern.compile("gained=(\\d+)");

    @Test
    void aDrainTargetReplicatesTheFlowsItGainedInSmallSlicesAndCompletely() {
        Map<String, Map<Long, Integer>> sentAt = new HashMap<>();
        Map<String, Long> gainedAtNs = new HashMap<>();
        ObservedNodes.Started started = ObservedNodes.start("cluster-baseline", 1, new ObservedNodes.Observer() {
            @Override
            public void sent(String node, long nowNs) {
                sentAt.computeIfAbsent(node, n -> new HashMap<>()).merge(nowNs, 1, Integer::sum);
            }

            @Override
            public void logged(String node, long nowNs, String event, String detail) {
                Matcher m = GAINED.matcher(detail);
                if (event.equals("buckets") && m.find() && Integer.parseInt(m.group(1)) > 0) {
                    gainedAtNs.put(node, nowNs);
                }
            }
        });
        ScenarioRun run = started.run();
        Map<String, GatewayNode> nodes = started.nodes();
        run.advance(2_000_000_000L); // the ring has formed, the VIPs and buckets have owners
        ClusterTopology topo = ClusterScenarios.lastTopology(run.context());
        SimHost client = topo.clients.get(0);
        SimHost server = topo.servers.get(0);
        for (int i = 0; i < FLOWS; i++) {
            client.sendUdp(20_000 + i, server.address(), EchoTraffic.ECHO_PORT, new byte[] {1});
        }
        run.advance(500_000_000L); // created and replicated
        String drained = ClusterScenarios.vipOwner(topo).name();
        Map<String, Integer> standbyBefore = new HashMap<>();
        nodes.forEach((n, g) -> standbyBefore.put(n, g.conntrack().standby().size()));
        gainedAtNs.clear();
        long closeNs = run.simulation().nowNs();
        ClusterScenarios.closeOwner(run.context(), topo);
        run.advance(2_000_000_000L);

        String target = gainedAtNs.keySet().stream().filter(n -> !n.equals(drained)).findFirst().orElseThrow();
        long takeoverNs = gainedAtNs.get(target);
        assertThat(takeoverNs).isGreaterThan(closeNs);
        assertThat(nodes.get(target).conntrack().active().size()).as("the target handles the flows")
                .isGreaterThanOrEqualTo(FLOWS);
        int most = sentAt.get(target).entrySet().stream()
                .filter(e -> e.getKey() > takeoverNs && e.getKey() < takeoverNs + 50_000_000L)
                .mapToInt(Map.Entry::getValue).max().orElse(0);
        // a 512-record slice is about 12 frames to one peer; a 64-record one 2 or 3
        assertThat(most).as("most frames the target sent at one instant in the 50 ms after it took over")
                .isLessThanOrEqualTo(5);
        // the drained node stays a member and the backup of about half the buckets; the third node is the backup
        // of the others, and the target re-replicated their flows to it
        assertThat(nodes.get(target).status(run.simulation().nowNs()).buckets().redundant())
                .as("every bucket has its backups again").isTrue();
        String newBackup = nodes.keySet().stream().filter(n -> !n.equals(drained) && !n.equals(target))
                .findFirst().orElseThrow();
        assertThat(nodes.get(newBackup).conntrack().standby().size()).as("the third node holds replicas")
                .isGreaterThan(standbyBefore.get(newBackup));
    }
}
