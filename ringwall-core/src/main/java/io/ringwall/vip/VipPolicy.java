package io.ringwall.vip;

import io.ringwall.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The VIP table's policy: failover, return to preferred hosts, operator commands (SPEC §7). Pure functions
 * of (table, ring view); the token holder calls them and puts the result back on the train.
 * Per token visit the holder applies operator commands ({@link #move}, {@link #prefer}), then
 * {@link #reassign}, then {@link VipBalancer#balance}. Sequence of a planned move: docs/vips.md.
 */
public final class VipPolicy {
    private VipPolicy() {}

    /** What an operator command did: the new table, whether it was carried out, and why (in words). */
    public record Outcome(VipTable table, boolean ok, String message) {
    }

    /** A fresh table from the configured pools, assigned to the ring's eligible nodes (see {@link #reassign}). */
    public static VipTable initial(List<VipSpec> pools, RingView ring) {
        List<VipRow> rows = new ArrayList<>(pools.size());
        for (VipSpec s : pools) {
            int flag = s.preferredHost() == VipRow.NONE ? VipRow.FREE : VipRow.STICKY_PREFERRED;
            rows.add(VipRow.settled(s.vip(), s.ifIndex(), VipRow.NONE, s.preferredHost(), flag));
        }
        return reassign(new VipTable(rows), ring);
    }

    /**
     * Failover and return-to-preferred, for every row:
     * <ul>
     *   <li>no quorum: the table is returned unchanged (a minority ring changes nothing) and every node of
     *       that ring answers for no VIP (callers use {@link VipOwnershipDiff#releaseAll});</li>
     *   <li>a planned move completes once its old owner has provably released (the old owner holds the token
     *       now, or it left the ring); its target takes over if still eligible, else another node;</li>
     *   <li>a VIP whose current host left the ring, or that has no host, goes to a node AT ONCE;</li>
     *   <li>a VIP whose current host is a member but not eligible (closing) is moved away (planned move);</li>
     *   <li>a flag-3 VIP whose preferred host is eligible moves back there (planned move).</li>
     * </ul>
     * Target choice: the preferred host if eligible, else the eligible node with the fewest VIPs, ties to the node
     * up longest ({@link RingView#upSince}: seasoned nodes are equal), then by lowest id (rows are visited in VIP
     * order, so a fresh table comes out round-robin).
     */
    public static VipTable reassign(VipTable table, RingView ring) {
        return reassign(table, ring, node -> true);
    }

    /**
     * {@link #reassign(VipTable, RingView)}, where a closed (draining) node hands its VIPs over only once
     * {@code handoverReady} says so for it: the node's connection state must be with the VIPs' next holders first,
     * so that its flow buckets can move in the same step as the VIPs (see docs/cluster.md, "Draining").
     */
    public static VipTable reassign(VipTable table, RingView ring, IntPredicate handoverReady) {
        if (!ring.quorate()) {
            return table;
        }
        int[] counts = table.assignedCounts();
        VipTable out = table;
        for (VipRow r : table.rows()) {
            VipRow next = reassignRow(r, ring, counts, handoverReady);
            if (next.assignedHost() != r.assignedHost()) {
                if (r.assignedHost() != VipRow.NONE) {
                    counts[r.assignedHost()]--;
                }
                if (next.assignedHost() != VipRow.NONE) {
                    counts[next.assignedHost()]++;
                }
            }
            out = out.with(next);
        }
        return out;
    }

    private static VipRow reassignRow(VipRow r, RingView ring, int[] counts, IntPredicate handoverReady) {
        if (r.moving()) {
            boolean released = r.releasingHost() == VipRow.NONE || r.releasingHost() == ring.holder()
                    || !ring.isMember(r.releasingHost());
            int target = ring.isEligible(r.pendingHost()) ? r.pendingHost() : choose(r, ring, counts);
            if (!released) {
                return r.releasing(r.releasingHost(), target);
            }
            r = r.ownedBy(target);
        }
        int current = r.currentHost();
        if (current == VipRow.NONE || !ring.isMember(current)) {
            return r.ownedBy(choose(r, ring, counts));
        }
        if (!ring.isEligible(current)) {
            if (current != ring.holder() || !handoverReady.test(current)) {
                // A member that may not own (closed, i.e. draining) hands its VIPs over itself at its next visit:
                // as holder it releases and names the new owner in one step, so the VIP is never dark for a
                // rotation as with a release requested by another holder.
                return r;
            }
            int target = choose(r, ring, counts);
            return target == VipRow.NONE ? r : plannedMove(r, target, ring);
        }
        if (r.flag() == VipRow.STICKY_PREFERRED && current != r.preferredHost() && ring.isEligible(r.preferredHost())) {
            return plannedMove(r, r.preferredHost(), ring);
        }
        return r;
    }

    /**
     * Where the VIPs of the closed node {@code closed} would go if it handed them over now (as holder of the ring
     * {@code ring} describes): a node mask, 0 if it holds none or no node could take them. The bucket planner
     * names these nodes its flows' next owners before the VIPs move, so that both move together.
     */
    public static int drainTargets(VipTable table, RingView ring, int closed) {
        if (!ring.quorate() || ring.isEligible(closed)) {
            return 0;
        }
        VipTable after = reassign(table, ring.heldBy(closed, true));
        int targets = 0;
        for (VipRow r : table.rows()) {
            if (r.currentHost() == closed) {
                int to = after.row(r.vip()).assignedHost();
                targets |= to == VipRow.NONE || to == closed ? 0 : 1 << to;
            }
        }
        return targets;
    }

    /**
     * Preferred host if eligible, else the eligible node with the fewest VIPs, else NONE. Ties go to the node up
     * longest (a node restarted moments ago takes its first VIPs and buckets with code the JIT has not compiled
     * yet; nodes up longer than their fresh-node time count as equal), then to the lowest id.
     */
    static int choose(VipRow r, RingView ring, int[] counts) {
        if (ring.isEligible(r.preferredHost())) {
            return r.preferredHost();
        }
        int best = VipRow.NONE;
        for (int node = 0; node < VipTable.MAX_NODES; node++) {
            if (ring.isEligible(node) && (best == VipRow.NONE || counts[node] < counts[best]
                    || counts[node] == counts[best] && ring.upLonger(node, best))) {
                best = node;
            }
        }
        return best;
    }

    /**
     * Phase one of a planned move of a settled row. If the holder itself is the old owner it releases before
     * the token leaves it, so the target may own at once; otherwise the row goes "releasing" and
     * {@link #reassign} completes it at the old owner's next token visit (or when the old owner left).
     */
    static VipRow plannedMove(VipRow r, int target, RingView ring) {
        int from = r.currentHost();
        if (from == target) {
            return r;
        }
        if (from == VipRow.NONE || from == ring.holder() || !ring.isMember(from)) {
            return r.ownedBy(target);
        }
        return r.releasing(from, target);
    }

    /**
     * Operator move (two-phase, see {@link #plannedMove}). The VIP becomes flag 1 (sticky where it lands), so
     * neither the balancer nor a preference (flag 3) pulls it back; the preferred host stays recorded.
     */
    public static Outcome move(VipTable table, int vip, int toNode, RingView ring) {
        VipRow r = table.row(vip);
        if (r == null) {
            return new Outcome(table, false, "no such VIP " + Ipv4Address.format(vip));
        }
        if (!ring.quorate()) {
            return new Outcome(table, false, "this ring has no quorum");
        }
        if (!ring.isEligible(toNode)) {
            return new Outcome(table, false, "node " + toNode + " is not an eligible member");
        }
        VipRow pinned = r.withPreference(r.preferredHost(), VipRow.STICKY_CURRENT);
        VipRow next;
        if (r.moving()) {
            boolean backToOldOwner = toNode == r.releasingHost();
            next = backToOldOwner ? pinned.ownedBy(toNode) : pinned.releasing(r.releasingHost(), toNode);
        } else {
            next = plannedMove(pinned, toNode, ring);
        }
        String how = next.currentHost() == toNode ? "now on node " : "releasing, moves at the next token visit to node ";
        return new Outcome(table.with(next), true, Ipv4Address.format(vip) + " " + how + toNode);
    }

    /** Sets the preferred host and flag 3 (SPEC §7); {@link #reassign} then moves it there if eligible. */
    public static Outcome prefer(VipTable table, int vip, int node) {
        VipRow r = table.row(vip);
        if (r == null) {
            return new Outcome(table, false, "no such VIP " + Ipv4Address.format(vip));
        }
        if (node < 0 || node >= VipTable.MAX_NODES) {
            return new Outcome(table, false, "no such node " + node);
        }
        VipTable next = table.with(r.withPreference(node, VipRow.STICKY_PREFERRED));
        return new Outcome(next, true, Ipv4Address.format(vip) + " prefers node " + node);
    }

    /** Removes the preference and makes the VIP free (flag 0): the balancer may move it again. */
    public static Outcome unpin(VipTable table, int vip) {
        VipRow r = table.row(vip);
        if (r == null) {
            return new Outcome(table, false, "no such VIP " + Ipv4Address.format(vip));
        }
        return new Outcome(table.with(r.withPreference(VipRow.NONE, VipRow.FREE)), true, Ipv4Address.format(vip) + " is free");
    }
}
