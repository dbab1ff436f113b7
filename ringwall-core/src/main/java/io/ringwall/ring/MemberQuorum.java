package io.ringwall.ring;

/**
 * Whether a ring's members are enough for quorum (SPEC §3): the quorum policy applied to the node map, or, in a
 * two-node cluster with the tie-breaker on, a half ring whose ping target is reachable and has answered since the
 * ring last changed its members. The time side of quorum (the window since the last accepted token) is
 * {@link TokenRing}'s. Single writer: the ring's thread.
 */
final class MemberQuorum {
    private final int required;
    private final int nodeCount;
    private final boolean tieBreakerEnabled;
    private boolean tieBreakerReachable;
    /** When the tie-breaker target last answered (as reported by the ping monitor). */
    private long tieBreakerReplyNs = Long.MIN_VALUE;
    /** When the members last changed: tie-breaker proof older than this does not count. */
    private long membersChangedNs;

    MemberQuorum(RingConfig config) {
        this.required = config.quorum().required(config.nodeCount());
        this.nodeCount = config.nodeCount();
        this.tieBreakerEnabled = config.tieBreakerEnabled();
    }

    /** Members a ring needs for quorum by count alone. */
    int required() {
        return required;
    }

    void membersChanged(long nowNs) {
        membersChangedNs = nowNs;
    }

    long membersChangedNs() {
        return membersChangedNs;
    }

    /** Input from the ping monitor: its reachability verdict and when the target last answered. */
    void setTieBreaker(boolean reachable, long lastReplyNs) {
        tieBreakerReachable = reachable;
        tieBreakerReplyNs = lastReplyNs;
    }

    /** Whether {@code members} make a quorum: by count, or as a half ring the tie-breaker has vouched for since. */
    boolean holds(int members) {
        int count = Integer.bitCount(members);
        return count >= required
                || (halfRing(count) && tieBreakerReachable && tieBreakerReplyNs >= membersChangedNs);
    }

    /** True while {@code members}, a half ring, wait for a tie-breaker answer newer than their last change. */
    boolean needsTieBreakerProof(int members) {
        return halfRing(Integer.bitCount(members)) && tieBreakerReplyNs < membersChangedNs;
    }

    private boolean halfRing(int count) {
        return tieBreakerEnabled && 2 * count == nodeCount;
    }
}
