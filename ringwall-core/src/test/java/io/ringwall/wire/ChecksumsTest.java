package io.ringwall.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
    @Test
    void rfc1071ExampleSumsToDdf2() {
        // RFC 1071 §3: 0001 f203 f4f5 f6f7 sums to ddf2 (carries folded), checksum 220d.
        MemorySegment s = SampleFrames.segment("0001f203f4f5f6f7");
        assertThat(Checksums.sum(s, 0, 8, 0)).isEqualTo(0xddf2);
        assertThat(Checksums.fold(Checksums.sum(s, 0, 8, 0))).isEqualTo(0x220d);
    }

    @Test
    void oddLengthPadsTheLastByteWithZero() {
        MemorySegment s = SampleFrames.segment("0102ab");
        assertThat(Checksums.sum(s, 0, 3, 0)).isEqualTo(0x0102 + 0xab00);
        assertThat(Checksums.sum(s, 1, 2, 0)).isEqualTo(0x02ab);
    }

    @Test
    void rfc1624ExampleGivesZeroNotMinusZero() {
        // RFC 1624 §4: HC = 0xDD2F, m = 0x5555 -> m' = 0x3285; eqn. 3 yields 0x0000 (eqn. 2 wrongly 0xFFFF).
        assertThat(Checksums.incremental16(0xDD2F, 0x5555, 0x3285)).isEqualTo(0x0000);
    }

    @Test
    void rfc1624ExampleAgreesWithAFullRecompute() {
        // Build data whose checksum is 0xDD2F containing the word 0x5555, change it, recompute fully.
        byte[] b = new byte[6];
        b[0] = 0x55;
        b[1] = 0x55;
        // second word chosen so that the sum of the words is ~0xDD2F = 0x22D0
        int other = (0x22D0 - 0x5555) & 0xFFFF; // one's-complement: 0x5555 + x == 0x22D0 (mod 0xFFFF)
        other = (other - 1) & 0xFFFF; // account for the end-around carry of the wrap
        b[2] = (byte) (other >>> 8);
        b[3] = (byte) other;
        MemorySegment s = MemorySegment.ofArray(b);
        assertThat(Checksums.fold(Checksums.sum(s, 0, 6, 0))).isEqualTo(0xDD2F);
        b[0] = 0x32;
        b[1] = (byte) 0x85;
        assertThat(Checksums.fold(Checksums.sum(s, 0, 6, 0))).isEqualTo(Checksums.incremental16(0xDD2F, 0x5555, 0x3285));
    }

    @Test
    void pseudoHeaderSumsAddressesProtocolAndLength() {
        int expected = 0xc0a8 + 0x010a + 0x5db8 + 0xd822 + 6 + 40;
        expected = (expected & 0xFFFF) + (expected >>> 16);
        assertThat(Checksums.pseudoHeaderV4(0xc0a8010a, 0x5db8d822, 6, 40)).isEqualTo(expected);
    }

    @Test
    void incrementalUpdateMatchesFullRecomputeOnRandomData() {
        Prng prng = new Prng(0x5EED_1624L);
        for (int round = 0; round < 2000; round++) {
            int length = 2 * (4 + prng.nextInt(30));
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++) {
                b[i] = (byte) prng.nextInt(256);
            }
            MemorySegment s = MemorySegment.ofArray(b);
            int checksum = Checksums.fold(Checksums.sum(s, 0, length, 0));

            int at = 2 * prng.nextInt(length / 2);
            int oldWord = s.get(BigEndian.U16, at) & 0xFFFF;
            int newWord = prng.nextInt(0x10000);
            s.set(BigEndian.U16, at, (short) newWord);
            checksum = Checksums.incremental16(checksum, oldWord, newWord);
            assertThat(checksum).as("16-bit round %d", round).isEqualTo(Checksums.fold(Checksums.sum(s, 0, length, 0)));

            int at32 = 2 * prng.nextInt(length / 2 - 1);
            int oldValue = s.get(BigEndian.U32, at32);
            int newValue = (int) prng.nextLong();
            s.set(BigEndian.U32, at32, newValue);
            checksum = Checksums.incremental32(checksum, oldValue, newValue);
            assertThat(checksum).as("32-bit round %d", round).isEqualTo(Checksums.fold(Checksums.sum(s, 0, length, 0)));
        }
    }

    @Test
    void dataCarryingItsChecksumSumsToZero() {
        Prng prng = new Prng(42);
        byte[] b = new byte[64];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) prng.nextInt(256);
        }
        b[10] = 0;
        b[11] = 0;
        MemorySegment s = MemorySegment.ofArray(b);
        s.set(BigEndian.U16, 10, (short) Checksums.fold(Checksums.sum(s, 0, 64, 0)));
        assertThat(Checksums.fold(Checksums.sum(s, 0, 64, 0))).isZero();
    }

    @Test
    void wideSumMatchesNaiveBigEndianSumAtAnyOffsetAndLength() {
        io.ringwall.time.Prng prng = new io.ringwall.time.Prng(1624);
        byte[] data = new byte[2048];
        java.lang.foreign.MemorySegment s = java.lang.foreign.MemorySegment.ofArray(data);
        for (int round = 0; round < 3000; round++) {
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) prng.nextInt(256);
            }
            int offset = prng.nextInt(64);
            int length = prng.nextInt(1700);
            int initial = prng.nextInt(0x10000);
            long acc = initial;
            for (int i = 0; i < length; i += 2) {
                int hi = data[offset + i] & 0xFF;
                int lo = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
                acc += (hi << 8) | lo;
            }
            while ((acc >>> 16) != 0) {
                acc = (acc & 0xFFFF) + (acc >>> 16);
            }
            org.assertj.core.api.Assertions.assertThat(Checksums.fold(Checksums.sum(s, offset, length, initial)))
                    .as("offset %d length %d", offset, length)
                    .isEqualTo((int) (~acc & 0xFFFF));
        }
    }
}
