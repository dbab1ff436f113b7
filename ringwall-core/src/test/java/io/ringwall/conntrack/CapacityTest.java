package io.ringwall.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapacityTest {
    private static final int CAPACITY = 8;
    private final Conntrack ct = new Conntrack(ConntrackConfig.defaults().withCapacities(CAPACITY, CAPACITY));
    private final PacketFacts udp = new PacketFacts();

    CapacityTest() {
        udp.protocol = 17;
        udp.length = 100;
    }

    private FlowKey key(int clientPort, boolean fromClient) {
        FlowKey k = new FlowKey();
        if (fromClient) {
            k.setV4(17, 0x0A00_0001, clientPort, 0x0A00_0002, 53);
        } else {
            k.setV4(17, 0x0A00_0002, 53, 0x0A00_0001, clientPort);
        }
        return k;
    }

    @Test
    void fullTableEarlyDropsTheOldestUnrepliedFlow() {
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(ct.create(key(1000 + i, true), udp, 100L + i)).isNotNegative();
        }
        // answer all but flows 3 and 5; 5 is the older of the unreplied ones after touching 3 again
        for (int i = 0; i < CAPACITY; i++) {
            if (i != 3 && i != 5) {
                ct.classify(key(1000 + i, false), udp, 200);
            }
        }
        ct.classify(key(1003, true), udp, 300);
        int slot = ct.create(key(2000, true), udp, 400);
        assertThat(slot).isNotNegative();
        assertThat(ct.counters().earlyDropped()).isEqualTo(1);
        assertThat(ct.active().size()).isEqualTo(CAPACITY);
        assertThat(ct.active().lookup(key(1005, true))).isEqualTo(-1);
        assertThat(ct.active().lookup(key(1003, true))).isNotNegative();
        assertThat(ct.active().lookup(key(2000, true))).isEqualTo(slot);
    }

    @Test
    void fullTableOfRepliedFlowsRefusesNewOnes() {
        for (int i = 0; i < CAPACITY; i++) {
            ct.create(key(1000 + i, true), udp, 100);
            ct.classify(key(1000 + i, false), udp, 101);
        }
        assertThat(ct.create(key(2000, true), udp, 200)).isEqualTo(-1);
        assertThat(ct.counters().insertFailed()).isEqualTo(1);
        assertThat(ct.counters().earlyDropped()).isZero();
        assertThat(ct.active().size()).isEqualTo(CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(ct.active().lookup(key(1000 + i, true))).isNotNegative();
        }
    }

    @Test
    void removedSlotsAreReused() {
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < CAPACITY; i++) {
                assertThat(ct.create(key(1000 + round * 100 + i, true), udp, 1)).isNotNegative();
            }
            for (int i = 0; i < CAPACITY; i++) {
                ct.remove(ct.active().lookup(key(1000 + round * 100 + i, true)));
            }
            assertThat(ct.active().size()).isZero();
        }
        assertThat(ct.counters().created()).isEqualTo(5L * CAPACITY);
        assertThat(ct.counters().deleted()).isEqualTo(5L * CAPACITY);
        assertThat(ct.counters().insertFailed()).isZero();
    }
}
