package io.ringwall.linux;

import io.ringwall.dataplane.TokenBucket;
import java.util.List;

/**
 * How long frames waited in the kernel before the loop read them (each frame's SO_TIMESTAMPNS against the loop's own
 * clock), and a log line when one waited {@link #REPORT_AT_NS} or more. A slow cycle shows work; this shows a token
 * that sat in its socket while the loop waited in ppoll, waited for a CPU, or worked on frames queued before it. At
 * most {@link #REPORTS_PER_SECOND} lines a second, with the number of such cycles not reported since. Written by the
 * loop thread only; pure apart from the times the driver passes in.
 */
final class ReadDelay {
    static final long REPORT_AT_NS = 3_000_000L;
    static final int REPORTS_PER_SECOND = 4;

    private final List<String> portNames;
    private long cycleMaxNs;
    private int cyclePort = -1;
    private int cycleLate;
    private final TokenBucket reports = new TokenBucket(REPORTS_PER_SECOND);
    /** {@link TokenBucket#refused()} when the last line was written: the cycles left out since. */
    private long refusedBefore;
    private long lateFrames;

    ReadDelay(List<String> portNames) {
        this.portNames = List.copyOf(portNames);
    }

    /** A frame read from {@code port} that the kernel had received {@code waitedNs} before. */
    void frame(int port, long waitedNs) {
        if (waitedNs > cycleMaxNs) {
            cycleMaxNs = waitedNs;
            cyclePort = port;
        }
        if (waitedNs >= REPORT_AT_NS) {
            cycleLate++;
            lateFrames++;
        }
    }

    /** Frames read {@link #REPORT_AT_NS} or more after the kernel received them, since the loop started. */
    long lateFrames() {
        return lateFrames;
    }

    /** The cycle ended at {@code endNs}: a description if a frame waited long and a report is due, else null. */
    String end(long endNs) {
        long maxNs = cycleMaxNs;
        int port = cyclePort;
        int late = cycleLate;
        cycleMaxNs = 0;
        cyclePort = -1;
        cycleLate = 0;
        if (maxNs < REPORT_AT_NS) {
            return null;
        }
        if (!reports.tryTake(endNs)) {
            return null;
        }
        long unreported = reports.refused() - refusedBefore;
        refusedBefore = reports.refused();
        String line = "a frame on " + portNames.get(port) + " waited " + CycleProfile.ms(maxNs)
                + " ms in the kernel before the loop read it (" + late + " frame" + (late == 1 ? "" : "s")
                + " of this cycle waited " + CycleProfile.ms(REPORT_AT_NS) + " ms or more)";
        if (unreported > 0) {
            line += "; " + unreported + " such cycle" + (unreported == 1 ? "" : "s") + " not reported before";
        }
        return line;
    }
}
