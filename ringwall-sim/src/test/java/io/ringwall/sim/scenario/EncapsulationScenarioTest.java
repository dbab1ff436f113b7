package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeStatus;
import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.SimNode;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * SPEC §5.1's fallback: in an active/active cluster the two VIP holders (which own the buckets) stop reaching each
 * other on the client segment, while clients still reach both and the dedicated cluster network stays up. A
 * client's packet that arrives at the holder that does not own its bucket can no longer be passed to the owner by
 * MAC on that segment: it travels to the owner encapsulated over the cluster network, and the owner processes it
 * as if it had come in on its own client interface. Without that, the non-owner handles it with no state (or
 * sends it into the void) and established connections stall or are reset.
 */
class EncapsulationScenarioTest {
    private static final String ISOLATED = "active-active-holders-isolated-on-clients";
    private static final String ISOLATED_AND_HEALED = "active-active-holders-isolated-then-rejoined";

    private final ScenarioRunner runner = new ScenarioRunner(GatewayNode::new, List.of(
            scenario(ISOLATED, false), scenario(ISOLATED_AND_HEALED, true)));

    private static Scenario scenario(String name, boolean heal) {
        BiConsumer<ScenarioContext, ClusterTopology> faults = (ctx, topo) -> {
            SimNode[] pair = new SimNode[2];
            ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS, () -> {
                pair[0] = ActiveActiveScenarios.holderOf(topo, ClusterTopology.CLIENT_VIP);
                pair[1] = ActiveActiveScenarios.holderOf(topo, ActiveActiveScenarios.SECOND_CLIENT_VIP);
                topo.clientSegment.isolate(pair[0].link(0), pair[1].link(0));
            });
            if (heal) {
                ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS + ClusterScenarios.HEAL_AFTER_NS,
                        () -> topo.clientSegment.rejoin(pair[0].link(0), pair[1].link(0)));
            }
        };
        return ClusterScenarios.cluster(name, ClusterScenarios.GATEWAYS, "majority", false,
                ActiveActiveScenarios.VIP_GROUPS, ClusterTopology.Timers.DEFAULT,
                LinkProfile.ideal().withLatency(50_000, 20_000), ClusterScenarios.DURATION_NS, faults);
    }

    private ScenarioRun run(String name, long seed) {
        ScenarioRun run = runner.start(name, seed);
        run.runToEnd();
        return run;
    }

    private static NodeStatus.Encapsulation total(ScenarioRun run) {
        long sent = 0, received = 0, dropped = 0, incomplete = 0, tooLarge = 0;
        for (SimNode g : ClusterScenarios.lastTopology(run.context()).gateways) {
            NodeStatus.Encapsulation e = ((GatewayNode) g.machine()).bucketStats().encapsulation();
            sent += e.sent();
            received += e.received();
            dropped += e.partsDropped();
            incomplete += e.incomplete();
            tooLarge += e.tooLarge();
        }
        return new NodeStatus.Encapsulation(sent, received, dropped, incomplete, tooLarge);
    }

    @Test
    void ownerUnreachableOnTheClientSegmentGetsItsFlowsEncapsulatedOverTheClusterNetwork() {
        for (long seed = 1; seed <= 2; seed++) {
            ScenarioRun run = run(ISOLATED, seed);
            ScenarioResult r = run.result();
            assertThat(r.invariantViolations()).as(r.toJson()).isEmpty();
            assertThat(r.connectionsSurvived()).as(r.toJson()).isEqualTo(r.connectionsTotal()).isPositive();
            assertThat(r.connectionsReset()).as(r.toJson()).isZero();
            NodeStatus.Encapsulation e = total(run);
            assertThat(e.sent()).as("frames encapsulated " + e).isPositive();
            assertThat(e.received()).as("every frame sent arrived whole " + e).isEqualTo(e.sent());
            assertThat(e.partsDropped() + e.incomplete() + e.tooLarge()).as(e.toString()).isZero();
            assertThat(ClusterScenarios.lastTopology(run.context()).clientSegment.framesIsolated())
                    .as("the isolation took effect").isPositive();
        }
    }

    @Test
    void passingByMacResumesOnceTheOwnerIsReachableOnTheSegmentAgain() {
        ScenarioRun run = runner.start(ISOLATED_AND_HEALED, 1);
        long healAt = ClusterScenarios.FAULT_AT_NS + ClusterScenarios.HEAL_AFTER_NS;
        run.simulation().runUntil(healAt);
        assertThat(total(run).sent()).as("encapsulated while isolated").isPositive();
        // within a probe round of the first probe through, the path monitor clears the segment
        run.simulation().runUntil(healAt + 500_000_000L);
        long encapsulated = total(run).sent();
        long redirected = redirected(run);
        run.simulation().runUntil(ClusterScenarios.DURATION_NS - 500_000_000L);
        assertThat(total(run).sent()).as("no more encapsulation").isEqualTo(encapsulated);
        assertThat(redirected(run)).as("passed on by MAC again").isGreaterThan(redirected);
        ScenarioResult r = run.runToEnd();
        assertThat(r.invariantViolations()).as(r.toJson()).isEmpty();
        assertThat(r.connectionsSurvived()).as(r.toJson()).isEqualTo(r.connectionsTotal()).isPositive();
        assertThat(r.connectionsReset()).as(r.toJson()).isZero();
    }

    private static long redirected(ScenarioRun run) {
        long n = 0;
        for (SimNode g : ClusterScenarios.lastTopology(run.context()).gateways) {
            n += ((GatewayNode) g.machine()).bucketStats().redirected();
        }
        return n;
    }
}
