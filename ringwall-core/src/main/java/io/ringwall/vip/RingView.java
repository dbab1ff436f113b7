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
 * @param seasoned  members that have run longer than the fresh-node time ({@code fresh_node_s}): a VIP that must
 *                  move prefers them over an equally loaded fresh (restarted) node
 */
public record RingView(int holder, long tokenSeq, int members, int eligible, boolean quorate, int seasoned) {
    private static final int ALL_NODES = (1 << VipTable.MAX_NODES) - 1;

    public RingView {
        if (holder < 0 || holder >= VipTable.MAX_NODES) {
            throw new IllegalArgumentException("holder out of range: " + holder);
        }
        members &= ALL_NODES;
        eligible &= members;
        seasoned &= members;
    }

    /** Every member counts as seasoned (no fresh node to avoid). */
    public RingView(int holder, long tokenSeq, int members, int eligible, boolean quorate) {
        this(holder, tokenSeq, members, eligible, quorate, members);
    }

    /** Every member is eligible. */
    public static RingView of(int holder, long tokenSeq, int members, boolean quorate) {
        return new RingView(holder, tokenSeq, members, members, quorate);
    }

    public boolean isMember(int node) {
        return node >= 0 && node < VipTable.MAX_NODES && (members & (1 << node)) != 0;
    }

    public boolean isSeasoned(int node) {
        return node >= 0 && node < VipTable.MAX_NODES && (seasoned & (1 << node)) != 0;
    }

    public boolean isEligible(int node) {
        return node >= 0 && node < VipTable.MAX_NODES && (eligible & (1 << node)) != 0;
    }
}
