package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.GatewayNode;
import io.ringwall.node.PathProbeRounds;
import io.ringwall.sim.SimNode;
import org.junit.jupiter.api.Test;

/**
 * In an active/active cluster every node probes every path to every other member about every 100 ms, so a path that
 * stops carrying a peer's packets is noticed (SPEC §5.1). The probes must not cost wake-ups of their own: they go out
 * with the next ring message to the same peer (the token to the successor, the ack to the predecessor), which wakes
 * the peer anyway; a timer sends them only when no ring message comes along in time.
 */
class PathProbeScenarioTest {
    private final ScenarioRunner runner = new ScenarioRunner(GatewayNode::new);

    @Test
    void pathProbesOfAHealthyActiveActiveRingRideWithRingMessages() {
        ScenarioRun run = runner.start("active-active", 1);
        run.runToEnd();
        assertThat(run.result().invariantViolations()).as(run.result().toJson()).isEmpty();
        long withRing = 0;
        long byTimer = 0;
        for (SimNode g : ClusterScenarios.lastTopology(run.context()).gateways) {
            PathProbeRounds rounds = ((GatewayNode) g.machine()).pathProbeRounds();
            withRing += rounds.withRingMessage();
            byTimer += rounds.byTimer();
        }
        assertThat(withRing).as("probe rounds sent with a ring message").isPositive();
        assertThat(byTimer).as("probe rounds sent by the timer (%d with a ring message)", withRing)
                .isLessThanOrEqualTo(withRing / 20);
    }
}
