package io.ringwall.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Network-byte-order field access shared by the wire views; callers have already checked bounds. */
final class BigEndian {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private BigEndian() {}

    static int u8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    static int u16(MemorySegment s, long offset) {
        return s.get(U16, offset) & 0xFFFF;
    }

    static int i32(MemorySegment s, long offset) {
        return s.get(U32, offset);
    }

    /** A 48-bit MAC address as the low bits of a long. */
    static long mac(MemorySegment s, long offset) {
        return ((long) u16(s, offset) << 32) | (i32(s, offset + 2) & 0xFFFF_FFFFL);
    }

    static void setU8(MemorySegment s, long offset, int value) {
        s.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    static void setU16(MemorySegment s, long offset, int value) {
        s.set(U16, offset, (short) value);
    }

    static void setI32(MemorySegment s, long offset, int value) {
        s.set(U32, offset, value);
    }

    static void setMac(MemorySegment s, long offset, long mac) {
        setU16(s, offset, (int) (mac >>> 32));
        setI32(s, offset + 2, (int) mac);
    }

    /** True when [offset, offset+length) lies inside the segment; the one bounds check every wrap() starts with. */
    static boolean fits(MemorySegment s, int offset, int length) {
        return s != null && offset >= 0 && length >= 0 && (long) offset + length <= s.byteSize();
    }
}
