package io.ringwall.sim.scenario;

import io.ringwall.sim.NodeFactory;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Runs the cluster's own code — the token ring, sealed messaging, the VIP and bucket roles, state sync and its
 * bulk transfer — in a throwaway simulated cluster before a real node starts, so the JIT has compiled it before
 * the node joins a real ring.
 * <p>Why: a restarted node met its first real tokens with that code cold (class loading, the interpreter) and,
 * with the fast timers, acked them too late; the ring removed it, it joined again, and for about half a second
 * the surviving VIP owner lost and regained quorum at every such round (measured on real nodes: 3–6 VIP
 * releases per restart). The forwarding warm-up does not reach this code: its throwaway node is a cluster of one.
 * <p>The simulation is the one the tests and {@code ringwall demo} run (virtual time, no sockets, no files); it
 * shares nothing with the real node but the classes.
 */
public final class ClusterWarmup {
    /**
     * A restart and rejoin (the joiner's and the members' side of a join, the bulk transfer), the crash of the VIP
     * owner (token loss, 911, removal, takeover holds), and a drain (the planned hand-over of the VIPs and of every
     * bucket, on both sides: a node restarted shortly before a drain was removed from the ring while it took over).
     */
    static final List<String> SCENARIOS = List.of("join", "crash-active", "drain");
    private static final long SEED = 1;
    /**
     * Flow-table slots of each simulated node: the scenarios track a few dozen flows, and the default tables of
     * four nodes and their restarts (about 100 MiB each) do not fit a node's heap next to its own.
     */
    static final int MAX_FLOWS = 16_384;

    /** What ran: scenarios completed, wall time, and the simulated connections that survived them. */
    public record Result(int scenarios, long elapsedNs, int connectionsSurvived, int connectionsTotal) {
        public String describe() {
            return scenarios + " simulated scenarios (" + String.join(", ", SCENARIOS.subList(0, scenarios)) + "), "
                    + connectionsSurvived + "/" + connectionsTotal + " simulated connections survived";
        }
    }

    private ClusterWarmup() {
    }

    /**
     * Runs the scenarios in order; once {@code budgetNs} of {@code clock} time has passed no further scenario is
     * started (the first always runs).
     */
    public static Result run(NodeFactory nodes, long budgetNs, LongSupplier clock) {
        ScenarioRunner runner = new ScenarioRunner(
                (config, effects, prng) -> nodes.create(config.withMaxFlowsAtMost(MAX_FLOWS), effects, prng));
        long start = clock.getAsLong();
        int ran = 0;
        int survived = 0;
        int total = 0;
        for (String name : SCENARIOS) {
            if (ran > 0 && clock.getAsLong() - start >= budgetNs) {
                break;
            }
            ScenarioResult r = runner.run(name, SEED);
            ran++;
            survived += r.connectionsSurvived();
            total += r.connectionsTotal();
        }
        return new Result(ran, clock.getAsLong() - start, survived, total);
    }
}
