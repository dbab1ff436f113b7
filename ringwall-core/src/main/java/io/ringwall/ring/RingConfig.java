package io.ringwall.ring;

/**
 * Timers and quorum of one token ring (SPEC §3). Times in milliseconds, as an operator writes them.
 *
 * @param nodeCount         entries in the node map (1..16); node ids are positions 0..nodeCount-1
 * @param tokenHopMs        how long a holder keeps the token before passing it
 * @param tokenAckTimeoutMs how long a sender waits for the ack (one retransmission over all paths at half of it)
 * @param tokenLossMs       silence after which a member suspects the token is lost and sends a 911
 * @param probeIntervalMs   how often a holder offers merge to non-members (partition healing)
 * @param tieBreakerEnabled two-node clusters: a half-sized ring has quorum while the ping target is reachable
 */
public record RingConfig(int nodeCount, long tokenHopMs, long tokenAckTimeoutMs, long tokenLossMs,
                         long probeIntervalMs, QuorumPolicy quorum, boolean tieBreakerEnabled) {
    public static final int MAX_NODES = 16;
    public static final long DEFAULT_HOP_MS = 10;
    public static final long DEFAULT_ACK_TIMEOUT_MS = 30;
    public static final long DEFAULT_PROBE_INTERVAL_MS = 100;
    /** Transit and scheduling slack in the quorum window. */
    public static final long QUORUM_SLACK_NS = 2_000_000L;

    public RingConfig {
        if (nodeCount < 1 || nodeCount > MAX_NODES) {
            throw new IllegalArgumentException("nodeCount must be 1.." + MAX_NODES + ": " + nodeCount);
        }
        if (tokenHopMs < 1 || tokenAckTimeoutMs < 2 || probeIntervalMs < 1) {
            throw new IllegalArgumentException("timers must be positive (ack timeout >= 2 ms)");
        }
        // A full rotation plus one removal must fit inside the loss timer, or healthy rings would 911.
        long rotation = nodeCount * tokenHopMs + tokenAckTimeoutMs;
        if (tokenLossMs <= rotation) {
            throw new IllegalArgumentException("tokenLossMs " + tokenLossMs + " must exceed a rotation (" + rotation + " ms)");
        }
        if (quorum == null) {
            throw new IllegalArgumentException("quorum is required");
        }
    }

    /** Defaults: hop 10 ms, ack 30 ms, loss = one rotation + an ack timeout + a hop; majority (tie-breaker: opt-in). */
    public static RingConfig defaults(int nodeCount) {
        return withTimers(nodeCount, DEFAULT_HOP_MS, DEFAULT_ACK_TIMEOUT_MS);
    }

    /** The documented fast profile (hop 2 ms, ack 5 ms): crash failover below 20 ms on a quiet LAN. */
    public static RingConfig fast(int nodeCount) {
        return withTimers(nodeCount, 2, 5);
    }

    public static RingConfig withTimers(int nodeCount, long hopMs, long ackTimeoutMs) {
        // The longest normal silence a member sees is (n − 1) hops plus one removal elsewhere (an ack timeout);
        // two hops of margin keep a busy ring from raising false alarms (a false 911 is refused by live members
        // anyway). Every millisecond here is a millisecond of failover when the token holder itself dies.
        long loss = nodeCount * hopMs + ackTimeoutMs + hopMs;
        QuorumPolicy quorum = nodeCount >= 2 ? QuorumPolicy.majority() : QuorumPolicy.none();
        return new RingConfig(nodeCount, hopMs, ackTimeoutMs, loss, DEFAULT_PROBE_INTERVAL_MS, quorum, nodeCount == 2);
    }

    /**
     * The quorum window: how long after the first transmission of its last accepted token a member keeps claiming
     * quorum (and its VIPs). It must outlast the longest interval between two of a healthy member's accepted sends:
     * (n − 1) hops plus a removal of another member on the way (an ack timeout); then either one lost token (its
     * first resend goes out a third of an ack timeout later) or a hop of lateness, whichever is longer; then
     * {@link #QUORUM_SLACK_NS} for transit and scheduling. Every nanosecond here is also in the hold before a removed
     * owner's VIPs are taken over, so it is as short as that allows: 62 ms for three nodes with the default timers,
     * 13 ms with the fast ones.
     */
    public long quorumWindowNs() {
        long hopNs = tokenHopMs * 1_000_000L;
        long ackNs = tokenAckTimeoutMs * 1_000_000L;
        return (nodeCount - 1) * hopNs + ackNs + Math.max(hopNs, ackNs / 3) + QUORUM_SLACK_NS;
    }

    public RingConfig withQuorum(QuorumPolicy policy, boolean tieBreaker) {
        return new RingConfig(nodeCount, tokenHopMs, tokenAckTimeoutMs, tokenLossMs, probeIntervalMs, policy, tieBreaker);
    }
}
