package io.ringwall.ring;

/** The deterministic orders the protocol relies on: epochs, and which of two rings absorbs the other. */
final class RingOrder {
    /** Low bits of an epoch name the node that created it, so two partitions never mint the same epoch. */
    static final int EPOCH_NODE_BITS = 4;

    private RingOrder() { }

    /** An epoch above {@code highestKnown}, minted by {@code node}. */
    static long nextEpoch(int node, long highestKnown) {
        return (((highestKnown >>> EPOCH_NODE_BITS) + 1) << EPOCH_NODE_BITS) | node;
    }

    /** Total order on disjoint rings (member bitmasks): more members wins, then the lower lowest member id. */
    static boolean outranks(int ringA, int ringB) {
        int a = Integer.bitCount(ringA);
        int b = Integer.bitCount(ringB);
        return a != b ? a > b : Integer.numberOfTrailingZeros(ringA) < Integer.numberOfTrailingZeros(ringB);
    }
}
