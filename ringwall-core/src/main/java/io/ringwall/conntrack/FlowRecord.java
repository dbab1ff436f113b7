package io.ringwall.conntrack;

import static io.ringwall.wire.ByteArrays.getInt;
import static io.ringwall.wire.ByteArrays.getLong;
import static io.ringwall.wire.ByteArrays.putInt;
import static io.ringwall.wire.ByteArrays.putLong;

/**
 * Compact, variable-length byte form of one flow for replication (format {@link #FORMAT}, docs/cluster.md
 * "Wire format"). A batch is one format byte followed by records; each record starts with a head byte:
 * <pre>
 * head   bits 7-6 kind (1 = FULL, 2 = UPDATE, 3 = DELETE)  bit 5 IPv6  bit 4 originator is endpoint B  bit 3 replied
 *        bit 2 NAT tuple follows (FULL only)   bits 1-0 protocol (0 TCP, 1 UDP, 2 ICMP, 3 ICMPv6)
 * state  1 byte (FlowState, valid for the protocol)
 * key    address A, address B (4 bytes each for IPv4, 16 for IPv6), port A (2), port B (2); normalized (A &lt;= B)
 * version varint (&gt;= 1), idle ms varint
 * DELETE: nothing follows (idle is 0): the flow ended at the sender; a backup drops its replica if older
 * FULL:  lifetime ms varint, packets orig/reply, bytes orig/reply (varints),
 *        NAT (if flagged): address A (16), address B (16), ports (4)
 * TCP:   per direction (original, reply): flags byte (bits 0-5 window flags, bit 7 = direction unseen, nothing
 *        follows); else td_end (4), zigzag varint (td_maxend - td_end), varint td_maxwin
 * </pre>
 * Multi-byte integers are big-endian; varints are unsigned LEB128. A creation travels as FULL; later changes of
 * a flow the peers already know travel as UPDATE (identity, state, version, idle time, windows), because
 * counters, lifetime and NAT do not affect how a backup treats the flow's packets after a takeover. Times are
 * ages in milliseconds relative to the sender's clock: monotonic clocks of different nodes are unrelated, and
 * timeouts are seconds long. Decoding validates every field and never throws on bad input.
 */
public final class FlowRecord {
    public static final int FORMAT = 2;
    public static final int KIND_FULL = 1;
    public static final int KIND_UPDATE = 2;
    public static final int KIND_DELETE = 3;
    /** Upper bound of one encoded record (IPv6, NAT, TCP, every varint at its widest). */
    /** The smallest record: head, state, an IPv4 key, one-byte version and idle (bounds records per batch). */
    public static final int MIN_BYTES = 2 + 12 + 1 + 1;
    public static final int MAX_BYTES = 2 + 36 + 10 * 7 + 36 + 2 * 15;
    /** Upper bound of a deletion record: head, state, an IPv6 key, a 10-byte version, a one-byte idle time. */
    public static final int MAX_DELETE_BYTES = 2 + 36 + 10 + 1;
    /** Ages above this (about 139 years) are garbage; it keeps ms-to-ns conversion from overflowing. */
    static final long MAX_AGE_MS = 1L << 42;

    private static final int HEAD_V6 = 1 << 5, HEAD_SWAPPED = 1 << 4, HEAD_REPLIED = 1 << 3, HEAD_NAT = 1 << 2;
    private static final int DIR_UNSEEN = 0x80;
    private static final int[] PROTOCOLS = {6, 17, 1, 58};
    private static final long NS_PER_MS = 1_000_000L;

    // Decoded fields of the last record read by decode (one instance per Conntrack: no allocation per record).
    int kind;
    int state;
    boolean replied;
    long version;
    long idleNs;
    long lifetimeNs;
    final long[] packets = new long[2];
    final long[] bytes = new long[2];
    boolean hasNat;
    long natAHi, natALo, natBHi, natBLo;
    int natPorts;
    final int[] tcp = new int[TcpWindow.SLOT_STRIDE];
    /** Length of the last decoded record. */
    int length;
    private int pos;

