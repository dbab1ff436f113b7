package io.ringwall.ring;

/**
 * The longer token ack timeout around a join (docs/membership.md, "Join grace"). For {@link #WINDOW_NS} after a
 * member was added to this node's view of the ring (when this node itself joins, every other member is), and after
 * this node started, a token passed to that member — or any token this node passes — waits at least
 * {@link #ACK_FLOOR_NS} for its ack before the destination is removed, not just the configured ack timeout. The
 * timers that allow for one ack timeout on the token's way — the loss timer (911) and the stuck-holder proof — are
 * stretched by as much meanwhile ({@link #stretch}), or a member would send its 911 while the token waits out a grace.
 * <p>Why: a node that has just started runs its first real tokens, bulk transfers and bucket maps with code the JIT
 * is still compiling, while its compiler threads take CPU from the whole host; the members around it see cycles of
 * 3–15 ms then. With the fast timers (5 ms ack timeout) that was enough to remove the joiner — or, with the
 * joiner as the judge, a healthy owner — and each removal and re-join brought more of the same work: up to hundreds
 * of ring changes and tens of VIP releases in the 3 s after a restart, and probe gaps of 24–74 ms
 * (bench/failover.sh's rejoin). Only removals get slower, and only next to a join: a member is never removed
 * sooner than the ack timeout after the send, so the takeover holds, which assume at least that, stay safe.
 * Single writer (the ring's thread); times from the ring's clock.
 */
final class JoinGrace {
    /** How long after a join its hops keep the longer ack timeout. */
    static final long WINDOW_NS = 2_000_000_000L;
    /** The ack timeout of a hop next to a join, if the configured one is shorter. */
    static final long ACK_FLOOR_NS = 20_000_000L;

    private final int self;
    private final long configuredAckNs;
    /** How much longer than the configured ack timeout a hop next to a join waits (0: the grace changes nothing). */
    private final long extraAckNs;
    private final long[] addedAtNs;
    /** The latest of {@link #addedAtNs}: whether any member joined recently. */
    private long lastAddedNs = Long.MIN_VALUE;
    private long startedNs = Long.MIN_VALUE;

    JoinGrace(int self, int nodeCount, long configuredAckNs) {
        this.self = self;
        this.configuredAckNs = configuredAckNs;
        this.extraAckNs = Math.max(0, ACK_FLOOR_NS - configuredAckNs);
        this.addedAtNs = new long[nodeCount];
        java.util.Arrays.fill(addedAtNs, Long.MIN_VALUE);
    }

    /** The node boots: everything it does first runs cold. */
    void started(long nowNs) {
        startedNs = nowNs;
    }

    /**
     * This node's view of the members changed from {@code before} to {@code after} ({@code before} is 0 while it
     * was outside any ring, so when this node joins, every other member counts as added).
     */
    void membersChanged(long nowNs, int before, int after) {
        int added = after & ~before & ~(1 << self);
        if (added != 0) {
            lastAddedNs = nowNs;
        }
        for (; added != 0; added &= added - 1) {
            addedAtNs[Integer.numberOfTrailingZeros(added)] = nowNs;
        }
    }

    /** The ack timeout for a token this node passes to {@code destination} now (the configured one + any grace). */
    long ackTimeoutNs(long nowNs, int destination) {
        return recent(nowNs, startedNs) || recent(nowNs, addedAtNs[destination]) ? configuredAckNs + extraAckNs
                : configuredAckNs;
    }

    /**
     * A timer that allows for one ack timeout on the token's way ({@code timerNs}, e.g. the loss timer or the
     * stuck-holder proof), stretched by what a hop next to a join may wait more: while this node started recently or
     * any member was added to its view recently. Else {@code timerNs}.
     */
    long stretch(long nowNs, long timerNs) {
        return recent(nowNs, startedNs) || recent(nowNs, lastAddedNs) ? timerNs + extraAckNs : timerNs;
    }

    private static boolean recent(long nowNs, long sinceNs) {
        return sinceNs != Long.MIN_VALUE && nowNs - sinceNs < WINDOW_NS;
    }
}
