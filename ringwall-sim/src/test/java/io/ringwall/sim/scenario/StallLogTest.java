package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.sim.SimNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node that was not run for a while says so once per stall, not once per ring event after it. */
class StallLogTest {
    private static final long PAUSE_NS = 400_000_000L;
    private final List<String> logs = Collections.synchronizedList(new ArrayList<>());

    /** gw1 is paused; with {@code othersCrash} the other two crash meanwhile, so gw1 wakes up to a ring of one. */
    private List<String> stallLines(boolean othersCrash) {
        Scenario paused = ClusterScenarios.cluster("one-pause", (ctx, topo) -> {
            SimNode victim = topo.gateways.get(0);
            ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS, victim::pause);
            if (othersCrash) {
                for (SimNode other : topo.gateways.subList(1, topo.gateways.size())) {
                    ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS + 10_000_000L, other::crash);
                }
            }
            ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS + PAUSE_NS, victim::resume);
        });
        new ScenarioRunner((c, fx, p) -> LogRecordingNodes.create(c, fx, p, logs), List.of(paused))
                .run("one-pause", 1);
        return logs.stream().filter(l -> l.startsWith("gw1") && l.contains("stall")).toList();
    }

    @Test
    void aPausedNodeLogsItsStallOnce() {
        List<String> stalls = stallLines(false);
        assertThat(stalls).hasSize(1);
        assertThat(stalls.getFirst()).contains("not run for").contains("VIPs suspended");
    }
}
