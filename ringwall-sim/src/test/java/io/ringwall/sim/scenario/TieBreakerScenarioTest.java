package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.GatewayNode;
import io.ringwall.sim.SimNode;
import org.junit.jupiter.api.Test;

/** Two real nodes with the ping tie-breaker: the side that reaches it owns the VIPs, the other owns nothing. */
class TieBreakerScenarioTest {
    private final ScenarioRunner runner = new ScenarioRunner(GatewayNode::new);

    private ScenarioRun run(String name, long seed) {
        ScenarioRun run = runner.start(name, seed);
        run.runToEnd();
        assertThat(run.simulation().violations()).as(name + " seed " + seed).isEmpty();
        return run;
    }

    private static GatewayNode node(ScenarioRun run, String name) {
        return (GatewayNode) run.context().node(name).machine();
    }

    private static boolean ownsBoth(GatewayNode n) {
        return n.quorate() && n.ownsVip(0, ClusterTopology.CLIENT_VIP) && n.ownsVip(1, ClusterTopology.SERVER_VIP);
    }

    private static boolean ownsNothing(GatewayNode n) {
        return !n.quorate() && !n.ownsVip(0, ClusterTopology.CLIENT_VIP) && !n.ownsVip(1, ClusterTopology.SERVER_VIP);
    }

    @Test
    void ownerCutOffFromEverythingLosesItsVipsToTheNodeThatReachesTheTieBreaker() {
        for (long seed = 1; seed <= 3; seed++) {
            ScenarioRun run = run("tie-breaker-owner-cut", seed);
            ClusterTopology topo = ClusterScenarios.lastTopology(run.context());
            SimNode cut = topo.gateways.stream().filter(g -> !g.link(0).isUp()).findFirst().orElseThrow();
            SimNode survivor = topo.gateways.stream().filter(g -> g != cut).findFirst().orElseThrow();
            assertThat(ownsBoth(node(run, survivor.name()))).as("seed %d: survivor owns the VIPs", seed).isTrue();
            assertThat(ownsNothing(node(run, cut.name()))).as("seed %d: the cut-off node owns nothing", seed).isTrue();
            assertThat(run.result().udpMaxGapMs()).as("failover within the usual bound").isLessThan(250);
        }
    }

    @Test
    void standbyCutOffFromEverythingLeavesTheOwnerWithItsVips() {
        ScenarioRun run = run("tie-breaker-standby-cut", 1);
        ClusterTopology topo = ClusterScenarios.lastTopology(run.context());
        SimNode cut = topo.gateways.stream().filter(g -> !g.link(0).isUp()).findFirst().orElseThrow();
        SimNode owner = topo.gateways.stream().filter(g -> g != cut).findFirst().orElseThrow();
        assertThat(ownsBoth(node(run, owner.name()))).isTrue();
        assertThat(ownsNothing(node(run, cut.name()))).isTrue();
        assertThat(run.result().udpMaxGapMs()).as("the owner never let go").isLessThan(20);
    }

    @Test
    void bothNodesReachingTheTieBreakerStayOneRingWithOneOwnerPerVip() {
        ScenarioRun run = run("tie-breaker-cluster-link-down", 1);
        assertThat(node(run, "gw1").ringMembers()).isEqualTo(2);
        assertThat(node(run, "gw2").ringMembers()).isEqualTo(2);
        assertThat(ownsBoth(node(run, "gw1")) ^ ownsBoth(node(run, "gw2"))).as("exactly one owner").isTrue();
        assertThat(run.result().udpMaxGapMs()).as("no failover happened").isLessThan(20);
    }
}