    /**
     * Writes the slot's record at {@code off} as {@code kind}; returns its length, or -1 if the slot is free or
     * fewer than {@link #MAX_BYTES} bytes are left. A flow with a NAT tuple always travels FULL.
     */
    static int encode(FlowTable t, int s, int kind, long nowNs, byte[] dst, int off) {
        if (s < 0 || s >= t.capacity() || !t.used(s) || off < 0 || dst.length - off < MAX_BYTES
                || (kind != KIND_FULL && kind != KIND_UPDATE)) {
            return -1;
        }
        boolean nat = (t.natAHi[s] | t.natALo[s] | t.natBHi[s] | t.natBLo[s] | t.natPorts[s]) != 0;
        if (nat) {
            kind = KIND_FULL;
        }
        int protocol = t.protocol(s);
        int p = putIdentity(t, s, kind, (t.replied(s) ? HEAD_REPLIED : 0) | (nat ? HEAD_NAT : 0), dst, off);
        p = putVarint(dst, p, t.version[s]);
        p = putVarint(dst, p, Math.max(0, nowNs - t.lastSeenNs[s]) / NS_PER_MS);
        if (kind == KIND_FULL) {
            p = putVarint(dst, p, Math.max(0, nowNs - t.createdNs[s]) / NS_PER_MS);
            p = putVarint(dst, p, t.packets[s * 2]);
            p = putVarint(dst, p, t.packets[s * 2 + 1]);
            p = putVarint(dst, p, t.bytes[s * 2]);
            p = putVarint(dst, p, t.bytes[s * 2 + 1]);
            if (nat) {
                p = putAddress(dst, p, true, t.natAHi[s], t.natALo[s]);
                p = putAddress(dst, p, true, t.natBHi[s], t.natBLo[s]);
                p = putInt(dst, p, t.natPorts[s]);
            }
        }
        if (protocol == 6) {
            for (int d = 0; d < 2; d++) {
                int i = TcpWindow.base(s, d);
                int flags = t.tcp[i + TcpWindow.FLAGS] & TcpWindow.REPLICATED_FLAGS;
                int end = t.tcp[i + TcpWindow.END], maxEnd = t.tcp[i + TcpWindow.MAX_END];
                int maxWin = t.tcp[i + TcpWindow.MAX_WIN];
                if ((flags | end | maxEnd | maxWin) == 0) {
                    dst[p++] = (byte) DIR_UNSEEN; // the reply direction of a fresh SYN: one byte instead of ten
                    continue;
                }
                dst[p++] = (byte) flags;
                p = putInt(dst, p, end);
                int delta = maxEnd - end; // the receive window: small, unlike the sequence numbers
                p = putVarint(dst, p, ((delta << 1) ^ (delta >> 31)) & 0xFFFF_FFFFL);
                p = putVarint(dst, p, maxWin & 0xFFFF_FFFFL);
            }
        }
        return p - off;
    }

    /** Writes the slot's deletion record at {@code off} (room for {@link #MAX_DELETE_BYTES} needed); its length. */
    static int encodeDelete(FlowTable t, int s, byte[] dst, int off) {
        if (s < 0 || s >= t.capacity() || !t.used(s) || off < 0 || dst.length - off < MAX_DELETE_BYTES) {
            return -1;
        }
        int p = putIdentity(t, s, KIND_DELETE, 0, dst, off);
        p = putVarint(dst, p, t.version[s] + 1); // the deletion is the flow's next change: it beats every record before it
        dst[p++] = 0;
        return p - off;
    }

    /**
     * Validates the record at {@code off} (at most up to {@code end}), fills {@code key} (swapped = originator
     * is endpoint B) and this object's fields, and sets {@link #length}; false if malformed or truncated.
     */
    boolean decode(byte[] src, int off, int end, long nowNs, FlowKey key) {
        if (src == null || off < 0 || end > src.length || end - off < 2) {
            return false;
        }
        int head = src[off] & 0xFF;
        kind = head >>> 6;
        int protocol = PROTOCOLS[head & 3];
        state = src[off + 1] & 0xFF;
        boolean v6 = (head & HEAD_V6) != 0;
        hasNat = (head & HEAD_NAT) != 0;
        replied = (head & HEAD_REPLIED) != 0;
        if (kind == 0 || (hasNat && kind != KIND_FULL)
                || !FlowState.validFor(protocol, state)) {
            return false;
        }
        int addressBytes = v6 ? 16 : 4;
        pos = off + 2;
        if (end - pos < 2 * addressBytes + 4) {
            return false;
        }
        long aHi = v6 ? getLong(src, pos) : 0;
        long aLo = v6 ? getLong(src, pos + 8) : FlowKey.V4_MAPPED_PREFIX | (getInt(src, pos) & 0xFFFF_FFFFL);
        pos += addressBytes;
        long bHi = v6 ? getLong(src, pos) : 0;
        long bLo = v6 ? getLong(src, pos + 8) : FlowKey.V4_MAPPED_PREFIX | (getInt(src, pos) & 0xFFFF_FFFFL);
        pos += addressBytes;
        int ports = getInt(src, pos);
        pos += 4;
        // Rebuild through the normalizing setter so a crafted record cannot smuggle in a non-normalized key.
        key.set(v6 ? FlowKey.FAMILY_V6 : FlowKey.FAMILY_V4, protocol, aHi, aLo, ports >>> 16, bHi, bLo, ports & 0xFFFF);
        if (key.swapped) {
            return false;
        }
        key.swapped = (head & HEAD_SWAPPED) != 0;
        version = varint(src, end);
        long idleMs = varint(src, end);
        if (version < 1 || idleMs < 0 || idleMs > MAX_AGE_MS) {
            return false;
        }
        idleNs = idleMs * NS_PER_MS;
        if (!decodeFull(src, end) || !decodeWindows(src, end, kind == KIND_DELETE ? 0 : protocol)) {
            return false;
        }
        length = pos - off;
        return true;
    }

