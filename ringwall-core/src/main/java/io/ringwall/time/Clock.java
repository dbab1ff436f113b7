package io.ringwall.time;

/** Monotonic time source, injected so that protocol code never reads the real clock. */
@FunctionalInterface
public interface Clock {
    /** Monotonic nanoseconds; only differences are meaningful. Compare deadlines as {@code deadline - now < 0}. */
    long nowNs();
}
