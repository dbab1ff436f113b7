package io.ringwall.vip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The cluster's VIP table: an immutable value carried on the token (one carriage). Rows are sorted by VIP,
 * one row per VIP, so "at most one current host per VIP" holds by construction.
 *
 * @param rows            the rows, sorted by VIP (unsigned), unique
 * @param lastBalanceSeq  token sequence number of the balancer's last move (0 = never); the balancer waits
 *                        a settle period after it so that the load carriage reflects the move (no flapping)
 */
public record VipTable(List<VipRow> rows, long lastBalanceSeq) {
    /** Node ids are 0..15: membership fits a 16-bit mask and a host fits a byte. */
    public static final int MAX_NODES = 16;
    /** Bound on the table size (it rides the token; 256 rows = 2.5 KiB on the wire). */
    public static final int MAX_ROWS = 256;
    public static final VipTable EMPTY = new VipTable(List.of(), 0);

    private static final Comparator<VipRow> BY_VIP = (a, b) -> Integer.compareUnsigned(a.vip(), b.vip());

    public VipTable {
        if (rows.size() > MAX_ROWS) {
            throw new IllegalArgumentException("more than " + MAX_ROWS + " VIPs: " + rows.size());
        }
        List<VipRow> sorted = new ArrayList<>(rows);
        sorted.sort(BY_VIP);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).vip() == sorted.get(i - 1).vip()) {
                throw new IllegalArgumentException("duplicate VIP " + Integer.toUnsignedString(sorted.get(i).vip()));
            }
        }
        rows = List.copyOf(sorted);
    }

    public VipTable(List<VipRow> rows) {
        this(rows, 0);
    }

    /** The row of {@code vip}, or null if the VIP is not in the table. */
    public VipRow row(int vip) {
        int i = indexOf(vip);
        return i < 0 ? null : rows.get(i);
    }

    /** The VIPs {@code nodeId} answers for (sorted). Callers without quorum answer for none (docs/vips.md). */
    public int[] ownedBy(int nodeId) {
        return rows.stream().filter(r -> r.currentHost() == nodeId).mapToInt(VipRow::vip).toArray();
    }

    /** Number of VIPs on or moving to each node (index = node id). */
    public int[] assignedCounts() {
        int[] counts = new int[MAX_NODES];
        for (VipRow r : rows) {
            if (r.assignedHost() != VipRow.NONE) {
                counts[r.assignedHost()]++;
            }
        }
        return counts;
    }

    /** This table with {@code row} replacing the row of the same VIP. */
    public VipTable with(VipRow row) {
        int i = indexOf(row.vip());
        if (i < 0) {
            throw new IllegalArgumentException("unknown VIP " + Integer.toUnsignedString(row.vip()));
        }
        if (rows.get(i).equals(row)) {
            return this;
        }
        VipRow[] copy = rows.toArray(VipRow[]::new);
        copy[i] = row;
        return new VipTable(Arrays.asList(copy), lastBalanceSeq);
    }

    public VipTable withLastBalanceSeq(long seq) {
        return new VipTable(rows, seq);
    }

    private int indexOf(int vip) {
        int lo = 0;
        int hi = rows.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(rows.get(mid).vip(), vip);
            if (c == 0) {
                return mid;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }
}
