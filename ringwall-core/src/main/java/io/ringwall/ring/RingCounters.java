package io.ringwall.ring;

/** Event counters of one node's ring state machine, for status output and tests. Single writer. */
public final class RingCounters {
    long tokensReceived;
    long tokensPassed;
    long retransmissions;
    long membersRemoved;
    long staleTokensRefused;
    long duplicateTokensReacked;
    long tokensSuperseded;
    long nineOneOnesSent;
    long nineOneOnesDenied;
    long stuckHolderRounds;
    long regenerations;
    long joinsAdded;
    long probesSent;
    long mergesLeft;
    long malformed;

    public long tokensReceived() { return tokensReceived; }
    public long tokensPassed() { return tokensPassed; }
    /** Token resends over all paths after half the ack timeout. */
    public long retransmissions() { return retransmissions; }
    /** Destinations removed from the membership after an ack timeout. */
    public long membersRemoved() { return membersRemoved; }
    /** Tokens refused (answered SUPERSEDED) because this node had seen a newer epoch or sequence. */
    public long staleTokensRefused() { return staleTokensRefused; }
    public long duplicateTokensReacked() { return duplicateTokensReacked; }
    /** Own tokens given up because the receiver had seen a newer one. */
    public long tokensSuperseded() { return tokensSuperseded; }
    public long nineOneOnesSent() { return nineOneOnesSent; }
    public long nineOneOnesDenied() { return nineOneOnesDenied; }
    /** 911 rounds started early because another member's 911 proved that the member this node passed the token to never passed it on. */
    public long stuckHolderRounds() { return stuckHolderRounds; }
    public long regenerations() { return regenerations; }
    public long joinsAdded() { return joinsAdded; }
    public long probesSent() { return probesSent; }
    /** Times this node left its ring to join a larger one after a partition healed. */
    public long mergesLeft() { return mergesLeft; }
    /** Undecodable, misaddressed or inconsistent messages dropped. */
    public long malformed() { return malformed; }

    @Override
    public String toString() {
        return "received=" + tokensReceived + " passed=" + tokensPassed + " retransmitted=" + retransmissions
                + " removed=" + membersRemoved + " refused=" + staleTokensRefused + " reacked=" + duplicateTokensReacked
                + " superseded=" + tokensSuperseded + " 911s=" + nineOneOnesSent + " denied=" + nineOneOnesDenied
                + " stuck-rounds=" + stuckHolderRounds
                + " regenerated=" + regenerations + " joined=" + joinsAdded + " probes=" + probesSent
                + " merges=" + mergesLeft + " malformed=" + malformed;
    }
}
