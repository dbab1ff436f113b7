package io.ringwall.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Frame buffers in native memory, and copies between them and byte arrays that never make a heap segment.
 * <p>Why: the Linux driver's frames are native segments. When the node code also read or wrote heap segments
 * ({@code MemorySegment.ofArray}, or a {@code MemorySegment.copy} to or from an array, which wraps the array in
 * one), every segment access the JIT had compiled for one kind met the other: a class-check trap, deoptimisation
 * and recompilation of the forwarding and ring code, again and again (hundreds of traps per node in deoptimisation
 * logs of real nodes, in {@code BigEndian.u16}, {@code SegmentBulkOperations.copy} and the segment VarHandles).
 * The frames the node builds itself, queues or reassembles therefore live in native memory too, so the process
 * sees one segment class. Copies go eight bytes at a time through a byte-array view and a native segment.
 */
public final class NativeFrames {
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private NativeFrames() {}

    /** A zeroed native buffer of {@code bytes}, freed by the garbage collector once unreachable. */
    public static MemorySegment allocate(long bytes) {
        return Arena.ofAuto().allocate(Math.max(1, bytes), Long.BYTES);
    }

    /** Copies {@code length} bytes of {@code src} from {@code srcOffset} into {@code dst} at {@code dstOffset}. */
    public static void copyIn(byte[] src, int srcOffset, MemorySegment dst, long dstOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length, dst.byteSize());
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            dst.set(ValueLayout.JAVA_LONG_UNALIGNED, dstOffset + i, (long) ARRAY_LONG.get(src, srcOffset + i));
        }
        for (; i < length; i++) {
            dst.set(ValueLayout.JAVA_BYTE, dstOffset + i, src[srcOffset + i]);
        }
    }

    /** Copies {@code length} bytes of {@code src} from {@code srcOffset} into {@code dst} at {@code dstOffset}. */
    public static void copyOut(MemorySegment src, long srcOffset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.byteSize());
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            ARRAY_LONG.set(dst, dstOffset + i, src.get(ValueLayout.JAVA_LONG_UNALIGNED, srcOffset + i));
        }
        for (; i < length; i++) {
            dst[dstOffset + i] = src.get(ValueLayout.JAVA_BYTE, srcOffset + i);
        }
    }

    /**
     * {@code buffer}, or a larger new native buffer if it is too small, holding all of {@code bytes} from offset 0:
     * for a caller that keeps one reusable buffer and stores what this returns.
     */
    public static MemorySegment fill(MemorySegment buffer, byte[] bytes) {
        MemorySegment b = buffer.byteSize() >= bytes.length ? buffer : allocate(bytes.length);
        copyIn(bytes, 0, b, 0, bytes.length);
        return b;
    }

    /** A new array holding {@code length} bytes of {@code src} from {@code srcOffset}. */
    public static byte[] toArray(MemorySegment src, long srcOffset, int length) {
        byte[] out = new byte[length];
        copyOut(src, srcOffset, out, 0, length);
        return out;
    }
}
