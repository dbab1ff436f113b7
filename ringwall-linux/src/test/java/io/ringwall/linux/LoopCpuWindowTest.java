package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The slow-cycle line's short CPU window: a thread that worked through a cycle, and one that was off the CPU. */
class LoopCpuWindowTest {
    private static final long MS = 1_000_000L;
    private long cpuNs;

    @Test
    void aFrozenCycleShowsLittleCpuAndABusyOneAlmostAll() {
        LoopCpuWindow w = new LoopCpuWindow(() -> cpuNs);
        assertThat(w.describe(0)).as("no window before the first cycle").isNull();
        w.cycleStarts(0);
        cpuNs += 2 * MS; // a 110 ms cycle in which the thread ran 2 ms: it was not run
        assertThat(w.describe(110 * MS)).isEqualTo("on a CPU 2.00 ms of the last 110.00 ms");
        w.cycleStarts(120 * MS); // within 50 ms of the last window's start (110 ms): no new sample
        cpuNs += 60 * MS;
        assertThat(w.describe(170 * MS)).isEqualTo("on a CPU 60.00 ms of the last 60.00 ms");
    }

    @Test
    void cyclesAreSampledAtMostEveryFiftyMilliseconds() {
        int[] reads = {0};
        LoopCpuWindow w = new LoopCpuWindow(() -> {
            reads[0]++;
            return cpuNs;
        });
        for (long t = 0; t < 1_000 * MS; t += MS / 10) { // 10,000 cycles in a second
            w.cycleStarts(t);
        }
        assertThat(reads[0]).isEqualTo(20);
    }

    @Test
    void theRealThreadClockGrowsWhileThisThreadWorks() {
        LoopCpuWindow w = LoopCpuWindow.ofCurrentThread();
        assertThat(w).isNotNull();
        w.cycleStarts(0);
        long spin = System.nanoTime() + 20 * MS; // bounded: 20 ms of work on this thread
        long x = 0;
        while (System.nanoTime() < spin) {
            x++;
        }
        String line = w.describe(20 * MS);
        double ranMs = Double.parseDouble(line.replaceAll("on a CPU ([0-9.]+) ms.*", "$1"));
        assertThat(ranMs).as("ran while spinning (%d turns)", x).isGreaterThan(5.0);
    }
}
