package io.ringwall.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tie-breaker's ping monitor: one probe per interval, reachable on an answer, unreachable after 3 misses. */
class TieBreakerProbeTest {
    private static final long MS = 1_000_000L;
    private static final int TARGET = 0x0A0100FE;
    private final List<int[]> sent = new ArrayList<>();
    private final TieBreakerProbe probe = new TieBreakerProbe(
            new ClusterSettings.TieBreaker(0, TARGET, 200 * MS, 100 * MS, 3), 0, 0x5257,
            (now, itf, target, id, seq) -> sent.add(new int[] {itf, target, id, seq}));

    private void answerLast(long now) {
        int[] p = sent.getLast();
        probe.onEchoReply(now, p[0], p[1], p[2], p[3]);
    }

    @Test
    void unreachableUntilTheTargetAnswers() {
        probe.onTick(0);
        assertThat(sent).hasSize(1);
        assertThat(probe.reachable()).isFalse();
        answerLast(5 * MS);
        assertThat(probe.reachable()).isTrue();
        assertThat(probe.lastReplyNs()).isEqualTo(5 * MS);
        assertThat(probe.nextDeadlineNs()).isEqualTo(200 * MS);
    }

    @Test
    void threeMissesInARowMakeTheTargetUnreachable() {
        probe.onTick(0);
        answerLast(1 * MS);
        for (int i = 1; i <= 3; i++) {
            probe.onTick(i * 200 * MS); // a new probe, never answered
            probe.onTick(i * 200 * MS + 100 * MS); // its timeout
            assertThat(probe.reachable()).as("after %d misses", i).isEqualTo(i < 3);
        }
        probe.onTick(800 * MS);
        answerLast(801 * MS);
        assertThat(probe.reachable()).as("one answer restores it").isTrue();
    }

    @Test
    void answersFromOthersOrToOldProbesDoNotCount() {
        probe.onTick(0);
        int[] p = sent.getLast();
        assertThat(probe.onEchoReply(1 * MS, p[0], TARGET + 1, p[2], p[3])).isFalse();
        assertThat(probe.onEchoReply(1 * MS, p[0], TARGET, p[2] + 1, p[3])).isFalse();
        assertThat(probe.onEchoReply(1 * MS, p[0], TARGET, p[2], p[3] + 1)).isFalse();
        assertThat(probe.onEchoReply(1 * MS, p[0] + 1, TARGET, p[2], p[3])).isFalse();
        assertThat(probe.onEchoReply(150 * MS, p[0], TARGET, p[2], p[3])).as("after its timeout").isFalse();
        assertThat(probe.reachable()).isFalse();
    }

    @Test
    void aShrunkRingGetsAProbeAtOnceButOnlyOncePerChange() {
        probe.onTick(0);
        answerLast(1 * MS);
        probe.probeSince(50 * MS, 50 * MS);
        assertThat(sent).hasSize(2);
        answerLast(51 * MS);
        probe.probeSince(60 * MS, 50 * MS);
        assertThat(sent).as("already probed since that change").hasSize(2);
        assertThat(probe.lastReplyNs()).isEqualTo(51 * MS);
    }
}
