package io.ringwall.ring;

/** The deterministic orders the protocol relies on: epochs, and which of two rings absorbs the other. */
final class RingOrder {
    /** Low bits of an epoch name the node that created it, so two partitions never mint the same epoch. */
    static final int EPOCH_NODE_BITS = 4;
    /** Set in epochs minted by a 911 regeneration (every member had been silent for token_loss), not by a join. */
    static final long REGENERATED = 1L << EPOCH_NODE_BITS;
    private static final int EPOCH_LOW_BITS = EPOCH_NODE_BITS + 1;

    private RingOrder() { }

    /** An epoch above {@code highestKnown}, minted by {@code node}; {@code regenerated}: by a 911 round. */
    static long nextEpoch(int node, long highestKnown, boolean regenerated) {
        return (((highestKnown >>> EPOCH_LOW_BITS) + 1) << EPOCH_LOW_BITS) | (regenerated ? REGENERATED : 0) | node;
    }

    /** Whether {@code epoch} was minted by a 911 regeneration. */
    static boolean regenerated(long epoch) {
        return (epoch & REGENERATED) != 0;
    }

    /** Total order on disjoint rings (member bitmasks): more members wins, then the lower lowest member id. */
    static boolean outranks(int ringA, int ringB) {
        int a = Integer.bitCount(ringA);
        int b = Integer.bitCount(ringB);
        return a != b ? a > b : Integer.numberOfTrailingZeros(ringA) < Integer.numberOfTrailingZeros(ringB);
    }
}
