package io.ringwall.sim.scenario;

import java.util.function.Consumer;

/**
 * Runs a scenario paced to real time for a terminal or web demo: every {@code stepMs} of wall
 * time it advances the simulation by the same amount (times {@code speed}) and reports a status.
 * The simulation itself stays deterministic; only the pacing uses the wall clock. Faults can be
 * injected between steps through {@link #run()}{@code .context()}.
 */
public final class LiveDemo {
    public static final long STATUS_PERIOD_MS = 500;

    private final ScenarioRun run;

    public LiveDemo(ScenarioRun run) {
        this.run = run;
    }

    public ScenarioRun run() {
        return run;
    }

    /** Advances simulated time by {@code simMs} and returns the status afterwards (no waiting). */
    public DemoStatus step(long simMs) {
        run.advance(simMs * 1_000_000L);
        return run.status();
    }

    /** Steps until the scenario ends, sleeping so that one status is printed per {@code stepMs} of wall time. */
    public ScenarioResult runPaced(long stepMs, double speed, Consumer<DemoStatus> onStatus) throws InterruptedException {
        while (!run.finished()) {
            long started = System.nanoTime();
            onStatus.accept(step(Math.max(1, (long) (stepMs * speed))));
            long sleepMs = stepMs - (System.nanoTime() - started) / 1_000_000L;
            if (sleepMs > 0) {
                Thread.sleep(sleepMs);
            }
        }
        return run.result();
    }
}
