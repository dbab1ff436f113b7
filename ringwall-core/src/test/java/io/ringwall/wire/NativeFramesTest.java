package io.ringwall.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class NativeFramesTest {
    @Test
    void allocatedBuffersAreNativeAndZeroed() {
        MemorySegment s = NativeFrames.allocate(100);
        assertThat(s.isNative()).isTrue();
        assertThat(s.byteSize()).isEqualTo(100);
        for (long i = 0; i < s.byteSize(); i++) {
            assertThat(s.get(ValueLayout.JAVA_BYTE, i)).isZero();
        }
    }

    @Test
    void copyInAndOutKeepEveryByteForEveryLengthAndOffset() {
        byte[] src = new byte[40];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i * 37 + 11);
        }
        for (int len = 0; len <= 19; len++) {
            for (int off = 0; off <= 9; off++) {
                MemorySegment seg = NativeFrames.allocate(40);
                seg.fill((byte) 0x5A);
                NativeFrames.copyIn(src, off, seg, 3, len);
                for (int i = 0; i < 40; i++) {
                    byte expected = i >= 3 && i < 3 + len ? src[off + i - 3] : 0x5A;
                    assertThat(seg.get(ValueLayout.JAVA_BYTE, i)).as("len %d off %d byte %d", len, off, i)
                            .isEqualTo(expected);
                }
                byte[] back = new byte[30];
                NativeFrames.copyOut(seg, 3, back, off, len);
                for (int i = 0; i < 30; i++) {
                    byte expected = i >= off && i < off + len ? src[i] : 0;
                    assertThat(back[i]).as("len %d off %d byte %d", len, off, i).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void fillReusesABufferThatFitsAndReplacesOneThatDoesNot() {
        MemorySegment small = NativeFrames.allocate(4);
        assertThat(NativeFrames.fill(small, new byte[]{1, 2, 3})).isSameAs(small);
        assertThat(small.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) 3);
        MemorySegment grown = NativeFrames.fill(small, new byte[]{4, 5, 6, 7, 8});
        assertThat(grown).isNotSameAs(small);
        assertThat(grown.isNative()).isTrue();
        assertThat(NativeFrames.toArray(grown, 0, 5)).containsExactly(4, 5, 6, 7, 8);
    }

    @Test
    void toArrayCopiesTheSlice() {
        MemorySegment seg = NativeFrames.allocate(16);
        for (int i = 0; i < 16; i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        assertThat(NativeFrames.toArray(seg, 5, 9)).containsExactly(5, 6, 7, 8, 9, 10, 11, 12, 13);
    }

    @Test
    void copiesOutsideEitherSideThrowAndWriteNothing() {
        MemorySegment seg = NativeFrames.allocate(16);
        byte[] bytes = new byte[16];
        java.util.Arrays.fill(bytes, (byte) 1);
        assertThatThrownBy(() -> NativeFrames.copyIn(bytes, 8, seg, 0, 9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeFrames.copyIn(bytes, 0, seg, 8, 9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeFrames.copyOut(seg, 8, bytes, 0, 9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeFrames.copyOut(seg, 0, bytes, -1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(seg.get(ValueLayout.JAVA_LONG, 8)).isZero();
        assertThat(bytes).containsOnly(1);
    }
}
