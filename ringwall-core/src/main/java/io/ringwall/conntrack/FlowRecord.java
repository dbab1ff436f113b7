package io.ringwall.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Compact, fixed-size, big-endian byte form of one flow for replication. Times travel as ages relative to the
 * sender's clock (idle and lifetime) because monotonic clocks of different nodes are unrelated.
 * Decoding validates every field and never throws on bad input.
 */
public final class FlowRecord {
    public static final int FORMAT = 1;
    public static final int BYTES = 168;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int FLAG_ORIGIN_SWAPPED = 1;
    private static final int FLAG_REPLIED = 2;

    private FlowRecord() {}

    /** Writes the slot's record at {@code off}; returns {@link #BYTES}, or -1 if the slot is free or it does not fit. */
    static int encode(FlowTable t, int s, long nowNs, byte[] dst, int off) {
        if (s < 0 || s >= t.capacity() || !t.used(s) || off < 0 || dst.length - off < BYTES) {
            return -1;
        }
        dst[off] = FORMAT;
        dst[off + 1] = (byte) t.family(s);
        dst[off + 2] = (byte) t.protocol(s);
        dst[off + 3] = (byte) t.state(s);
        dst[off + 4] = (byte) ((t.originSwapped(s) ? FLAG_ORIGIN_SWAPPED : 0) | (t.replied(s) ? FLAG_REPLIED : 0));
        dst[off + 5] = 0; dst[off + 6] = 0; dst[off + 7] = 0;
        LONG.set(dst, off + 8, t.version[s]);
        int k = s * FlowTable.KEY_STRIDE;
        LONG.set(dst, off + 16, t.keys[k]);
        LONG.set(dst, off + 24, t.keys[k + 1]);
        LONG.set(dst, off + 32, t.keys[k + 2]);
        LONG.set(dst, off + 40, t.keys[k + 3]);
        INT.set(dst, off + 48, t.ports(s));
        LONG.set(dst, off + 52, t.natAHi[s]);
        LONG.set(dst, off + 60, t.natALo[s]);
        LONG.set(dst, off + 68, t.natBHi[s]);
        LONG.set(dst, off + 76, t.natBLo[s]);
        INT.set(dst, off + 84, t.natPorts[s]);
        LONG.set(dst, off + 88, Math.max(0, nowNs - t.lastSeenNs[s]));
        LONG.set(dst, off + 96, Math.max(0, nowNs - t.createdNs[s]));
        LONG.set(dst, off + 104, t.packets[s * 2]);
        LONG.set(dst, off + 112, t.packets[s * 2 + 1]);
        LONG.set(dst, off + 120, t.bytes[s * 2]);
        LONG.set(dst, off + 128, t.bytes[s * 2 + 1]);
        for (int d = 0; d < 2; d++) {
            int p = off + 136 + 16 * d;
            int i = TcpWindow.base(s, d);
            INT.set(dst, p, t.tcp[i + TcpWindow.END]);
            INT.set(dst, p + 4, t.tcp[i + TcpWindow.MAX_END]);
            INT.set(dst, p + 8, t.tcp[i + TcpWindow.MAX_WIN]);
            INT.set(dst, p + 12, t.tcp[i + TcpWindow.FLAGS] & TcpWindow.REPLICATED_FLAGS);
        }
        return BYTES;
    }

    /** Validates the record and fills {@code key} (swapped = originator is endpoint B); false if malformed. */
    static boolean decodeKey(byte[] src, int off, int len, FlowKey key) {
        if (src == null || off < 0 || len < BYTES || src.length - off < len) {
            return false;
        }
        int family = src[off + 1] & 0xFF;
        int protocol = src[off + 2] & 0xFF;
        int state = src[off + 3] & 0xFF;
        int flags = src[off + 4] & 0xFF;
        if (src[off] != FORMAT || (family != FlowKey.FAMILY_V4 && family != FlowKey.FAMILY_V6)
                || !FlowState.validFor(protocol, state) || (flags & ~(FLAG_ORIGIN_SWAPPED | FLAG_REPLIED)) != 0
                || (long) LONG.get(src, off + 88) < 0 || (long) LONG.get(src, off + 96) < 0) {
            return false;
        }
        long aHi = (long) LONG.get(src, off + 16), aLo = (long) LONG.get(src, off + 24);
        long bHi = (long) LONG.get(src, off + 32), bLo = (long) LONG.get(src, off + 40);
        int ports = (int) INT.get(src, off + 48);
        if (family == FlowKey.FAMILY_V4 && !(isV4Mapped(aHi, aLo) && isV4Mapped(bHi, bLo))) {
            return false;
        }
        // Rebuild through the normalizing setter so a crafted record cannot smuggle in a non-normalized key.
        key.set(family, protocol, aHi, aLo, ports >>> 16, bHi, bLo, ports & 0xFFFF);
        if (key.swapped) {
            return false;
        }
        key.swapped = (flags & FLAG_ORIGIN_SWAPPED) != 0;
        return true;
    }

    private static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == (FlowKey.V4_MAPPED_PREFIX >>> 32);
    }

    static long version(byte[] src, int off) {
        return (long) LONG.get(src, off + 8);
    }

    /** Copies the non-key fields of a record already validated by {@link #decodeKey} into a freshly inserted slot. */
    static void decodeFields(byte[] src, int off, long nowNs, FlowTable t, int s) {
        if ((src[off + 4] & FLAG_REPLIED) != 0) {
            t.setReplied(s);
        }
        t.version[s] = version(src, off);
        t.natAHi[s] = (long) LONG.get(src, off + 52);
        t.natALo[s] = (long) LONG.get(src, off + 60);
        t.natBHi[s] = (long) LONG.get(src, off + 68);
        t.natBLo[s] = (long) LONG.get(src, off + 76);
        t.natPorts[s] = (int) INT.get(src, off + 84);
        t.lastSeenNs[s] = nowNs - (long) LONG.get(src, off + 88);
        t.createdNs[s] = nowNs - (long) LONG.get(src, off + 96);
        t.packets[s * 2] = (long) LONG.get(src, off + 104);
        t.packets[s * 2 + 1] = (long) LONG.get(src, off + 112);
        t.bytes[s * 2] = (long) LONG.get(src, off + 120);
        t.bytes[s * 2 + 1] = (long) LONG.get(src, off + 128);
        for (int d = 0; d < 2; d++) {
            int p = off + 136 + 16 * d;
            int i = TcpWindow.base(s, d);
            t.tcp[i + TcpWindow.END] = (int) INT.get(src, p);
            t.tcp[i + TcpWindow.MAX_END] = (int) INT.get(src, p + 4);
            t.tcp[i + TcpWindow.MAX_WIN] = (int) INT.get(src, p + 8);
            t.tcp[i + TcpWindow.FLAGS] = (int) INT.get(src, p + 12) & TcpWindow.REPLICATED_FLAGS;
        }
    }

    static int state(byte[] src, int off) {
        return src[off + 3] & 0xFF;
    }
}
