package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.sim.SimNode;
import org.junit.jupiter.api.Test;

/**
 * The VIP owner crashes and is back before the ring has even removed it (the restart is shorter than the ack
 * timeout, so the others may still list it as a member and pass it the token): the new incarnation starts with no
 * connection state, and the others must still fail its VIPs over to a node that has the state, with no second owner
 * at any moment and no connection lost. Real nodes take seconds to restart; the simulator can restart in
 * microseconds, the hard case. (In these runs the VIPs stay on the node that took them over, so this does not test
 * what a returning node may own before its state is in.)
 */
class FastRestartTest {

    @Test
    void aVipOwnerBackBeforeItsRemovalLosesNoConnectionAndMakesNoSecondOwner() {
        for (long restartAfterUs : new long[] {500, 2_000, 25_000}) {
            for (long seed = 1; seed <= 3; seed++) {
                Scenario s = ClusterScenarios.cluster("owner-fast-restart", (ctx, topo) ->
                        ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS, () -> {
                            SimNode owner = ClusterScenarios.vipOwner(topo);
                            owner.crash();
                            ctx.simulation().schedule(ctx.simulation().nowNs() + restartAfterUs * 1_000, owner::restart);
                        }));
                ScenarioResult r = LogRecordingNodes.run(s, seed).result();
                String what = "restart after " + restartAfterUs + " us, seed " + seed;
                assertThat(r.invariantViolations()).as(what).isEmpty();
                assertThat(r.connectionsTotal()).as(what).isPositive();
                assertThat(r.connectionsSurvived()).as(what).isEqualTo(r.connectionsTotal());
                assertThat(r.connectionsReset()).as(what).isZero();
                // the stream stops only while the owner is down, plus what the ring needs to let it serve again
                assertThat(r.udpMaxGapMs()).as(what).isLessThan(restartAfterUs / 1000.0 + 60);
            }
        }
    }
}
