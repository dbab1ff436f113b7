package io.ringwall.vip;

/**
 * The per-node load carriage payload (docs/vips.md). Big-endian:
 * <pre>
 *   u8  version (= 1)
 *   u16 reportedMask (bit i = node i has an entry)
 *   for each set bit, ascending: { u64 bytesPerSecond, u64 packetsPerSecond, u64 flows }  (each ≥ 0)
 * </pre>
 * {@link #decode} returns null for anything else; it never throws.
 */
public final class LoadCodec {
    public static final int VERSION = 1;
    static final int HEADER_BYTES = 3;
    static final int ENTRY_BYTES = 24;

    private LoadCodec() {}

    public static byte[] encode(ClusterLoads loads) {
        int mask = loads.reportedMask();
        byte[] out = new byte[HEADER_BYTES + Integer.bitCount(mask) * ENTRY_BYTES];
        out[0] = (byte) VERSION;
        Bytes.putShort(out, 1, mask);
        int p = HEADER_BYTES;
        for (int node = 0; node < VipTable.MAX_NODES; node++) {
            if ((mask & (1 << node)) != 0) {
                NodeLoad l = loads.get(node);
                Bytes.putLong(out, p, l.bytesPerSecond());
                Bytes.putLong(out, p + 8, l.packetsPerSecond());
                Bytes.putLong(out, p + 16, l.flows());
                p += ENTRY_BYTES;
            }
        }
        return out;
    }

    public static ClusterLoads decode(byte[] payload) {
        if (payload == null || payload.length < HEADER_BYTES || (payload[0] & 0xFF) != VERSION) {
            return null;
        }
        int mask = Bytes.getShort(payload, 1);
        if (payload.length != HEADER_BYTES + Integer.bitCount(mask) * ENTRY_BYTES) {
            return null;
        }
        ClusterLoads loads = ClusterLoads.NONE;
        int p = HEADER_BYTES;
        for (int node = 0; node < VipTable.MAX_NODES; node++) {
            if ((mask & (1 << node)) != 0) {
                long bytes = Bytes.getLong(payload, p);
                long packets = Bytes.getLong(payload, p + 8);
                long flows = Bytes.getLong(payload, p + 16);
                if (bytes < 0 || packets < 0 || flows < 0) {
                    return null;
                }
                loads = loads.with(node, new NodeLoad(bytes, packets, flows));
                p += ENTRY_BYTES;
            }
        }
        return loads;
    }
}
