package io.ringwall.node;

import io.ringwall.ring.TokenRing;
import io.ringwall.vip.VipRow;
import io.ringwall.vip.VipTable;
import io.ringwall.wire.Ipv4Address;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who answered for each VIP as far as this node knows, and how long a VIP whose owner was removed from the ring
 * (crashed or cut off, not a planned release) stays dark before this node takes it over: until the old owner, if
 * it is merely cut off, has seen its own quorum lapse and stopped answering (it fences itself after
 * {@link TokenRing#quorumFreshNs()}).
 */
final class TakeoverHolds {
    private final int self;
    private final long hopNs;
    private final List<String> names;
    private final VipRole.Ownership log;
    /** The last ring epoch in which this node saw each node as a member (-1: never). */
    private final long[] lastSeenEpoch;
    /** Every node of the node map, as a member bitmask. */
    private final int allNodes;
    private final Map<Integer, Integer> lastOwner = new HashMap<>();
    /**
     * VIPs this node stopped answering for without a planned hand-over (quorum lapsed, fenced), with the ring epoch
     * it was in then. Another ring may have taken such a VIP since, in a table this node never saw, so a takeover in
     * a later epoch waits the whole quorum window. In the same epoch it does not: membership only shrinks within an
     * epoch, so a node still in it was never removed, and no holder of this epoch's token can have given its VIP
     * away unplanned (a quorum that lapses for a moment between two slow token visits must not leave the VIP dark).
     */
    private final Map<Integer, Long> letGoInEpoch = new HashMap<>();
    private final Map<Integer, Long> holdUntilNs = new HashMap<>();

    TakeoverHolds(int self, long hopNs, List<String> names, VipRole.Ownership log) {
        this.self = self;
        this.hopNs = hopNs;
        this.names = List.copyOf(names);
        this.log = log;
        this.lastSeenEpoch = new long[names.size()];
        this.allNodes = (1 << names.size()) - 1;
        Arrays.fill(lastSeenEpoch, -1);
    }

    /** The ring's members as of this event. */
    void noteMembers(TokenRing ring) {
        for (int m = ring.members(); m != 0; m &= m - 1) {
            lastSeenEpoch[Integer.numberOfTrailingZeros(m)] = ring.epoch();
        }
    }

    /** Remembers who answered for each VIP, to tell a failover (owner removed) from a planned hand-over. */
    void noteOwners(VipTable t) {
        for (VipRow r : t.rows()) {
            if (r.currentHost() != VipRow.NONE && r.currentHost() != self) {
                lastOwner.put(r.vip(), r.currentHost());
                letGoInEpoch.remove(r.vip());
            } else if (r.releasingHost() != VipRow.NONE) {
                lastOwner.remove(r.vip()); // a planned move: the old owner releases explicitly
                letGoInEpoch.remove(r.vip());
            }
        }
    }

    /** This node stopped answering for {@code vip} in {@code epoch}. */
    void released(int vip, long epoch) {
        // Unless a table named the next owner (a planned move), who holds it from now on is unknown here.
        if (Integer.valueOf(self).equals(lastOwner.get(vip))) {
            letGoInEpoch.put(vip, epoch);
        }
    }

    /** Holds for VIPs this node no longer wants are dropped. */
    void keepOnly(Set<Integer> wanted) {
        holdUntilNs.keySet().retainAll(wanted);
    }

    /**
     * Whether this node may take {@code vip} over now. If its previous owner was removed (or is unknown), the first
     * call starts the hold (logged once) and later calls answer true once it has passed.
     */
    boolean mayTakeOver(int vip, long nowNs, TokenRing ring) {
        Long letGo = letGoInEpoch.get(vip);
        boolean ownerUnknown = letGo != null && letGo != ring.epoch();
        Integer previous = lastOwner.get(vip);
        if (!ownerUnknown && (previous == null || previous == self || (ring.members() & (1 << previous)) != 0)) {
            return true;
        }
        Long until = holdUntilNs.get(vip);
        if (until == null) {
            long hold = ownerUnknown ? wholeWindowHoldNs(ring) : takeoverHoldNs(ring, previous);
            until = nowNs + hold;
            holdUntilNs.put(vip, until);
            log.log("vip-hold", "vip=" + Ipv4Address.format(vip) + " for " + hold / 1_000_000
                    + " ms: its previous owner (" + (ownerUnknown ? "unknown" : names.get(previous))
                    + ") may still answer for it until its quorum window has lapsed");
        }
        return nowNs - until >= 0;
    }

    /** This node answers for {@code vip} from now on. */
    void tookOver(int vip) {
        holdUntilNs.remove(vip);
        lastOwner.put(vip, self);
        letGoInEpoch.remove(vip);
    }

    boolean nonePending() {
        return holdUntilNs.isEmpty();
    }

    /** The end of the earliest pending hold ({@link Long#MAX_VALUE}: none). */
    long nextDeadlineNs() {
        long next = Long.MAX_VALUE;
        if (!holdUntilNs.isEmpty()) { // usually empty: don't build an iterator on every call
            for (long until : holdUntilNs.values()) {
                next = Math.min(next, until);
            }
        }
        return next;
    }

    /**
     * How long a VIP of a removed owner stays dark: until the old owner, if it is merely cut off, has seen its
     * quorum window ({@link TokenRing#quorumFreshNs()}, W, from the send time of its last accepted token) lapse.
     * <p>Removed in the current epoch (only an ack timeout drops a member without a new epoch): the old owner's
     * successor received that token no earlier than it was sent, then the token crossed the other members of the
     * ring before the removal (one hop each: at least as many as are members now) and the predecessor waited a
     * whole ack timeout before removing it. So at most W − members·hop − ack of the window remain, plus 1 ms of
     * timer rounding (13 ms for three nodes with the default timers, 5 ms with the fast ones). Within two rotations
     * of a 911 regeneration ({@link TokenRing#unheldRotationRecent}) the first rotation did not hold the token (each
     * member passes it on at once the first time), so only one hop is certain — W − hop − ack + 1 ms (23 and 7 ms) —
     * and the old owner's last send may predate the regeneration, so the regenerated bound below also applies.
     * In a ring regenerated by a 911 round, every member had been silent for token_loss when it answered, including
     * (single failure) the old owner's successor, which received its last accepted token: at most W − loss remain;
     * two hops of margin cover a successor that failed too (the hold is the bound itself, not clamped first: W − loss
     * is negative with the default timers, 12 ms in all with them, 4 ms with the fast ones). When the regenerated
     * ring holds every node of the node map but the old owner, the old owner's last accepted send was accepted by a
     * member of it (one that accepted and then crashed would be missing too) that was silent for token_loss when the
     * round ran — it cannot be the originator of a stuck-holder round, the one member that may have been silent for
     * less: its last token event is the old owner's ack of its pass, and had the old owner passed it the token before,
     * the two would be the only members, with nobody to send the 911 that started the round (see {@link TokenRing})
     * — and no margin for a second failure is needed: W − loss remains at most, plus 1 ms of timer rounding (1 ms in
     * all with the default and the fast timers; it was the 12 ms above for every holder crash). Otherwise (a join or
     * merge moved this node to another ring incarnation) nothing bounds how recently the old owner's token was
     * accepted, and the whole window plus a hop must pass — as it must when this node does not know the old owner
     * ({@link #letGoInEpoch}: a ring it was not in may have given the VIP to a node that is cut off now, and this
     * node's train, carried into a join, still names itself).
     */
    private long takeoverHoldNs(TokenRing ring, int previousOwner) {
        if (lastSeenEpoch[previousOwner] == ring.epoch()) {
            // A regenerated ring's first rotation passes the token on without holding it, so shortly after a
            // regeneration only the originator's second visit is a certain hop between the old owner's last send and
            // its removal — and that send may even predate the regeneration (then the regenerated bound holds).
            boolean unheld = ring.unheldRotationRecent();
            int heldHops = unheld ? 1 : Integer.bitCount(ring.members());
            long hold = Math.max(0, ring.quorumFreshNs() - heldHops * hopNs - ring.tokenAckTimeoutNs()) + 1_000_000L;
            return unheld ? Math.max(hold, regeneratedHoldNs(ring)) : hold;
        }
        if (ring.epochRegenerated()) {
            return ring.members() == (allNodes & ~(1 << previousOwner)) ? soleAbsenteeHoldNs(ring)
                    : regeneratedHoldNs(ring);
        }
        return wholeWindowHoldNs(ring);
    }

    /** A regenerated ring of every node but the old owner: see {@link #takeoverHoldNs}. */
    private long soleAbsenteeHoldNs(TokenRing ring) {
        return Math.max(0, ring.quorumFreshNs() - ring.tokenLossNs()) + 1_000_000L;
    }

    private long regeneratedHoldNs(TokenRing ring) {
        return Math.max(0, ring.quorumFreshNs() - ring.tokenLossNs() + 2 * hopNs);
    }

    /** The hold when nothing bounds how recently the old owner's token was accepted. */
    private long wholeWindowHoldNs(TokenRing ring) {
        return ring.quorumFreshNs() + hopNs;
    }
}
