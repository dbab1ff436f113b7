package io.ringwall.node;

/**
 * Rounds of path probes a node sent ({@link PathMonitor}; a round is one probe on every path to one peer): with a
 * ring message to the same peer, which wakes the peer anyway, and from the timer, when no ring message went to the
 * peer within the slack. In a healthy ring nearly every round rides with a ring message.
 */
public record PathProbeRounds(long withRingMessage, long byTimer) {
}
