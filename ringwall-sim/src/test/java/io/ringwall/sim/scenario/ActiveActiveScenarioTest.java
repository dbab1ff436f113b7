package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.BucketStats;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeStatus;
import io.ringwall.sim.SimNode;
import org.junit.jupiter.api.Test;

class ActiveActiveScenarioTest {
    private final ScenarioRunner runner = new ScenarioRunner(GatewayNode::new);

    private ScenarioRun run(String name, long seed) {
        ScenarioRun run = runner.start(name, seed);
        run.runToEnd();
        return run;
    }

    private static void assertClean(ScenarioRun run) {
        ScenarioResult r = run.result();
        assertThat(r.invariantViolations()).as(r.toJson()).isEmpty();
        assertThat(r.connectionsSurvived()).as(r.toJson()).isEqualTo(r.connectionsTotal()).isPositive();
        assertThat(r.connectionsReset()).as(r.toJson()).isZero();
    }

    private static BucketStats stats(SimNode g) {
        return ((GatewayNode) g.machine()).bucketStats();
    }

    @Test
    void activeActiveSplitsBucketsOverBothVipHoldersAndPassesAsymmetricTrafficToTheOwner() {
        ScenarioRun run = run("active-active", 1);
        assertClean(run);
        ClusterTopology topo = ClusterScenarios.lastTopology(run.context());
        long redirected = 0;
        int owned = 0;
        int holdersWithBuckets = 0;
        for (SimNode g : topo.gateways) {
            BucketStats s = stats(g);
            assertThat(s.buckets()).isEqualTo(1024);
            redirected += s.redirected();
            owned += s.owned();
            holdersWithBuckets += s.owned() > 0 ? 1 : 0;
        }
        assertThat(owned).isEqualTo(1024);
        assertThat(holdersWithBuckets).as("buckets follow the two VIP holders").isEqualTo(2);
        assertThat(redirected).as("return traffic reached the other holder and was passed on").isPositive();
    }

    @Test
    void statusShowsTheSameBucketOwnersOnEveryNodeAndRestoredRedundancy() {
        ScenarioRun run = run("active-active", 1);
        ClusterTopology topo = ClusterScenarios.lastTopology(run.context());
        NodeStatus.Buckets first = null;
        for (SimNode g : topo.gateways) {
            NodeStatus.Buckets b = g.machine().status(run.context().simulation().nowNs()).buckets();
            assertThat(b.owners()).hasSize(topo.gateways.size());
            assertThat(b.owners().stream().mapToInt(NodeStatus.Owned::buckets).sum()).isEqualTo(1024);
            assertThat(b.redundant()).as("settled cluster: every owner finished re-replicating " + b).isTrue();
            if (first != null) {
                assertThat(b.owners()).as("every member reports the same map").isEqualTo(first.owners());
                assertThat(b.generation()).isEqualTo(first.generation());
            }
            first = b;
        }
    }

    @Test
    void crashOfEitherVipHolderLosesNoConnection() {
        for (long seed = 1; seed <= 3; seed++) {
            assertClean(run("active-active-crash-first", seed));
            assertClean(run("active-active-crash-second", seed));
        }
    }

    @Test
    void crashOfABackupOnlyNodeLosesNoConnection() {
        assertClean(run("active-active-crash-backup", 1));
    }

    @Test
    void drainOfAVipHolderLosesNoConnection() {
        ScenarioRun run = run("active-active-drain", 1);
        assertClean(run);
        // the closed node handed its buckets over: it owns none at the end, the two others own them all
        int nodesOwning = 0;
        for (SimNode g : ClusterScenarios.lastTopology(run.context()).gateways) {
            nodesOwning += stats(g).owned() > 0 ? 1 : 0;
        }
        assertThat(nodesOwning).isEqualTo(2);
    }
}
