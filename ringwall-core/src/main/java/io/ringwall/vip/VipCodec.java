package io.ringwall.vip;

import java.util.ArrayList;
import java.util.List;

/**
 * The VIP table carriage payload (docs/vips.md). Big-endian:
 * <pre>
 *   u8  version (= 1)
 *   u64 lastBalanceSeq
 *   u16 rowCount (≤ VipTable.MAX_ROWS)
 *   rowCount × { u32 vip, u8 ifIndex, u8 current, u8 pending, u8 releasing, u8 preferred, u8 flag }
 * </pre>
 * Hosts are node ids 0..15 or 0xFF for none. Rows are strictly ascending by VIP.
 * {@link #decode} returns null for anything that is not exactly such a payload; it never throws.
 */
public final class VipCodec {
    public static final int VERSION = 1;
    static final int HEADER_BYTES = 1 + 8 + 2;
    static final int ROW_BYTES = 4 + 6;
    private static final int NO_HOST = 0xFF;

    private VipCodec() {}

    public static byte[] encode(VipTable table) {
        List<VipRow> rows = table.rows();
        byte[] out = new byte[HEADER_BYTES + rows.size() * ROW_BYTES];
        out[0] = (byte) VERSION;
        Bytes.putLong(out, 1, table.lastBalanceSeq());
        Bytes.putShort(out, 9, rows.size());
        int p = HEADER_BYTES;
        for (VipRow r : rows) {
            Bytes.putInt(out, p, r.vip());
            out[p + 4] = (byte) r.ifIndex();
            out[p + 5] = host(r.currentHost());
            out[p + 6] = host(r.pendingHost());
            out[p + 7] = host(r.releasingHost());
            out[p + 8] = host(r.preferredHost());
            out[p + 9] = (byte) r.flag();
            p += ROW_BYTES;
        }
        return out;
    }

    /** The table, or null if {@code payload} is malformed, of another version, or violates a row invariant. */
    public static VipTable decode(byte[] payload) {
        if (payload == null || payload.length < HEADER_BYTES || (payload[0] & 0xFF) != VERSION) {
            return null;
        }
        int count = Bytes.getShort(payload, 9);
        if (count > VipTable.MAX_ROWS || payload.length != HEADER_BYTES + count * ROW_BYTES) {
            return null;
        }
        List<VipRow> rows = new ArrayList<>(count);
        int p = HEADER_BYTES;
        for (int i = 0; i < count; i++, p += ROW_BYTES) {
            int vip = Bytes.getInt(payload, p);
            if (i > 0 && Integer.compareUnsigned(vip, rows.get(i - 1).vip()) <= 0) {
                return null;
            }
            int current = host(payload[p + 5]);
            int pending = host(payload[p + 6]);
            int releasing = host(payload[p + 7]);
            int preferred = host(payload[p + 8]);
            int flag = payload[p + 9] & 0xFF;
            if (!VipRow.isValidHost(current) || !VipRow.isValidHost(pending) || !VipRow.isValidHost(releasing)
                    || !VipRow.isValidHost(preferred) || !VipRow.isValidFlag(flag)
                    || (current != VipRow.NONE && (pending != VipRow.NONE || releasing != VipRow.NONE))) {
                return null;
            }
            rows.add(new VipRow(vip, payload[p + 4] & 0xFF, current, pending, releasing, preferred, flag));
        }
        return new VipTable(rows, Bytes.getLong(payload, 1));
    }

    private static byte host(int host) {
        return (byte) (host == VipRow.NONE ? NO_HOST : host);
    }

    private static int host(byte b) {
        int v = b & 0xFF;
        return v == NO_HOST ? VipRow.NONE : v;
    }
}