    private boolean decodeFull(byte[] src, int end) {
        if (kind != KIND_FULL) {
            lifetimeNs = idleNs; // an update of an unknown flow: the best we know is that it lived that long
            packets[0] = packets[1] = bytes[0] = bytes[1] = 0;
            natAHi = natALo = natBHi = natBLo = 0;
            natPorts = 0;
            return true;
        }
        long lifetimeMs = varint(src, end);
        packets[0] = varint(src, end);
        packets[1] = varint(src, end);
        bytes[0] = varint(src, end);
        bytes[1] = varint(src, end);
        if (lifetimeMs < 0 || lifetimeMs > MAX_AGE_MS || (packets[0] | packets[1] | bytes[0] | bytes[1]) < 0) {
            return false;
        }
        lifetimeNs = lifetimeMs * NS_PER_MS;
        natAHi = natALo = natBHi = natBLo = 0;
        natPorts = 0;
        if (hasNat) {
            if (end - pos < 36) {
                return false;
            }
            natAHi = getLong(src, pos);
            natALo = getLong(src, pos + 8);
            natBHi = getLong(src, pos + 16);
            natBLo = getLong(src, pos + 24);
            natPorts = getInt(src, pos + 32);
            pos += 36;
        }
        return true;
    }

    private boolean decodeWindows(byte[] src, int end, int protocol) {
        java.util.Arrays.fill(tcp, 0);
        if (protocol != 6) {
            return true;
        }
        for (int d = 0; d < 2; d++) {
            if (pos >= end) {
                return false;
            }
            int flags = src[pos++] & 0xFF;
            if (flags == DIR_UNSEEN) {
                continue;
            }
            if ((flags & ~TcpWindow.REPLICATED_FLAGS) != 0 || end - pos < 4) {
                return false;
            }
            int tdEnd = getInt(src, pos);
            pos += 4;
            long zig = varint(src, end);
            long maxWin = varint(src, end);
            if (zig < 0 || zig > 0xFFFF_FFFFL || maxWin < 0 || maxWin > 0xFFFF_FFFFL) {
                return false;
            }
            int delta = (int) (zig >>> 1) ^ -(int) (zig & 1);
            int b = d * TcpWindow.DIR_STRIDE;
            tcp[b + TcpWindow.END] = tdEnd;
            tcp[b + TcpWindow.MAX_END] = tdEnd + delta;
            tcp[b + TcpWindow.MAX_WIN] = (int) maxWin;
            tcp[b + TcpWindow.FLAGS] = flags;
        }
        return true;
    }

    /** Copies the decoded windows into a slot (loose-mode bits stay local, see {@link TcpWindow#REPLICATED_FLAGS}). */
    void applyWindows(FlowTable t, int s) {
        System.arraycopy(tcp, 0, t.tcp, s * TcpWindow.SLOT_STRIDE, TcpWindow.SLOT_STRIDE);
    }

    /** Copies every decoded non-key field into a freshly inserted slot. */
    void applyAll(long nowNs, FlowTable t, int s) {
        if (replied) {
            t.setReplied(s);
        }
        t.version[s] = version;
        t.natAHi[s] = natAHi;
        t.natALo[s] = natALo;
        t.natBHi[s] = natBHi;
        t.natBLo[s] = natBLo;
        t.natPorts[s] = natPorts;
        t.lastSeenNs[s] = nowNs - idleNs;
        t.createdNs[s] = nowNs - lifetimeNs;
        t.packets[s * 2] = packets[0];
        t.packets[s * 2 + 1] = packets[1];
        t.bytes[s * 2] = bytes[0];
        t.bytes[s * 2 + 1] = bytes[1];
        applyWindows(t, s);
    }

    private static int protocolCode(int protocol) {
        return switch (protocol) {
            case 6 -> 0;
            case 17 -> 1;
            case 1 -> 2;
            default -> 3; // 58: the flow table holds no other protocol (FlowState.validFor)
        };
    }

    static int putVarint(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    /** Reads an unsigned LEB128 varint at {@link #pos}; -1 if truncated or longer than 9 bytes (63 bits). */
    private long varint(byte[] b, int end) {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (pos >= end) {
                return -1;
            }
            int x = b[pos++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        return -1;
    }

    /** Head byte ({@code kind}, family, orientation, {@code headFlags}, protocol), state and key; the offset after. */
    private static int putIdentity(FlowTable t, int s, int kind, int headFlags, byte[] dst, int off) {
        boolean v6 = t.family(s) == FlowKey.FAMILY_V6;
        dst[off] = (byte) (kind << 6 | (v6 ? HEAD_V6 : 0) | (t.originSwapped(s) ? HEAD_SWAPPED : 0) | headFlags
                | protocolCode(t.protocol(s)));
        dst[off + 1] = (byte) t.state(s);
        int p = off + 2;
        int k = s * FlowTable.KEY_STRIDE;
        p = putAddress(dst, p, v6, t.keys[k], t.keys[k + 1]);
        p = putAddress(dst, p, v6, t.keys[k + 2], t.keys[k + 3]);
        return putInt(dst, p, t.ports(s));
    }

    private static int putAddress(byte[] b, int p, boolean v6, long hi, long lo) {
        if (!v6) {
            return putInt(b, p, (int) lo);
        }
        putLong(b, p, hi);
        putLong(b, p + 8, lo);
        return p + 16;
    }

}
