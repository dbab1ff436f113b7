package io.ringwall.linux;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * The loop thread's CPU time over a short window ending with a slow cycle: did the thread work through the cycle,
 * or was it off the CPU? The once-a-second schedstat window ({@link ThreadSchedStat}) is too long to tell for a
 * 110 ms freeze inside a busy second. A sample is taken at the start of a cycle at most every
 * {@link #SAMPLE_EVERY_NS} (one clock_gettime system call, no allocation), so the window is the slow cycle plus
 * at most that. Not thread-safe; the loop thread owns its instance.
 */
final class LoopCpuWindow {
    /** How often a cycle's start is sampled: about 20 system calls a second, however many cycles run. */
    static final long SAMPLE_EVERY_NS = 50_000_000L;

    private final LongSupplier threadCpuNs;
    private long sampleNs = Long.MIN_VALUE;
    private long cpuAtSampleNs;

    LoopCpuWindow(LongSupplier threadCpuNs) {
        this.threadCpuNs = threadCpuNs;
    }

    /** This thread's CPU time from the JVM, or null if the JVM cannot measure it. */
    static LoopCpuWindow ofCurrentThread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            return null;
        }
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        return new LoopCpuWindow(threads::getCurrentThreadCpuTime);
    }

    /** At the start of a cycle: a new window if the last one began {@link #SAMPLE_EVERY_NS} ago or more. */
    void cycleStarts(long nowNs) {
        if (sampleNs == Long.MIN_VALUE || nowNs - sampleNs >= SAMPLE_EVERY_NS) {
            take(nowNs);
        }
    }

    /** At the end of a slow cycle: how much of the window the thread spent on a CPU; then a new window. */
    String describe(long nowNs) {
        if (sampleNs == Long.MIN_VALUE) {
            return null;
        }
        long windowNs = nowNs - sampleNs;
        long ranNs = threadCpuNs.getAsLong() - cpuAtSampleNs;
        take(nowNs);
        return "on a CPU " + CycleProfile.ms(ranNs) + " ms of the last " + CycleProfile.ms(windowNs) + " ms";
    }

    private void take(long nowNs) {
        sampleNs = nowNs;
        cpuAtSampleNs = threadCpuNs.getAsLong();
    }
}
