package io.ringwall.linux;

/**
 * Keeps a SCHED_FIFO loop inside the kernel's real-time budget. Linux lets real-time threads run for
 * {@code sched_rt_runtime_us} (950 ms) of every {@code sched_rt_period_us} (1 s) per CPU; a loop that forwards
 * at full load without ever sleeping uses it up and is then not run at all until the period ends — measured
 * under bench/soak.sh as "stall not run for 22–30 ms" lines, each ending at the same phase of a second, and a
 * spurious failover each. So a loop that has been busy without a real wait for {@link #BUSY_LIMIT_NS} sleeps for
 * {@link #BREATHER_NS}: at most about 91 % of a CPU, well inside the budget, and the token's timers move by a
 * tenth of a millisecond at most. Pure: the driver passes the times around each ppoll(2).
 */
final class RtBudget {
    /** A ppoll(2) that took at least this long waited: the thread was off the CPU. */
    static final long SLEPT_NS = 20_000L;
    /** Longest run of work without a wait before a breather. */
    static final long BUSY_LIMIT_NS = 1_000_000L;
    /** How long a breather sleeps. */
    static final long BREATHER_NS = 100_000L;

    private long busySinceNs;
    private boolean started;

    /**
     * After one ppoll(2) that began at {@code beforeNs} and returned at {@code afterNs}: how long the loop must
     * sleep now (0: not at all).
     */
    long afterPoll(long beforeNs, long afterNs) {
        if (!started || afterNs - beforeNs >= SLEPT_NS) {
            started = true;
            busySinceNs = afterNs;
            return 0;
        }
        if (afterNs - busySinceNs < BUSY_LIMIT_NS) {
            return 0;
        }
        busySinceNs = afterNs + BREATHER_NS;
        return BREATHER_NS;
    }
}
