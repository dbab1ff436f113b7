package io.ringwall.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    @Test
    void indexAgreesWithAModelUnderRandomInsertsAndRemoves() {
        FlowTable table = new FlowTable("t", 500);
        Map<Integer, Integer> model = new HashMap<>(); // client port -> slot
        Prng prng = new Prng(42);
        FlowKey k = new FlowKey();
        for (int step = 0; step < 50_000; step++) {
            int port = prng.nextInt(2000);
            k.setV4(6, 0x0A00_0001, port, 0x0A00_0002, 80);
            Integer expected = model.get(port);
            assertThat(table.lookup(k)).isEqualTo(expected == null ? -1 : expected);
            if (expected == null && !table.isFull()) {
                model.put(port, table.insert(k, false, FlowState.TCP_SYN_SENT));
            } else if (expected != null && prng.chance(0.6)) {
                assertThat(table.remove(expected)).isTrue();
                model.remove(port);
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
    }

    @Test
    void keysSharingBucketBitsStillSpreadInTheIndex() {
        // a store that owns one bucket holds keys whose symmetric hashes agree modulo 1024
        FlowTable table = new FlowTable("t", 4096);
        FlowKey k = new FlowKey();
        int inserted = 0;
        for (int i = 0; inserted < 4096; i++) {
            k.setV4(6, 0x0A00_0000 + (i >>> 16), i & 0xFFFF, 0x0A01_0001, 443);
            if (k.symmetricHash() % 1024 == 7) {
                table.insert(k, false, FlowState.TCP_ESTABLISHED);
                inserted++;
            }
        }
        assertThat(table.size()).isEqualTo(4096);
        assertThat(table.maxProbeDistance()).isLessThan(64); // 4096 if positions came from the low bits
        assertThat(table.heapBytesPerSlot()).isLessThan(256);
    }

    @Test
    void nextUsedVisitsExactlyTheUsedSlotsInOrder() {
        FlowTable table = new FlowTable("t", 1000); // not a multiple of 64: the last word is partial
        java.util.TreeSet<Integer> used = new java.util.TreeSet<>();
        Prng prng = new Prng(7);
        FlowKey k = new FlowKey();
        for (int step = 0; step < 20_000; step++) {
            int port = prng.nextInt(3000);
            k.setV4(17, 0x0A00_0001, port, 0x0A00_0002, 53);
            int slot = table.lookup(k);
            if (slot < 0 && !table.isFull()) {
                used.add(table.insert(k, false, FlowState.UDP_UNREPLIED));
            } else if (slot >= 0 && prng.chance(0.7)) {
                table.remove(slot);
                used.remove(slot);
            }
            if (step % 997 == 0) {
                List<Integer> walked = new ArrayList<>();
                for (int s = table.nextUsed(0); s < table.capacity(); s = table.nextUsed(s + 1)) {
                    walked.add(s);
                }
                assertThat(walked).containsExactlyElementsOf(used);
            }
        }
        assertThat(table.nextUsed(table.capacity())).isEqualTo(table.capacity());
        assertThat(table.nextUsed(table.capacity() + 5)).isEqualTo(table.capacity());
    }
}
