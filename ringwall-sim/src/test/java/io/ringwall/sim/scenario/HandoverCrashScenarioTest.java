package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.GatewayNode;
import io.ringwall.sim.SimNode;
import org.junit.jupiter.api.Test;

/**
 * Crashes in the middle of a hand-over (issue 4): of connection state to a joining node, and of a VIP in a planned
 * move. Besides the checks of every cluster scenario (never two owners, no orphan beyond the bound, every
 * established connection stays alive, one ring at the end), {@code takeover-has-state} checks that whoever starts
 * answering for the VIP has its connection state in and holds every flow the other live members know.
 */
class HandoverCrashScenarioTest {
    private final ScenarioRunner runner = new ScenarioRunner(GatewayNode::new);

    private static void assertClean(ScenarioResult r) {
        assertThat(r.invariantViolations()).as(r.toJson()).isEmpty();
        assertThat(r.connectionsSurvived()).as(r.toJson()).isEqualTo(r.connectionsTotal()).isEqualTo(8);
        assertThat(r.connectionsReset()).isZero();
    }

    @Test
    void joiningNodeGetsEveryFlowEvenWhenTheBulkSenderCrashesMidTransfer() {
        for (long seed = 1; seed <= 3; seed++) {
            ScenarioRun run = runner.start("crash-during-bulk", seed);
            ScenarioResult r = run.runToEnd();
            assertClean(r);
            HandoverCrashScenarios.Fault fault = HandoverCrashScenarios.fault(run.context());
            assertThat(fault.victim).as("seed %d: %s", seed, fault.detail).isEqualTo("gw2");
            assertThat(fault.senderFlows).as("the sender handled the bulk flows").isGreaterThanOrEqualTo(HandoverCrashScenarios.BULK_FLOWS);
            assertThat(fault.joinerHadOfThem).as("seed %d: the transfer was in progress at the crash", seed)
                    .isPositive().isLessThan(fault.senderFlows);
            SimNode joiner = run.context().node("gw1");
            GatewayNode node = (GatewayNode) joiner.machine();
            assertThat(node.stateSynced()).isTrue();
            assertThat(node.conntrack().active().size() + node.conntrack().standby().size())
                    .as("seed %d: gw1 knows every flow", seed).isGreaterThanOrEqualTo(HandoverCrashScenarios.BULK_FLOWS);
            assertThat(HandoverCrashScenarios.owner(ClusterScenarios.lastTopology(run.context()))).isNotNull();
        }
    }

    @Test
    void crashOfTheNewOrTheOldOwnerInTheMiddleOfAPlannedMoveLeavesOneOwnerWithinTheBound() {
        for (long seed = 1; seed <= 4; seed++) { // odd seeds crash the new owner, even seeds the old one
            ScenarioRun run = runner.start("crash-during-rebalance", seed);
            ScenarioResult r = run.runToEnd();
            assertClean(r);
            HandoverCrashScenarios.Fault fault = HandoverCrashScenarios.fault(run.context());
            assertThat(fault.victim).as("seed %d: %s", seed, fault.detail).isNotNull();
            assertThat(fault.detail).contains(seed % 2 != 0 ? "crashing the new owner" : "crashing the old owner");
            assertThat(r.udpMaxGapMs()).as("seed %d", seed).isLessThan(ClusterScenarios.ORPHAN_BOUND_NS / 1e6);
            SimNode owner = HandoverCrashScenarios.owner(ClusterScenarios.lastTopology(run.context()));
            assertThat(owner).isNotNull();
            assertThat(owner.name()).isNotEqualTo(fault.victim);
        }
    }
}
