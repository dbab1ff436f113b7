package io.ringwall.ring;

/**
 * Nodes that asked to join this node's ring (by 911 or by answering a merge probe), admitted at its next visit as
 * holder. Single writer: the ring's thread.
 */
final class PendingJoins {
    private int nodes;
    /** The newest ring epoch any of them asked from: the new incarnation must be above it. */
    private long epoch;
    /** {@link #epoch} as it was at the last {@link #admit}. */
    private long admittedFromEpoch;
    private TokenRing.JoinGate gate = node -> true;

    void gate(TokenRing.JoinGate joinGate) {
        this.gate = java.util.Objects.requireNonNull(joinGate);
    }

    /** {@code node} asked to join from a ring of {@code fromEpoch}. */
    void ask(int node, long fromEpoch) {
        nodes |= 1 << node;
        epoch = Math.max(epoch, fromEpoch);
    }

    /**
     * The joiners (not yet {@code members}, within {@code nodeMask}) to add now. A ring with quorum asks the gate
     * about each; a ring too small for quorum admits every joiner: nothing can be re-planned without it, and it must
     * be able to grow back to a quorum. Joiners held back stay queued for the next visit (they also keep asking).
     */
    int admit(int members, int nodeMask, boolean quorate) {
        int joiners = nodes & nodeMask & ~members;
        int admitted = joiners;
        if (quorate) {
            for (int j = joiners; j != 0; j &= j - 1) {
                if (!gate.mayJoin(Integer.numberOfTrailingZeros(j))) {
                    admitted &= ~(j & -j);
                }
            }
        }
        admittedFromEpoch = epoch;
        nodes = joiners & ~admitted;
        if (nodes == 0) {
            epoch = 0;
        }
        return admitted;
    }

    /** The newest epoch the joiners of the last {@link #admit} asked from. */
    long admittedFromEpoch() {
        return admittedFromEpoch;
    }
}
