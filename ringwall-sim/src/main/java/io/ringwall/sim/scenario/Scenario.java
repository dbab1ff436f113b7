package io.ringwall.sim.scenario;

/**
 * A named, seeded experiment: {@link #build} creates the topology, watches connections and
 * schedules traffic and faults on the context; the runner then runs it for {@link #durationNs()}.
 * Everything random must come from {@code context.simulation().forkPrng()}, so a seed replays.
 */
public interface Scenario {
    String name();

    void build(ScenarioContext context);

    long durationNs();

    /**
     * How long a watched connection may go without progress before it counts as stalled (and not
     * survived). Lossy scenarios raise it: TCP's doubling timeout alone can pause a flow ~1.4 s.
     */
    default long stallNs() {
        return ScenarioContext.STALL_NS;
    }

    /**
     * Whether every established TCP connection must survive (the invariant is checked after every event).
     * Scenarios that fail a node before connection state is replicated report survival but do not demand it.
     */
    default boolean demandsConnectionSurvival() {
        return true;
    }
}
