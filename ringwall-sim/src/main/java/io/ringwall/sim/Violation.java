package io.ringwall.sim;

/** An invariant violation: when it was detected and what was wrong. */
public record Violation(long timeNs, String invariant, String text) {
    @Override
    public String toString() {
        return String.format("%.3fms %s: %s", timeNs / 1e6, invariant, text);
    }
}
