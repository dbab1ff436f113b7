package io.ringwall.vip;

import static io.ringwall.vip.VipFixtures.ip;
import static io.ringwall.vip.VipFixtures.mask;
import static io.ringwall.vip.VipFixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ringwall.time.Prng;
import java.util.List;
import org.junit.jupiter.api.Test;

class VipCodecTest {
    @Test
    void vipTableEncodesToTheDocumentedBytes() {
        VipTable t = new VipTable(List.of(
                new VipRow(ip(10, 0, 0, 2), 1, VipRow.NONE, 2, 0, VipRow.NONE, VipRow.STICKY_CURRENT),
                VipRow.settled(ip(10, 0, 0, 1), 0, 3, 3, VipRow.STICKY_PREFERRED)), 0x0102);
        byte[] expected = {
            1, 0, 0, 0, 0, 0, 0, 1, 2, 0, 2,
            10, 0, 0, 1, 0, 3, (byte) 0xFF, (byte) 0xFF, 3, 3,
            10, 0, 0, 2, 1, (byte) 0xFF, 2, 0, (byte) 0xFF, 1,
        };
        assertThat(VipCodec.encode(t)).containsExactly(expected);
        assertThat(VipCodec.decode(expected)).isEqualTo(t);
    }

    @Test
    void vipTableRoundTrips() {
        VipTable t = VipPolicy.initial(pool(40), RingView.of(0, 1, mask(0, 1, 5, 15), true));
        t = VipPolicy.prefer(t, ip(10, 0, 0, 7), 5).table();
        t = VipPolicy.move(t, ip(10, 0, 0, 2), 15, RingView.of(0, 9, mask(0, 1, 5, 15), true)).table();
        assertThat(VipCodec.decode(VipCodec.encode(t))).isEqualTo(t);
        assertThat(VipCodec.decode(VipCodec.encode(VipTable.EMPTY))).isEqualTo(VipTable.EMPTY);
    }

    @Test
    void loadCarriageEncodesToTheDocumentedBytesAndRoundTrips() {
        ClusterLoads loads = ClusterLoads.NONE.with(1, new NodeLoad(0x0A, 0x0B, 0x0C));
        byte[] expected = new byte[3 + 24];
        expected[0] = 1;
        expected[2] = 0b10;
        expected[3 + 7] = 0x0A;
        expected[3 + 15] = 0x0B;
        expected[3 + 23] = 0x0C;
        assertThat(LoadCodec.encode(loads)).containsExactly(expected);
        assertThat(LoadCodec.decode(expected)).isEqualTo(loads);
        ClusterLoads many = VipFixtures.bytesPerSecond(5, 0, 7_000_000_000L, 1).with(15, new NodeLoad(1, 2, 3));
        assertThat(LoadCodec.decode(LoadCodec.encode(many))).isEqualTo(many);
        assertThat(LoadCodec.decode(LoadCodec.encode(many)).reported(4)).isFalse();
    }

    @Test
    void malformedPayloadsDecodeToNull() {
        byte[] good = VipCodec.encode(VipPolicy.initial(pool(3), RingView.of(0, 1, mask(0, 1), true)));
        assertThat(VipCodec.decode(null)).isNull();
        assertThat(VipCodec.decode(new byte[0])).isNull();
        byte[] badVersion = good.clone();
        badVersion[0] = 2;
        assertThat(VipCodec.decode(badVersion)).isNull();
        byte[] badFlag = good.clone();
        badFlag[VipCodec.HEADER_BYTES + 9] = 2;
        assertThat(VipCodec.decode(badFlag)).isNull();
        byte[] badHost = good.clone();
        badHost[VipCodec.HEADER_BYTES + 5] = 16;
        assertThat(VipCodec.decode(badHost)).isNull();
        byte[] unsorted = good.clone();
        unsorted[VipCodec.HEADER_BYTES + VipCodec.ROW_BYTES + 3] = 0; // second VIP below the first
        assertThat(VipCodec.decode(unsorted)).isNull();
        byte[] ownedWhileMoving = good.clone();
        ownedWhileMoving[VipCodec.HEADER_BYTES + 6] = 1;
        assertThat(VipCodec.decode(ownedWhileMoving)).isNull();
        assertThat(VipCodec.decode(java.util.Arrays.copyOf(good, good.length - 1))).isNull();
        byte[] negativeLoad = LoadCodec.encode(VipFixtures.bytesPerSecond(1));
        negativeLoad[3] = (byte) 0x80;
        assertThat(LoadCodec.decode(negativeLoad)).isNull();
    }

    @Test
    void garbageNeverThrows() {
        Prng prng = new Prng(2024);
        byte[] good = VipCodec.encode(VipPolicy.initial(pool(5), RingView.of(0, 1, mask(0, 1), true)));
        byte[] goodLoads = LoadCodec.encode(VipFixtures.bytesPerSecond(1, 2, 3));
        for (int i = 0; i < 20_000; i++) {
            byte[] random = new byte[prng.nextInt(80)];
            for (int j = 0; j < random.length; j++) {
                random[j] = (byte) prng.nextLong();
            }
            byte[] mutated = (i % 2 == 0 ? good : goodLoads).clone();
            for (int k = 0; k < 1 + prng.nextInt(3); k++) {
                mutated[prng.nextInt(mutated.length)] = (byte) prng.nextLong();
            }
            for (byte[] b : new byte[][] {random, mutated}) {
                assertThatCode(() -> {
                    VipTable t = VipCodec.decode(b);
                    if (t != null) {
                        assertThat(VipCodec.encode(t)).containsExactly(b);
                    }
                    ClusterLoads l = LoadCodec.decode(b);
                    if (l != null) {
                        assertThat(LoadCodec.encode(l)).containsExactly(b);
                    }
                }).doesNotThrowAnyException();
            }
        }
    }
}
