package io.ringwall.sim;

import io.ringwall.time.Prng;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The discrete-event loop: one thread, a simulated clock in nanoseconds, and a queue of events
 * ordered by (time, sequence number) so events at the same instant run in scheduling order and a
 * seed always replays the same way. Every component draws randomness from its own
 * {@link #forkPrng() fork} of the seeded root generator.
 */
public final class Simulation {
    /** Default bound on events per {@link #runUntil} call, so a runaway scenario stops. */
    public static final long EVENTS_PER_RUN_MAX = 50_000_000L;
    public static final int VIOLATIONS_MAX = 1_000;

    private record Event(long timeNs, long sequence, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int byTime = Long.compare(timeNs, o.timeNs);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private final long seed;
    private final Prng root;
    private final Trace trace = new Trace();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final List<Invariant> invariants = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    private final long eventsPerRunMax;
    private long nowNs;
    private long sequence;
    private long eventsRun;
    private boolean budgetExhausted;

    public Simulation(long seed) {
        this(seed, EVENTS_PER_RUN_MAX);
    }

    public Simulation(long seed, long eventsPerRunMax) {
        this.seed = seed;
        this.root = new Prng(seed);
        this.eventsPerRunMax = eventsPerRunMax;
    }

    public long seed() {
        return seed;
    }

    public long nowNs() {
        return nowNs;
    }

    public Trace trace() {
        return trace;
    }

    public Prng forkPrng() {
        return root.fork();
    }

    /** Runs {@code action} at simulated time {@code atNs} (clamped to now: the past cannot be scheduled). */
    public void schedule(long atNs, Runnable action) {
        queue.add(new Event(Math.max(atNs, nowNs), sequence++, action));
    }

    public void after(long delayNs, Runnable action) {
        schedule(nowNs + delayNs, action);
    }

    /** Runs {@code action} every {@code periodNs} starting at {@code firstNs}, while it returns true. */
    public void every(long firstNs, long periodNs, java.util.function.BooleanSupplier action) {
        schedule(firstNs, () -> {
            if (action.getAsBoolean()) {
                every(nowNs + periodNs, periodNs, action);
            }
        });
    }

    public void addInvariant(Invariant invariant) {
        invariants.add(invariant);
    }

    /** Records a violation found outside the per-event invariants (e.g. an end-of-run check). */
    public void report(Violation violation) {
        violations.add(violation);
    }

    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    public long eventsRun() {
        return eventsRun;
    }

    /** True if a run stopped because it hit its event bound rather than its time bound. */
    public boolean budgetExhausted() {
        return budgetExhausted;
    }

    public void runFor(long durationNs) {
        runUntil(nowNs + durationNs);
    }

    /** Runs events up to and including {@code endNs}, then sets the clock to {@code endNs}. */
    public void runUntil(long endNs) {
        long budget = eventsPerRunMax;
        while (!queue.isEmpty() && queue.peek().timeNs <= endNs) {
            if (budget-- == 0) {
                budgetExhausted = true;
                return;
            }
            Event e = queue.poll();
            nowNs = e.timeNs;
            e.action.run();
            eventsRun++;
            checkInvariants();
        }
        nowNs = Math.max(nowNs, endNs);
    }

    private void checkInvariants() {
        for (Invariant invariant : invariants) {
            if (violations.size() >= VIOLATIONS_MAX) {
                return;
            }
            int before = violations.size();
            invariant.check(this, violations);
            for (int i = before; i < violations.size(); i++) {
                trace.record(nowNs, "invariant", invariant.name(), violations.get(i).text());
            }
        }
    }
}
