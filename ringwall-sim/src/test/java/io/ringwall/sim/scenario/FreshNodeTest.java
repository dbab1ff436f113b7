package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.sim.LinkProfile;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A VIP that must move goes to the node up longest among equally loaded ones (on real nodes a node restarted moments
 * before takes its first VIPs with code the JIT has not compiled, and a drain to it became a failover). Scenario
 * drain-after-restart: gw1 owns the VIPs and crashes, gw2 takes them (gw2 and gw3 started together: lowest id), gw1
 * restarts, and at 3 s gw2 is drained: gw1 restarted 1.4 s before, gw3 has run 3 s.
 */
class FreshNodeTest {
    private static final Pattern TAKEOVER = Pattern.compile("^(\\S+) vip-takeover ");

    @Test
    void aDrainAfterARestartMovesTheVipsToTheNodeThatWasUpLonger() {
        for (long seed = 1; seed <= 3; seed++) {
            LogRecordingNodes.Logged run = LogRecordingNodes.run("drain-after-restart", seed);
            assertThat(run.result().invariantViolations()).as("seed %d", seed).isEmpty();
            assertThat(run.result().connectionsSurvived()).as("seed %d", seed)
                    .isEqualTo(run.result().connectionsTotal());
            assertThat(holders(run.logs())).as("seed %d: VIP holders in order", seed)
                    .containsExactly("gw1", "gw2", "gw3");
        }
    }

    /** The same faults with fresh_node_s = 0: the restarted gw1, lowest id, gets the VIPs (what the test above rules out). */
    @Test
    void withoutAFreshNodeTimeTheLowestIdTakesThem() {
        Scenario off = ClusterScenarios.cluster("drain-after-restart-off", ClusterTopology.Timers.DEFAULT.withFreshNodeMs(0),
                LinkProfile.ideal().withLatency(50_000, 20_000), ClusterScenarios.DURATION_NS,
                ClusterScenarios::drainAfterRestart);
        LogRecordingNodes.Logged run = LogRecordingNodes.run(off, 1);
        assertThat(run.result().invariantViolations()).isEmpty();
        assertThat(holders(run.logs())).containsExactly("gw1", "gw2", "gw1");
    }

    /** The nodes that took VIPs over, in order (a node taking both VIPs at once counts once). */
    private static List<String> holders(List<String> logs) {
        List<String> out = new java.util.ArrayList<>();
        for (String line : logs) {
            Matcher m = TAKEOVER.matcher(line);
            if (m.find()) {
                String node = m.group(1);
                if (out.isEmpty() || !out.getLast().equals(node)) {
                    out.add(node);
                }
            }
        }
        return out;
    }
}
