package io.ringwall.vip;

/**
 * Dynamic load balancing (SPEC §7, seed 003's Dynamic Load Balancing): moves at most ONE free (flag 0) VIP
 * per call, i.e. per token visit, from a loaded node to the least loaded eligible node.
 *
 * <p>Why it cannot flap: (1) hysteresis — a move needs busiest > least × (1 + p) and a minimum absolute
 * gap, or an overload that the move cures; (2) no inversion — a VIP is estimated to carry its node's
 * average share s = load / VIPs on the node, and a move happens only if 2s ≤ busiest − least, so the pair
 * does not swap order and the sum of squared loads strictly drops with every move; (3) settling — after a
 * move the balancer waits {@link BalanceConfig#settleHops} hops so it never acts on loads measured before
 * its own last move. (2) holds for true loads when VIPs on a node carry similar traffic; a VIP carrying
 * more than twice its node's average can be over-moved once, and (3) bounds how fast that can repeat.
 */
public final class VipBalancer {
    private VipBalancer() {}

    public static VipTable balance(VipTable table, ClusterLoads loads, RingView ring, BalanceConfig config) {
        if (!ring.quorate() || !settled(table, ring, config)) {
            return table;
        }
        int[] onNode = new int[VipTable.MAX_NODES];
        for (VipRow r : table.rows()) {
            if (r.moving()) {
                return table; // one move at a time: loads are in flux until it completes and settles
            }
            if (r.currentHost() != VipRow.NONE) {
                onNode[r.currentHost()]++;
            }
        }
        int least = VipRow.NONE;
        for (int n = 0; n < VipTable.MAX_NODES; n++) {
            if (candidate(n, loads, ring) && (least == VipRow.NONE || bytes(loads, n) < bytes(loads, least))) {
                least = n;
            }
        }
        if (least == VipRow.NONE) {
            return table;
        }
        long low = bytes(loads, least);
        // Sources from most to least loaded; the first one that may give a VIP away does.
        boolean[] tried = new boolean[VipTable.MAX_NODES];
        while (true) {
            int source = VipRow.NONE;
            for (int n = 0; n < VipTable.MAX_NODES; n++) {
                if (!tried[n] && n != least && candidate(n, loads, ring)
                        && (source == VipRow.NONE || bytes(loads, n) > bytes(loads, source))) {
                    source = n;
                }
            }
            if (source == VipRow.NONE) {
                return table;
            }
            tried[source] = true;
            VipRow free = firstFreeVip(table, source);
            if (free != null && worthMoving(bytes(loads, source), low, onNode[source], config)) {
                VipRow moved = VipPolicy.plannedMove(free, least, ring);
                return table.with(moved).withLastBalanceSeq(Math.max(1, ring.tokenSeq()));
            }
        }
    }

    static boolean worthMoving(long high, long low, int vipsOnSource, BalanceConfig config) {
        if (vipsOnSource == 0 || high <= low) {
            return false;
        }
        long share = high / vipsOnSource;
        long gap = high - low;
        if (share == 0 || share > gap / 2) {
            return false; // would invert (or merely swap) the imbalance
        }
        boolean overloaded = high > config.overloadBytesPerSecond() && low + share <= config.overloadBytesPerSecond();
        boolean imbalanced = gap > config.minGapBytesPerSecond()
                && (double) high * 100 > (double) low * (100 + config.imbalancePercent());
        return overloaded || imbalanced;
    }

    private static boolean settled(VipTable table, RingView ring, BalanceConfig config) {
        long last = table.lastBalanceSeq();
        // A token sequence that went backwards (regenerated or merged ring) counts as settled.
        return last == 0 || ring.tokenSeq() < last || ring.tokenSeq() - last >= config.settleHops();
    }

    private static boolean candidate(int node, ClusterLoads loads, RingView ring) {
        return ring.isEligible(node) && loads.reported(node);
    }

    private static long bytes(ClusterLoads loads, int node) {
        return loads.get(node).bytesPerSecond();
    }

    private static VipRow firstFreeVip(VipTable table, int node) {
        for (VipRow r : table.rows()) {
            if (r.currentHost() == node && r.flag() == VipRow.FREE) {
                return r;
            }
        }
        return null;
    }
}
