package io.ringwall.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Network-byte-order fields in byte arrays (the cluster's own formats: messaging packets, ring messages, flow
 * records); {@link BigEndian} is the same for frames in memory segments. Callers check bounds; the put methods
 * return the offset after the field, so an encoder can chain them.
 */
public final class ByteArrays {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ByteArrays() {
    }

    public static int putShort(byte[] b, int off, int v) {
        SHORT.set(b, off, (short) v);
        return off + 2;
    }

    public static int putInt(byte[] b, int off, int v) {
        INT.set(b, off, v);
        return off + 4;
    }

    public static int putLong(byte[] b, int off, long v) {
        LONG.set(b, off, v);
        return off + 8;
    }

    /** Unsigned. */
    public static int getShort(byte[] b, int off) {
        return (short) SHORT.get(b, off) & 0xFFFF;
    }

    public static int getInt(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    public static long getLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }
}
