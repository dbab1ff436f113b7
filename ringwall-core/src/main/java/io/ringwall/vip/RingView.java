package io.ringwall.vip;

/**
 * What the token holder knows about its ring when it runs the VIP policy. Masks: bit {@code i} = node id i.
 *
 * @param holder    the node running the policy (it holds the token)
 * @param tokenSeq  the token's sequence number (grows by one per hop; orders balancer moves in time)
 * @param members   the ring's members (live nodes)
 * @param eligible  members that may own VIPs: not joining (bulk transfer incomplete), not closed/draining;
 *                  always a subset of {@code members}
 * @param quorate   whether this ring may own VIPs at all (SPEC §3 quorum / tie-breaker)
 * @param upSince   per node id, how long it has run, as an order (lower = up longer; null: all equal): every node
 *                  that has run longer than its fresh-node time ({@code fresh_node_s}) has {@link #SEASONED}, a fresh
 *                  (restarted) node the token sequence at its first visit, a node that has not said {@link #UNKNOWN}.
 *                  A VIP that must move prefers the node up longest among equally loaded ones.
 */
public record RingView(int holder, long tokenSeq, int members, int eligible, boolean quorate, long[] upSince) {
    /** {@link #upSince} of a node that has run longer than its fresh-node time: all such nodes are equal. */
    public static final long SEASONED = Long.MIN_VALUE;
    /** {@link #upSince} of a node that has not reported yet (it has just joined): the freshest. */
    public static final long UNKNOWN = Long.MAX_VALUE;
    private static final int ALL_NODES = (1 << VipTable.MAX_NODES) - 1;

    public RingView {
        if (holder < 0 || holder >= VipTable.MAX_NODES) {
            throw new IllegalArgumentException("holder out of range: " + holder);
        }
        members &= ALL_NODES;
        eligible &= members;
        if (upSince != null && upSince.length != VipTable.MAX_NODES) {
            throw new IllegalArgumentException("upSince needs one entry per node id");
        }
        upSince = upSince == null ? null : upSince.clone();
    }

    /** Every member counts as seasoned (no fresh node to avoid). */
    public RingView(int holder, long tokenSeq, int members, int eligible, boolean quorate) {
        this(holder, tokenSeq, members, eligible, quorate, null);
    }

    /** Every member is eligible. */
    public static RingView of(int holder, long tokenSeq, int members, boolean quorate) {
        return new RingView(holder, tokenSeq, members, members, quorate);
    }

    public boolean isMember(int node) {
        return node >= 0 && node < VipTable.MAX_NODES && (members & (1 << node)) != 0;
    }

    /** This view as node {@code node} would see it holding the token, with quorum {@code quorate}. */
    public RingView heldBy(int node, boolean quorate) {
        return new RingView(node, tokenSeq, members, eligible, quorate, upSince);
    }

    /** Whether node {@code a} has run longer than node {@code b} by {@link #upSince} (false when they count as equal). */
    public boolean upLonger(int a, int b) {
        return upSince != null && upSince[a] < upSince[b];
    }

    @Override
    public long[] upSince() {
        return upSince == null ? null : upSince.clone();
    }

    public boolean isEligible(int node) {
        return node >= 0 && node < VipTable.MAX_NODES && (eligible & (1 << node)) != 0;
    }
}
