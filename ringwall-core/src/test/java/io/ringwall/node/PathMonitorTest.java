package io.ringwall.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathMonitorTest {
    private static final long T0 = 5_000_000_000L;
    private static final long MS = 1_000_000L;
    /** Node 0 is this node; node 1 has three paths, node 2 one. */
    private final PathMonitor monitor = new PathMonitor(new int[] {0, 3, 1});

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
    void probesAreDueEveryIntervalOnlyWhenSomePeerHasTwoPaths() {
        PathMonitor single = new PathMonitor(new int[] {0, 1, 1});
        single.start(T0);
        assertThat(single.probeDue(T0 + PathMonitor.PROBE_INTERVAL_NS, true)).isFalse();
        assertThat(single.nextProbeNs()).isEqualTo(Long.MAX_VALUE);
        monitor.start(T0);
        assertThat(monitor.monitors(1)).isTrue();
        assertThat(monitor.monitors(2)).isFalse();
        assertThat(monitor.probeDue(T0, true)).isTrue();
        assertThat(monitor.probeDue(T0 + 1, true)).isFalse();
        assertThat(monitor.nextProbeNs()).isEqualTo(T0 + PathMonitor.PROBE_INTERVAL_NS);
        assertThat(monitor.probeDue(T0 + PathMonitor.PROBE_INTERVAL_NS, true)).isTrue();
    }

    @Test
    void noProbesWhileNoneAreNeededAndThePauseCountsAsNoEvidenceAgainstAPath() {
        monitor.start(T0);
        long t = T0 + PathMonitor.PROBE_INTERVAL_NS;
        for (int i = 0; i < 10; i++, t += PathMonitor.PROBE_INTERVAL_NS) {
            assertThat(monitor.probeDue(t, false)).as("active/standby: no probes").isFalse();
            monitor.heard(1, 0, t); // the token still flows on the cluster path
        }
        assertThat(monitor.probeDue(t, true)).isTrue();
        assertThat(monitor.down(1, 1, t)).as("silent while nobody probed: not down").isFalse();
        monitor.heard(1, 0, t + PathMonitor.SILENCE_NS);
        assertThat(monitor.down(1, 1, t + PathMonitor.SILENCE_NS + 1)).as("silent after the probes resumed").isTrue();
    }
}
