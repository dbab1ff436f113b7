package io.ringwall.sim.scenario;

import io.ringwall.sim.TestRouterNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in scenarios through the test router (GatewayNode plugs in the same way). */
class ScenarioRunnerTest {
    final ScenarioRunner runner = new ScenarioRunner(TestRouterNode::new);

    @Test
    void sameSeedReplaysToTheSameTraceHashAndADifferentSeedDoesNot() {
        ScenarioResult first = runner.run("baseline", 1234);
        ScenarioResult again = runner.run("baseline", 1234);
        ScenarioResult other = runner.run("baseline", 1235);
        assertThat(again.traceHash()).isEqualTo(first.traceHash());
        assertThat(again.toJson()).isEqualTo(first.toJson());
        assertThat(other.traceHash()).isNotEqualTo(first.traceHash());
    }

    @Test
    void baselineThroughOneRouterKeepsEveryConnectionAlive() {
        ScenarioResult r = runner.run("baseline", 7);
        assertThat(r.nodes()).isEqualTo(1);
        assertThat(r.connectionsTotal()).isEqualTo(BuiltInScenarios.CONNECTIONS);
        assertThat(r.connectionsSurvived()).isEqualTo(BuiltInScenarios.CONNECTIONS);
        assertThat(r.connectionsReset()).isZero();
        assertThat(r.invariantViolations()).isEmpty();
        // chunks every 20 ms on ideal links: no flow should go quiet for long
        assertThat(r.maxGapMs()).isLessThan(100);
    }

    @Test
    void baselineTrafficReallyFlows() {
        ScenarioRun run = runner.start("baseline", 7);
        ScenarioResult r = run.runToEnd();
        DemoStatus s = run.status();
        assertThat(s.udpEchoed()).isEqualTo(s.udpSent()).isPositive();
        assertThat(s.pingsAnswered()).isEqualTo(s.pingsSent()).isPositive();
        long seconds = BuiltInScenarios.DURATION_NS / 1_000_000_000L;
        long expectedPerFlow = (seconds - 1) * (1_000_000_000L / BuiltInScenarios.CHUNK_PERIOD_NS)
                * BuiltInScenarios.CHUNK_BYTES;
        assertThat(run.context().watched()).allSatisfy(c ->
                assertThat(c.bytesReceived()).isGreaterThan(expectedPerFlow));
        assertThat(r.toJson()).containsPattern("\"trace_hash\":\"[0-9a-f]{16}\"");
    }

    @Test
    void gatewayCrashStopsTrafficAndTheGapIsReported() {
        ScenarioResult r = runner.run("gateway-crash", 7);
        double expectedGapMs = (BuiltInScenarios.DURATION_NS - BuiltInScenarios.FAULT_AT_NS) / 1e6;
        // the last delivery came at most one chunk period before the crash
        assertThat(r.maxGapMs()).isBetween(expectedGapMs, expectedGapMs + BuiltInScenarios.CHUNK_PERIOD_NS / 1e6 + 1);
        assertThat(r.connectionsSurvived()).isZero();
        assertThat(r.invariantViolations()).hasSize(BuiltInScenarios.CONNECTIONS)
                .allSatisfy(v -> assertThat(v.text()).contains("stalled"));
    }

    @Test
    void statelessRouterRestartLetsConnectionsRecover() {
        ScenarioResult r = runner.run("gateway-restart", 7);
        assertThat(r.connectionsSurvived()).isEqualTo(BuiltInScenarios.CONNECTIONS);
        assertThat(r.maxGapMs()).isGreaterThanOrEqualTo(BuiltInScenarios.RECOVER_AFTER_NS / 1e6);
        assertThat(r.invariantViolations()).isEmpty(); // 500 ms outage is below the 1 s stall bound
    }

    @Test
    void pausedGatewayDeliversQueuedFramesLate() {
        ScenarioRun run = runner.start("gateway-pause", 7);
        run.advance(BuiltInScenarios.FAULT_AT_NS + BuiltInScenarios.RECOVER_AFTER_NS / 2);
        long inWhilePaused = run.context().nodes().getFirst().framesIn();
        run.advance(BuiltInScenarios.RECOVER_AFTER_NS / 4);
        assertThat(run.context().nodes().getFirst().framesIn()).isEqualTo(inWhilePaused);
        ScenarioResult r = run.runToEnd();
        assertThat(run.context().nodes().getFirst().framesDroppedWhileDown()).isZero();
        assertThat(r.connectionsSurvived()).isEqualTo(BuiltInScenarios.CONNECTIONS);
        assertThat(r.maxGapMs()).isGreaterThan(BuiltInScenarios.RECOVER_AFTER_NS / 2e6);
    }

    @Test
    void resultJsonHasTheDocumentedKeysInAStableOrder() {
        String json = runner.run("baseline", 3).toJson();
        assertThat(json).startsWith("{\"scenario\":\"baseline\",\"seed\":3,\"nodes\":1,\"connections_total\":8,")
                .containsSubsequence("\"connections_survived\":", "\"connections_reset\":", "\"max_gap_ms\":",
                        "\"invariant_violations\":0", "\"trace_hash\":\"", "\"violations\":[]}");
    }

    @Test
    void liveDemoStepsAdvanceSimulatedTimeAndReportStatus() {
        LiveDemo demo = new LiveDemo(runner.start("baseline", 9));
        DemoStatus s1 = demo.step(500);
        DemoStatus s2 = demo.step(500);
        assertThat(s1.simTimeNs()).isEqualTo(500_000_000L);
        assertThat(s2.simTimeNs()).isEqualTo(1_000_000_000L);
        assertThat(s2.framesDeliveredToHosts()).isGreaterThan(s1.framesDeliveredToHosts());
        assertThat(s2.connectionsAlive()).isEqualTo(BuiltInScenarios.CONNECTIONS);
        demo.run().context().node("gw1").crash();
        assertThat(demo.step(500).line()).contains("gw1 crashed");
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
