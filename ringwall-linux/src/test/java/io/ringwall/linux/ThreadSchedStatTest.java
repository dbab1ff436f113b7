package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The loop thread's run and wait times for the slow-cycle line. */
class ThreadSchedStatTest {
    @Test
    void aSchedstatLineIsReadAsRunAndWaitTimes() {
        assertThat(ThreadSchedStat.parse("1234567 89012 42\n")).containsExactly(1_234_567L, 89_012L);
        assertThat(ThreadSchedStat.parse("garbage")).isNull();
        assertThat(ThreadSchedStat.parse("12 x 3")).isNull();
    }

    @Test
    void aWindowSaysHowLongTheThreadRanAndWaited() {
        assertThat(ThreadSchedStat.describe(1_000_000_000L, 12_500_000L, 113_000_000L)).isEqualTo(
                "loop thread over the last 1000.00 ms: on a CPU 12.50 ms, runnable but waiting 113.00 ms");
    }

    @Test
    void thisThreadsOwnFiguresGrowWhileItWorks() {
        ThreadSchedStat s = new ThreadSchedStat();
        // a kernel without schedstat has nothing to read (the driver then adds nothing to its line): skipped there
        assumeTrue(s.sample(0), "no /proc/thread-self/schedstat");
        long spin = System.nanoTime() + 20_000_000L; // bounded: 20 ms of work on this thread
        long x = 0;
        while (System.nanoTime() < spin) {
            x++;
        }
        String line = s.sinceLastSample(20_000_000L);
        assertThat(line).startsWith("loop thread over the last 20.00 ms: on a CPU ");
        double ranMs = Double.parseDouble(line.replaceAll(".*on a CPU ([0-9.]+) ms.*", "$1"));
        assertThat(ranMs).as("ran while spinning (%d turns)", x).isGreaterThan(5.0);
    }
}
