package io.ringwall.node;

import io.ringwall.ring.TokenRing;
import io.ringwall.wire.ByteArrays;
import java.nio.ByteBuffer;

/**
 * Which members have actually held the token in the current ring epoch (the "alive" carriage on the train), and
 * whether that is enough for this node's ring to own VIPs. A node added as a joiner (or listed in a merge offer)
 * counts only once it has taken part, so a minority ring that merely invited a member of the majority never claims
 * quorum.
 */
final class AliveQuorum {
    /** The alive carriage: epoch (8 bytes), node mask (2 bytes). */
    static final int ALIVE_BYTES = Long.BYTES + Short.BYTES;

    private final int self;
    private final int requiredForQuorum;
    private long aliveEpoch = -1;
    private int aliveMask;
    /** The epoch of the last judgement, its result and the alive members it counted. */
    private long judgedEpoch = -1;
    private boolean judgedQuorate;
    private int judgedAlive;
    /** Alive members carried into a ring that only grew ({@link #carryInto}). */
    private long carriedEpoch = -1;
    private int carriedAlive;

    AliveQuorum(int self, int requiredForQuorum) {
        this.self = self;
        this.requiredForQuorum = requiredForQuorum;
    }

    /** The alive carriage as read from the train. */
    void read(byte[] p) {
        if (p.length == ALIVE_BYTES) {
            long epoch = ByteArrays.getLong(p, 0);
            if (epoch >= aliveEpoch) {
                aliveEpoch = epoch;
                aliveMask = ByteArrays.getShort(p, Long.BYTES);
            }
        }
    }

    /** The holder adds itself to the epoch's alive mask (and forgets nodes that left the ring). */
    void mark(TokenRing ring) {
        if (aliveEpoch != ring.epoch()) {
            aliveEpoch = ring.epoch();
            aliveMask = 0;
        }
        int mask = (aliveMask | (1 << self)) & ring.members();
        if (mask != aliveMask) {
            byte[] p = ByteBuffer.allocate(ALIVE_BYTES).putLong(aliveEpoch).putShort((short) mask).array();
            if (ring.offerCarriageUpdate(VipRole.CARRIAGE_ALIVE, p)) {
                aliveMask = mask;
            }
        }
    }

    /**
     * Whether this node's ring may own VIPs: the node is not fenced, the ring reports quorum, and enough of its
     * members have held the token in this epoch (or were alive in the epoch before, {@link #carryInto}).
     */
    boolean quorate(TokenRing ring, boolean fenced) {
        long epoch = ring.epoch();
        if (epoch != judgedEpoch) {
            carryInto(ring);
        }
        int members = ring.members();
        int alive = (aliveEpoch == epoch ? aliveMask : 0) | (carriedEpoch == epoch ? carriedAlive : 0);
        boolean quorate = !fenced && ring.inRing() && ring.hasQuorum() && alive != 0
                && Integer.bitCount(alive & members) >= Math.min(requiredForQuorum, Integer.bitCount(members));
        judgedEpoch = epoch;
        judgedQuorate = quorate;
        judgedAlive = alive & members;
        return quorate;
    }

    /**
     * A ring that only grew (a join or merge added members, no 911 regenerated it) keeps the quorum of the epoch
     * before: the members that had held the token there still count as alive in the new epoch, if every one of them
     * is in it and this node was quorate there when the epoch changed. Without this the owner of the VIPs, which
     * often mints the join epoch itself, found its ring without alive members right after adding a restarted node,
     * let its VIPs go and took them back a hop later (seen on real nodes: VIPs dark for 12 ms at every rejoin, and
     * longer when the joiner was slow). A minority ring that invites members of the majority gains nothing: it
     * was not quorate before.
     */
    private void carryInto(TokenRing ring) {
        long epoch = ring.epoch();
        if (judgedQuorate && epoch > judgedEpoch && !ring.epochRegenerated()
                && (judgedAlive & ~ring.members()) == 0) {
            carriedEpoch = epoch;
            carriedAlive = judgedAlive;
        }
    }
}
