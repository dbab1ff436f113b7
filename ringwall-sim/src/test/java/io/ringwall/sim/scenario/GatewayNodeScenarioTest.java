package io.ringwall.sim.scenario;

import io.ringwall.node.GatewayNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in scenarios with the real GatewayNode as the gateway. */
class GatewayNodeScenarioTest {
    final ScenarioRunner runner = new ScenarioRunner(GatewayNode::new);

    @Test
    void baselineThroughTheRealGatewayKeepsEveryConnectionAlive() {
        ScenarioResult r = runner.run("baseline", 7);
        assertThat(r.connectionsTotal()).isEqualTo(BuiltInScenarios.CONNECTIONS);
        assertThat(r.connectionsSurvived()).isEqualTo(BuiltInScenarios.CONNECTIONS);
        assertThat(r.connectionsReset()).isZero();
        assertThat(r.invariantViolations()).isEmpty();
        assertThat(r.maxGapMs()).isLessThan(100);
    }

    @Test
    void realGatewayBaselineReplaysFromItsSeed() {
        assertThat(runner.run("baseline", 99).traceHash()).isEqualTo(runner.run("baseline", 99).traceHash());
    }

    @Test
    void pingsAndUdpProbesPassTheRealGateway() {
        ScenarioRun run = runner.start("baseline", 7);
        run.runToEnd();
        DemoStatus s = run.status();
        assertThat(s.pingsAnswered()).isEqualTo(s.pingsSent()).isPositive();
        assertThat(s.udpEchoed()).isEqualTo(s.udpSent()).isPositive();
        assertThat(run.context().hosts()).allSatisfy(h -> assertThat(h.framesBadChecksum()).isZero());
    }

    @Test
    void realGatewayCrashIsReportedAsAGapAndViolations() {
        ScenarioResult r = runner.run("gateway-crash", 7);
        assertThat(r.connectionsSurvived()).isZero();
        assertThat(r.maxGapMs()).isGreaterThanOrEqualTo(
                (BuiltInScenarios.DURATION_NS - BuiltInScenarios.FAULT_AT_NS) / 1e6);
        assertThat(r.invariantViolations()).isNotEmpty();
    }

    @Test
    void pausedRealGatewayKeepsItsFlowsAndCatchesUp() {
        ScenarioResult r = runner.run("gateway-pause", 7);
        assertThat(r.connectionsSurvived()).isEqualTo(BuiltInScenarios.CONNECTIONS);
        assertThat(r.maxGapMs()).isGreaterThanOrEqualTo(BuiltInScenarios.RECOVER_AFTER_NS / 1e6);
        assertThat(r.invariantViolations()).isEmpty();
    }

    @Test
    void restartedRealGatewayHasLostItsFlowStateSoMidStreamTrafficIsDropped() {
        // one node, no replication: the fresh conntrack sees mid-stream segments as invalid
        ScenarioResult r = runner.run("gateway-restart", 7);
        assertThat(r.connectionsSurvived()).isZero();
        assertThat(r.connectionsReset()).isZero(); // policy drop, not reject
        assertThat(r.invariantViolations()).hasSize(BuiltInScenarios.CONNECTIONS);
    }

    @Test
    void lossyBaselineKeepsEveryConnectionAliveOverSeveralSeeds() {
        for (long seed = 1; seed <= 4; seed++) {
            ScenarioResult r = runner.run("baseline-lossy", seed);
            assertThat(r.connectionsSurvived()).as(r.toJson()).isEqualTo(BuiltInScenarios.CONNECTIONS);
            assertThat(r.invariantViolations()).as(r.toJson()).isEmpty();
        }
    }
}
