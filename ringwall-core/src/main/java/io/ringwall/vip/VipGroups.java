package io.ringwall.vip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * VIPs that must live on the same node (like keepalived's sync groups): the k-th VIP of every subnet's pool
 * forms group k, so the node that is a host's gateway on one side is also the return gateway on the other.
 * The policy runs on one leader row per group (the VIP of the lowest interface); the other rows of the
 * group mirror their leader exactly — owner, move in flight, preference and flag — so they can never be
 * split across nodes and two-phase moves stay two-phase for the whole group.
 */
public final class VipGroups {
    private final List<VipSpec> leaders = new ArrayList<>();
    /** follower VIP -> its leader VIP. */
    private final Map<Integer, Integer> leaderOf = new HashMap<>();
    private final List<VipSpec> all;

    /** {@code poolsByInterface.get(i)} is the VIP pool of interface i, in configuration order. */
    public VipGroups(List<List<Integer>> poolsByInterface) {
        List<VipSpec> specs = new ArrayList<>();
        Map<Integer, Integer> groupLeader = new HashMap<>();
        for (int itf = 0; itf < poolsByInterface.size(); itf++) {
            List<Integer> pool = poolsByInterface.get(itf);
            for (int k = 0; k < pool.size(); k++) {
                int vip = pool.get(k);
                VipSpec spec = new VipSpec(vip, itf);
                specs.add(spec);
                Integer leader = groupLeader.get(k);
                if (leader == null) {
                    groupLeader.put(k, vip);
                    leaders.add(spec);
                } else {
                    leaderOf.put(vip, leader);
                }
            }
        }
        this.all = List.copyOf(specs);
    }

    public List<VipSpec> leaderSpecs() {
        return List.copyOf(leaders);
    }

    /** The leader VIP of {@code vip} (itself for a leader). */
    public int leaderOf(int vip) {
        return leaderOf.getOrDefault(vip, vip);
    }

    /** Only the leader rows of a full table (null stays null). */
    public VipTable leadersOf(VipTable full) {
        if (full == null) {
            return null;
        }
        List<VipRow> rows = new ArrayList<>();
        for (VipSpec s : leaders) {
            VipRow r = full.row(s.vip());
            if (r == null) {
                return null; // a table from another configuration: start over from the pools
            }
            rows.add(r);
        }
        return new VipTable(rows, full.lastBalanceSeq());
    }

    /** The full table: every follower row copies its leader's state. */
    public VipTable expand(VipTable leaderTable) {
        List<VipRow> rows = new ArrayList<>();
        for (VipSpec s : all) {
            VipRow leader = leaderTable.row(leaderOf(s.vip()));
            rows.add(new VipRow(s.vip(), s.ifIndex(), leader.currentHost(), leader.pendingHost(), leader.releasingHost(),
                    leader.preferredHost(), leader.flag()));
        }
        return new VipTable(rows, leaderTable.lastBalanceSeq());
    }
}
