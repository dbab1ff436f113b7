package io.ringwall.sim;

import java.util.List;

/**
 * A property that must hold after every simulation event. Called once per event, so it must be
 * cheap (no scans of large tables; keep incremental state if needed). Report each distinct
 * violation once: the simulation keeps at most {@link Simulation#VIOLATIONS_MAX} of them.
 */
public interface Invariant {
    String name();

    void check(Simulation simulation, List<Violation> violations);
}
