package io.ringwall.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathMonitorTest {
    private static final long T0 = 5_000_000_000L;
    private static final long MS = 1_000_000L;
    /** Probes needed for both peers. */
    private static final int NEEDED = 0b110;
    /** Node 0 is this node (its own two paths are never probed); node 1 has three paths, node 2 one. */
    private final PathMonitor monitor = new PathMonitor(new int[] {2, 3, 1}, 0);

    @Test
    void aPathSilentLongerThanTheBoundWhileAnotherIsHeardIsDown() {
        monitor.start(T0);
        long t = T0;
        for (; t <= T0 + PathMonitor.SILENCE_NS + 50 * MS; t += PathMonitor.PROBE_INTERVAL_NS / 2) {
            monitor.heard(1, 0, t);
            monitor.heard(1, 2, t);
        }
        assertThat(monitor.down(1, 1, T0 + PathMonitor.SILENCE_NS)).as("at the bound: not yet").isFalse();
        assertThat(monitor.down(1, 1, T0 + PathMonitor.SILENCE_NS + 1)).isTrue();
        assertThat(monitor.down(1, 0, t)).isFalse();
        monitor.heard(1, 1, t);
        assertThat(monitor.down(1, 1, t)).as("one packet through brings it back").isFalse();
    }

    @Test
    void aPeerSilentOnEveryPathIsNotDownOnAnySegment() {
        monitor.start(T0);
        long late = T0 + 10 * PathMonitor.SILENCE_NS;
        for (int p = 0; p < 3; p++) {
            assertThat(monitor.down(1, p, late)).isFalse();
        }
    }

    @Test
    void probesAreDueEveryIntervalOnlyForPeersWithTwoPaths() {
        PathMonitor single = new PathMonitor(new int[] {0, 1, 1}, 0);
        single.start(T0);
        assertThat(single.probeDue(1, T0 + PathMonitor.PROBE_INTERVAL_NS, NEEDED, true)).isFalse();
        assertThat(single.nextDeadlineNs(NEEDED)).isEqualTo(Long.MAX_VALUE);
        monitor.start(T0);
        assertThat(monitor.monitors(1)).isTrue();
        assertThat(monitor.monitors(2)).isFalse();
        assertThat(monitor.monitors(0)).as("this node").isFalse();
        assertThat(monitor.probeDue(1, T0, NEEDED, true)).isTrue();
        assertThat(monitor.probeDue(1, T0 + 1, NEEDED, true)).isFalse();
        assertThat(monitor.probeDue(2, T0, NEEDED, true)).as("one path: nothing to compare").isFalse();
        assertThat(monitor.probeDue(1, T0 + PathMonitor.PROBE_INTERVAL_NS, NEEDED, true)).isTrue();
    }

    @Test
    void dueProbesWaitForARingMessageToThePeerAndATimerSendsThemOnlyAfterTheSlack() {
        monitor.start(T0);
        assertThat(monitor.probeDue(1, T0, NEEDED, true)).isTrue();
        long due = T0 + PathMonitor.PROBE_INTERVAL_NS;
        assertThat(monitor.nextDeadlineNs(NEEDED)).as("no wake-up of its own at the due time")
                .isEqualTo(due + PathMonitor.PROBE_SLACK_NS);
        assertThat(monitor.probeDue(1, due + 10 * MS, NEEDED, false)).as("a timer within the slack").isFalse();
        assertThat(monitor.probeDue(1, due + 10 * MS, NEEDED, true)).as("with the token or ack to the peer").isTrue();
        long next = due + 10 * MS + PathMonitor.PROBE_INTERVAL_NS;
        assertThat(monitor.probeDue(1, next + PathMonitor.PROBE_SLACK_NS - 1, NEEDED, false)).isFalse();
        assertThat(monitor.probeDue(1, next + PathMonitor.PROBE_SLACK_NS, NEEDED, false))
                .as("no ring message came: the timer sends them").isTrue();
    }

    @Test
    void noProbesAndNoTimerWhileNoneAreNeededAndThePauseCountsAsNoEvidenceAgainstAPath() {
        monitor.start(T0);
        assertThat(monitor.nextDeadlineNs(0)).as("active/standby: nothing wakes the node").isEqualTo(Long.MAX_VALUE);
        long t = T0 + PathMonitor.PROBE_INTERVAL_NS;
        for (int i = 0; i < 10; i++, t += PathMonitor.PROBE_INTERVAL_NS) {
            assertThat(monitor.probeDue(1, t, 0, true)).as("active/standby: no probes").isFalse();
            monitor.heard(1, 0, t); // the token still flows on the cluster path
        }
        assertThat(monitor.probeDue(1, t, NEEDED, true)).isTrue();
        assertThat(monitor.down(1, 1, t)).as("silent while nobody probed: not down").isFalse();
        monitor.heard(1, 0, t + PathMonitor.SILENCE_NS);
        assertThat(monitor.down(1, 1, t + PathMonitor.SILENCE_NS + 1)).as("silent after the probes resumed").isTrue();
    }
}
