package io.ringwall.linux;

import java.util.List;

/**
 * Where the time of one loop cycle went, and a log line when a cycle took long enough to delay the token (a cycle
 * runs without waiting; a token or ack that arrives meanwhile waits for the next one). The fast timer profile's
 * ack timeout is 5 ms, so a cycle of {@link #SLOW_CYCLE_NS} is worth knowing about. Reported at most
 * {@link #REPORTS_PER_INTERVAL} times per {@link #REPORT_INTERVAL_NS} (one slow cycle at start-up must not hide the one
 * a moment later that delayed a token), with the number of slow cycles not reported since. Written by the loop thread
 * only; pure apart from the times the driver passes in.
 */
final class CycleProfile {
    static final long SLOW_CYCLE_NS = 3_000_000L;
    static final long REPORT_INTERVAL_NS = 1_000_000_000L;
    static final int REPORTS_PER_INTERVAL = 4;

    private final List<String> portNames;
    private final long[] rxNs;
    private final int[] rxFrames;
    private long startNs;
    private long commandsNs;
    private long ticksNs;
    private int ticks;
    private long sendNs;
    private int sends;
    private long maxSendNs;
    private long maxFrameNs;
    private int maxFramePort = -1;
    /** Time in the cycle that was not work: the ppoll(2) wait, a breather. */
    private long idleNs;
    /** Start of the current report interval and the reports made in it. */
    private long intervalStartNs;
    private int reportsInInterval;
    private long slowCycles;
    private long unreported;

    CycleProfile(List<String> portNames) {
        this.portNames = List.copyOf(portNames);
        this.rxNs = new long[portNames.size()];
        this.rxFrames = new int[portNames.size()];
    }

    /** A cycle's work begins (after its wait, or at its start if it does not wait). */
    void begin(long nowNs) {
        startNs = nowNs;
        commandsNs = 0;
        ticksNs = 0;
        ticks = 0;
        sendNs = 0;
        sends = 0;
        maxSendNs = 0;
        maxFrameNs = 0;
        maxFramePort = -1;
        idleNs = 0;
        java.util.Arrays.fill(rxNs, 0);
        java.util.Arrays.fill(rxFrames, 0);
    }

    void commands(long ns) {
        commandsNs += ns;
    }

    void tick(long ns) {
        ticksNs += ns;
        ticks++;
    }

    /** One frame handed to the node on {@code port}, {@code ns} from its read to the node's return. */
    void frame(int port, long ns) {
        rxNs[port] += ns;
        rxFrames[port]++;
        if (ns > maxFrameNs) {
            maxFrameNs = ns;
            maxFramePort = port;
        }
    }

    /** One sendmsg(2) (it may run the kernel's pending packet processing before it returns). */
    void send(long ns) {
        sendNs += ns;
        sends++;
        maxSendNs = Math.max(maxSendNs, ns);
    }

    void idle(long ns) {
        idleNs += ns;
    }

    long slowCycles() {
        return slowCycles;
    }

    /** The cycle's work ended at {@code endNs}: a description if it was slow and a report is due, else null. */
    String end(long endNs) {
        long workNs = endNs - startNs - idleNs;
        if (workNs < SLOW_CYCLE_NS) {
            return null;
        }
        slowCycles++;
        if (reportsInInterval == 0 || endNs - intervalStartNs >= REPORT_INTERVAL_NS) {
            intervalStartNs = endNs;
            reportsInInterval = 0;
        }
        if (reportsInInterval >= REPORTS_PER_INTERVAL) {
            unreported++;
            return null;
        }
        reportsInInterval++;
        StringBuilder s = new StringBuilder("cycle took ").append(ms(workNs)).append(" ms: commands ")
                .append(ms(commandsNs)).append(" ms, timers ").append(ms(ticksNs)).append(" ms (").append(ticks)
                .append(')');
        for (int p = 0; p < rxNs.length; p++) {
            if (rxFrames[p] > 0) {
                s.append(", rx ").append(portNames.get(p)).append(' ').append(ms(rxNs[p])).append(" ms (")
                        .append(rxFrames[p]).append(" frames)");
            }
        }
        s.append(", of that sendmsg ").append(ms(sendNs)).append(" ms (").append(sends).append(", longest ")
                .append(ms(maxSendNs)).append(" ms)");
        if (maxFramePort >= 0) {
            s.append(", longest frame ").append(ms(maxFrameNs)).append(" ms on ").append(portNames.get(maxFramePort));
        }
        if (unreported > 0) {
            s.append("; ").append(unreported).append(" more slow cycles since the last report");
            unreported = 0;
        }
        return s.toString();
    }

    /** Milliseconds with two decimals, without String.format (whose first use loads classes on the loop thread). */
    static String ms(long ns) {
        long hundredths = Math.max(0, ns) / 10_000;
        long frac = hundredths % 100;
        return hundredths / 100 + (frac < 10 ? ".0" : ".") + frac;
    }
}
