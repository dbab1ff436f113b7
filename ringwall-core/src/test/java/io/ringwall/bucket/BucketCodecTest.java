package io.ringwall.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BucketCodecTest {
    @Test
    void aSettledMapIsFifteenBytes() {
        BucketMap map = BucketMap.balanced(1024, 1, 0b111, 0b111, 5);
        byte[] wire = BucketCodec.encode(map);
        assertThat(HexFormat.of().formatHex(wire)).isEqualTo("01" + "0400" + "01" + "0007" + "0007" + "00000005" + "00" + "0000");
        assertThat(BucketCodec.decode(wire)).isEqualTo(map);
    }

    @Test
    void exceptionsAndFullModeRoundTrip() {
        BucketMap settled = BucketMap.balanced(64, 1, 0b111, 0b111, 1);
        byte[] owners = settled.owners();
        owners[3] = (byte) ((owners[3] + 1) % 3);
        BucketMap one = new BucketMap(64, 1, 0b111, 0b111, 2, owners);
        byte[] wire = BucketCodec.encode(one);
        assertThat(wire).hasSize(13 + 2 + 3);
        assertThat(BucketCodec.decode(wire)).isEqualTo(one);
        BucketMap standbyPromoted = BucketPlanner.next(BucketMap.balanced(64, 1, 0b111, 0b001, 1), 64, 1, 0b110, 0b010, n -> 0);
        byte[] full = BucketCodec.encode(standbyPromoted);
        assertThat(full.length).isLessThanOrEqualTo(13 + 32);
        assertThat(BucketCodec.decode(full)).isEqualTo(standbyPromoted);
    }

    @Test
    void malformedPayloadsDecodeToNullNeverThrow() {
        byte[] good = BucketCodec.encode(BucketMap.balanced(16, 1, 0b11, 0b11, 1));
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] p = random.nextBoolean() ? java.util.Arrays.copyOf(good, random.nextInt(good.length + 4)) : good.clone();
            if (p.length > 0) {
                p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
            }
            BucketCodec.decode(p); // must not throw
        }
        assertThat(BucketCodec.decode(new byte[0])).isNull();
        // full mode, two buckets, owners 0 and 5 (one byte of nibbles): node 5 is not a member
        assertThat(BucketCodec.decode(new byte[] {1, 0, 2, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0x05})).isNull();
    }
}
