package io.ringwall.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * <p>Partial sums are ints holding a one's-complement sum whose carries have been folded back
 * into 16 bits; they can be added together freely (the sum of a few stays far below overflow)
 * and {@link #fold} turns any of them into the final checksum.
 */
public final class Checksums {
    private Checksums() {}

    /** Below this many bytes the plain big-endian loop is as fast. */
    private static final int WIDE_THRESHOLD = 64;
    private static final ValueLayout.OfLong NATIVE_LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final boolean NATIVE_IS_BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    /** One's-complement sum of the bytes (odd trailing byte padded with zero), added to {@code initial}; not complemented. */
    public static int sum(MemorySegment s, int offset, int length, int initial) {
        long acc = initial & 0xFFFF_FFFFL;
        int i = offset;
        int end = offset + length;
        if (length >= WIDE_THRESHOLD) {
            // 64-bit native-order words: the one's-complement sum is byte-order independent (RFC 1071 §2(B)),
            // so sum little-endian words without swapping and swap the folded 16-bit result once.
            long wide = 0;
            for (; i + 8 <= end; i += 8) {
                long w = s.get(NATIVE_LONG, i);
                wide += (w >>> 32) + (w & 0xFFFF_FFFFL);
            }
            int folded = foldCarries(wide);
            acc += NATIVE_IS_BIG ? folded : Integer.reverseBytes(folded) >>> 16;
        }
        // 32-bit words: the one's-complement sum of 32-bit words folds to the same 16-bit sum.
        for (; i + 4 <= end; i += 4) {
            acc += BigEndian.i32(s, i) & 0xFFFF_FFFFL;
        }
        if (i + 2 <= end) {
            acc += BigEndian.u16(s, i);
            i += 2;
        }
        if (i < end) {
            acc += BigEndian.u8(s, i) << 8;
        }
        return foldCarries(acc);
    }

    /** The checksum to put on the wire for a partial sum: carries folded in, then complemented. */
    public static int fold(int sum) {
        return ~foldCarries(sum & 0xFFFF_FFFFL) & 0xFFFF;
    }

    /** Partial sum of the IPv4 pseudo header that TCP and UDP checksums cover. */
    public static int pseudoHeaderV4(int src, int dst, int protocol, int l4Length) {
        long acc = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF)
                + (protocol & 0xFF) + (l4Length & 0xFFFF);
        return foldCarries(acc);
    }

    /**
     * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). Unlike eqn. 2 this never turns a correct
     * checksum into 0xFFFF (-0) where a full recompute would give 0x0000 (RFC 1624 §3).
     */
    public static int incremental16(int oldChecksum, int oldWord, int newWord) {
        long acc = (~oldChecksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~foldCarries(acc) & 0xFFFF;
    }

    /** {@link #incremental16} for a 32-bit field such as an IPv4 address. */
    public static int incremental32(int oldChecksum, int oldValue, int newValue) {
        long acc = (~oldChecksum & 0xFFFF)
                + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
                + (newValue >>> 16) + (newValue & 0xFFFF);
        return ~foldCarries(acc) & 0xFFFF;
    }

    private static int foldCarries(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }
}
