package io.ringwall.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for {@link Conntrack#importBatch} (the receive path of flow replication). Under plain
 * {@code mvn test} Jazzer replays seeds only (see FUZZING.md). The property: nothing escapes, every bad batch is
 * counted, and whatever got stored re-exports as a record that imports again (stale: same version) elsewhere.
 */
class FlowRecordFuzzTest {
    private static final ConntrackConfig CONFIG = ConntrackConfig.defaults().withCapacities(16, 16);

    @FuzzTest(maxDuration = "10s")
    void batches(FuzzedDataProvider in) {
        Conntrack backup = new Conntrack(CONFIG);
        long now = in.consumeLong(0, 1L << 62);
        boolean framed = in.consumeBoolean(); // mostly well-framed, so the record parser behind the format byte is reached
        byte[] body = in.consumeRemainingAsBytes();
        byte[] batch = body;
        if (framed) {
            batch = new byte[body.length + 1];
            batch[0] = FlowRecord.FORMAT;
            System.arraycopy(body, 0, batch, 1, body.length);
        }
        int stored = backup.importBatch(batch, batch.length, now);
        ConntrackCounters c = backup.counters();
        assertThat(c.replicasMalformed()).isLessThanOrEqualTo(1);
        assertThat(backup.standby().size()).isLessThanOrEqualTo(stored);

        byte[] out = new byte[FlowRecord.MAX_BYTES];
        FlowTable t = backup.standby();
        for (int s = 0; s < t.capacity(); s++) {
            if (!t.used(s)) {
                continue;
            }
            int n = FlowRecord.encode(t, s, FlowRecord.KIND_FULL, now, out, 0);
            assertThat(n).isPositive();
            Conntrack again = new Conntrack(CONFIG);
            int slot = again.importReplica(out, 0, n, now);
            assertThat(slot).isNotNegative();
            assertThat(again.standby().version(slot)).isEqualTo(t.version(s));
            assertThat(again.standby().state(slot)).isEqualTo(t.state(s));
        }
    }
}
