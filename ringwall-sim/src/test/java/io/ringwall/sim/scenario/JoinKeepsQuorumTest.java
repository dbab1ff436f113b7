package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A ring that only grows keeps its quorum: the owner of the VIPs, which often mints the join epoch itself, must
 * not let them go when a (re)started node joins (SPEC §3 join; the "restart and rejoin" scenario of the cluster
 * issue).
 */
class JoinKeepsQuorumTest {
    @Test
    void aJoiningNodeDoesNotMakeTheVipOwnerLetItsVipsGo() {
        for (long seed = 1; seed <= 5; seed++) {
            LogRecordingNodes.Logged run = LogRecordingNodes.run("join", seed);
            ScenarioResult r = run.result();
            List<String> logs = run.logs();
            assertThat(r.invariantViolations()).as(r.toJson()).isEmpty();
            List<String> joinedRing = logs.stream()
                    .filter(l -> l.contains(" ring ") && l.contains("members=[gw1, gw2, gw3]")).toList();
            assertThat(joinedRing).as("seed %d: the late node joined", seed).isNotEmpty();
            // gw3 is the late node: it was in no quorate ring before, so it waits for the token like any joiner
            List<String> flickers = logs.stream().filter(l -> !l.startsWith("gw3 "))
                    .filter(l -> l.contains("members=[gw1, gw2, gw3] quorum=false")).toList();
            assertThat(flickers).as("seed %d: a member of the quorate ring lost quorum at the join", seed).isEmpty();
            assertThat(logs.stream().filter(l -> l.contains(" vip-release ")).toList())
                    .as("seed %d: the owner let its VIPs go at the join", seed).isEmpty();
        }
    }
}
