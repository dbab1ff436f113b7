package io.ringwall.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RingOrderTest {
    @Test
    void regeneratedEpochIsMarkedAndStillAboveEveryKnownEpoch() {
        long joined = RingOrder.nextEpoch(3, 0x40, false);
        long regenerated = RingOrder.nextEpoch(1, joined, true);
        assertThat(joined).isGreaterThan(0x40);
        assertThat(regenerated).isGreaterThan(joined);
        assertThat(RingOrder.regenerated(regenerated)).isTrue();
        assertThat(RingOrder.regenerated(joined)).isFalse();
        assertThat(RingOrder.nextEpoch(0, regenerated, false)).isGreaterThan(regenerated);
        assertThat(regenerated & 0xF).isEqualTo(1); // the minting node stays in the low bits
    }
}
