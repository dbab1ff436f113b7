package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's report of frames lost at its edge: when it is due and what it says. */
class DropReportTest {
    private static final long S = 1_000_000_000L;

    @Test
    void anIntervalWithLossesNamesEachPortAndWhereItsFramesWereLost() {
        DropReport r = new DropReport(List.of("g1w", "g1l", "g1c"));
        assertThat(r.due(0)).as("the first check sets the baseline").isTrue();
        assertThat(r.update(0, totals(new long[] {0, 0, 0}, new long[] {0, 0, 0}))).isNull();
        assertThat(r.due(S / 2)).isFalse();
        assertThat(r.due(S)).isTrue();
        assertThat(r.update(S, totals(new long[] {0, 12, 0}, new long[] {3, 2, 0}))).isEqualTo("frames lost in the last"
                + " 1000.00 ms: g1w 3 on send (queue full), g1l 12 on receive (socket buffer full) and 2 on send"
                + " (queue full)");
        assertThat(r.update(2 * S, totals(new long[] {0, 12, 0}, new long[] {3, 2, 0}))).as("nothing new").isNull();
        assertThat(r.update(3 * S + S / 2, totals(new long[] {0, 12, 1}, new long[] {3, 2, 0})))
                .isEqualTo("frames lost in the last 1500.00 ms: g1c 1 on receive (socket buffer full)");
    }

    /** The driver's counters with these totals per port: kernel drops on receive, frames not sent. */
    private static DriverCounters totals(long[] rx, long[] tx) {
        DriverCounters c = new DriverCounters(rx.length);
        for (int i = 0; i < rx.length; i++) {
            c.rxKernelDropped(i, rx[i]);
            for (long n = 0; n < tx[i]; n++) {
                c.countTxDropped(i);
            }
        }
        return c;
    }

    @Test
    void lossesBeforeTheFirstCheckAreReportedAsSinceTheStart() {
        DropReport r = new DropReport(List.of("g1w"));
        assertThat(r.update(5, totals(new long[] {4}, new long[] {0})))
                .isEqualTo("frames lost since the driver started: g1w 4 on receive (socket buffer full)");
    }
}
