package io.ringwall.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The calling thread's scheduler statistics (/proc/thread-self/schedstat: time on a CPU, time runnable but waiting
 * for one), read now and then, never per frame: a slow cycle's log line says whether the loop thread was running or
 * waiting while it was slow. Not thread-safe; the loop thread owns its instance.
 */
final class ThreadSchedStat {
    private static final Path SELF = Path.of("/proc/thread-self/schedstat");

    private long sampleNs;
    private long runNs;
    private long waitNs;
    private boolean sampled;

    /** Starts a new window at {@code nowNs}; false (and no window) if the kernel does not say. */
    boolean sample(long nowNs) {
        long[] v = read();
        sampled = v != null;
        if (sampled) {
            sampleNs = nowNs;
            runNs = v[0];
            waitNs = v[1];
        }
        return sampled;
    }

    /** What the thread did since the last sample, then a new window starts; null if unknown. */
    String sinceLastSample(long nowNs) {
        if (!sampled) {
            sample(nowNs);
            return null;
        }
        long windowNs = nowNs - sampleNs;
        long before = runNs;
        long waitedBefore = waitNs;
        if (!sample(nowNs)) {
            return null;
        }
        return describe(windowNs, runNs - before, waitNs - waitedBefore);
    }

    static String describe(long windowNs, long ranNs, long waitedNs) {
        return "loop thread over the last " + CycleProfile.ms(windowNs) + " ms: on a CPU " + CycleProfile.ms(ranNs)
                + " ms, runnable but waiting " + CycleProfile.ms(waitedNs) + " ms";
    }

    /** {run_ns, wait_ns} from a schedstat line ("run wait slices"), or null if it does not parse. */
    static long[] parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 2) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long[] read() {
        try {
            return parse(Files.readString(SELF));
        } catch (IOException | RuntimeException e) {
            return null; // no schedstat (kernel without CONFIG_SCHEDSTATS): the line just does not say
        }
    }
}
