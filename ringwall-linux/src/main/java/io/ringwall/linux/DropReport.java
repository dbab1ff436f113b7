package io.ringwall.linux;

import java.util.List;

/**
 * A log line when frames were lost at the driver's edge: dropped by the kernel before the loop read them (a port's
 * receive buffer was full), or not sent because the kernel's queue was full (EAGAIN/ENOBUFS). The node's own drop
 * counters cannot see either. Checked at most every {@link #INTERVAL_NS} (the kernel's count costs a system call
 * per port), one line for an interval with losses, naming each port. Written by the loop thread only; pure apart
 * from the times and totals the driver passes in.
 */
final class DropReport {
    static final long INTERVAL_NS = 1_000_000_000L;

    private final List<String> portNames;
    private final long[] rxReported;
    private final long[] txReported;
    private long lastCheckNs;
    private boolean started;

    DropReport(List<String> portNames) {
        this.portNames = List.copyOf(portNames);
        this.rxReported = new long[portNames.size()];
        this.txReported = new long[portNames.size()];
    }

    /** Whether it is time to read the totals and call {@link #update}. */
    boolean due(long nowNs) {
        return !started || nowNs - lastCheckNs >= INTERVAL_NS;
    }

    /**
     * Reads the driver's totals per port (frames the kernel dropped on receive, frames not sent) and returns a
     * description of what was lost since the last check, or null if nothing was.
     */
    String update(long nowNs, DriverCounters totals) {
        StringBuilder s = null;
        for (int p = 0; p < portNames.size(); p++) {
            long rxTotal = totals.rxKernelDropped(p);
            long txTotal = totals.txDropped(p);
            long rx = rxTotal - rxReported[p];
            long tx = txTotal - txReported[p];
            if (rx > 0 || tx > 0) {
                s = s != null ? s.append(',') : started
                        ? new StringBuilder("frames lost in the last ").append(CycleProfile.ms(nowNs - lastCheckNs))
                                .append(" ms:")
                        : new StringBuilder("frames lost since the driver started:");
                s.append(' ').append(portNames.get(p));
                if (rx > 0) {
                    s.append(' ').append(rx).append(" on receive (socket buffer full)");
                }
                if (tx > 0) {
                    s.append(rx > 0 ? " and " : " ").append(tx).append(" on send (queue full)");
                }
            }
            rxReported[p] = rxTotal;
            txReported[p] = txTotal;
        }
        String line = s != null ? s.toString() : null;
        started = true;
        lastCheckNs = nowNs;
        return line;
    }
}
