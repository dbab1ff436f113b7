package io.ringwall.node;

import io.ringwall.ring.TokenRing;
import io.ringwall.vip.RingView;
import io.ringwall.vip.VipTable;
import io.ringwall.wire.ByteArrays;
import java.util.Arrays;
import java.util.List;

/**
 * The "up since" carriage (type 9): for every member, how long its current incarnation has run, as an order that
 * every node reads the same way ({@link RingView#upSince}). A VIP that must move goes to the node up longest among
 * equally loaded ones, because a node restarted moments ago runs its first takeover with code the JIT has not
 * compiled yet. Entries: node id (1 byte), then 8 bytes: {@link RingView#SEASONED} once the node has run its
 * fresh-node time, before that the token sequence of its first visit in a ring with other members (the token
 * sequence only grows, so it orders starts the same way on every node, unlike a clock). A member writes only its own
 * entry, while it holds the token; a restarted node replaces its earlier incarnation's entry at its first visit, and
 * entries of nodes that left the ring are dropped.
 */
final class UpSince {
    static final int CARRIAGE_UP_SINCE = 9;
    private static final int ENTRY_BYTES = 1 + Long.BYTES;

    private final int self;
    private final long freshNs;
    /** Per node id, the value on the train (RingView.UNKNOWN: no entry). */
    private final long[] since = new long[VipTable.MAX_NODES];
    /** The token sequence of this incarnation's first visit (-1: not yet). */
    private long firstSequence = -1;

    UpSince(int self, long freshNs) {
        this.self = self;
        this.freshNs = freshNs;
        Arrays.fill(since, RingView.UNKNOWN);
    }

    /**
     * Takes the train's entries (whole entries only; unknown node ids are skipped). Decoded at every read, not only
     * when the payload changed: an offer of ours that never made it onto the train (the visit ended without passing
     * the token) must not linger here, or this node would believe its entry is there and never write it again.
     */
    void read(byte[] payload) {
        Arrays.fill(since, RingView.UNKNOWN);
        for (int off = 0; off + ENTRY_BYTES <= payload.length; off += ENTRY_BYTES) {
            int node = payload[off] & 0xFF;
            if (node < VipTable.MAX_NODES) {
                since[node] = ByteArrays.getLong(payload, off + 1);
            }
        }
    }

    /**
     * The holder's turn: writes this node's entry (its first visit's sequence while fresh, then SEASONED) and drops
     * the entries of nodes that left. Returns true when this visit made the node seasoned (never when fresh nodes are
     * not avoided: fresh_node_s = 0 makes every node seasoned at its first visit, which is nothing to report).
     */
    boolean update(long nowNs, long startedNs, TokenRing ring) {
        if (firstSequence < 0 && Integer.bitCount(ring.members()) > 1) {
            // Not while alone: a restarted node often comes up alone first, in a ring of its own whose sequence
            // starts again near 0, and that number would rank it before every node of the ring it then joins.
            firstSequence = ring.sequence();
        }
        boolean seasoned = nowNs - startedNs >= freshNs;
        long own = seasoned ? RingView.SEASONED : firstSequence < 0 ? RingView.UNKNOWN : firstSequence;
        long[] next = null; // allocated only when an entry changes; the usual visit changes none
        for (int n = 0; n < since.length; n++) {
            long want = n == self ? own : (ring.members() & (1 << n)) == 0 ? RingView.UNKNOWN : since[n];
            if (want != since[n]) {
                next = next == null ? since.clone() : next;
                next[n] = want;
            }
        }
        if (next == null || !ring.offerCarriageUpdate(CARRIAGE_UP_SINCE, encode(next))) {
            return false;
        }
        boolean becameSeasoned = freshNs > 0 && seasoned && since[self] != RingView.SEASONED;
        System.arraycopy(next, 0, since, 0, since.length);
        return becameSeasoned;
    }

    /** This order in words, e.g. {@code "gw1 seasoned, gw2 fresh since token 1234, gw3 unknown"}, for log lines. */
    String describe(int members, List<ClusterSettings.Member> names) {
        return NodeStatus.Up.text(of(members, names));
    }

    /** The {@code members}' entries, in node-map order, for the status report. */
    List<NodeStatus.Up> of(int members, List<ClusterSettings.Member> names) {
        List<NodeStatus.Up> out = new java.util.ArrayList<>();
        for (ClusterSettings.Member m : names) {
            if ((members & (1 << m.id())) != 0) {
                long v = since[m.id()];
                out.add(new NodeStatus.Up(m.name(), v == RingView.SEASONED ? "seasoned"
                        : v == RingView.UNKNOWN ? "unknown" : "fresh since token " + v));
            }
        }
        return out;
    }

    /** The order for {@link RingView} (which copies it): null when fresh nodes are not avoided (fresh_node_s = 0). */
    long[] view() {
        return freshNs == 0 ? null : since;
    }

    static byte[] encode(long[] values) {
        int count = 0;
        for (long v : values) {
            count += v == RingView.UNKNOWN ? 0 : 1;
        }
        byte[] out = new byte[count * ENTRY_BYTES];
        int off = 0;
        for (int n = 0; n < values.length; n++) {
            if (values[n] != RingView.UNKNOWN) {
                out[off] = (byte) n;
                ByteArrays.putLong(out, off + 1, values[n]);
                off += ENTRY_BYTES;
            }
        }
        return out;
    }
}
