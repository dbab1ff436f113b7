package io.ringwall.linux;

import io.ringwall.node.Effects;
import io.ringwall.node.NodeMachine;
import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The real-time driver of one node: one thread, one AF_PACKET socket per data interface, a
 * ppoll(2) loop that feeds frames and timer ticks into the sans-I/O {@link NodeMachine} and
 * carries out its {@link Effects}. The node-local ifIndex is the position in {@link #interfaces()}.
 */
public final class LinuxDriver implements AutoCloseable {
    /** Frames read from one socket per loop cycle, so a busy interface cannot starve the others. */
    public static final int RX_BATCH_FRAMES = 64;
    /**
     * Time one socket's batch may take. A 64 KB TSO frame through a veth costs tens of microseconds (the kernel
     * delivers it into the peer's stack on our thread), so 64 of them on each of three sockets kept a token or a
     * due timer waiting for milliseconds — longer than the fast profile's ack timeout. With this bound, cluster
     * packets and timers wait at most about one budget per other busy socket.
     */
    public static final long RX_BATCH_BUDGET_NS = 250_000L;
    /** Longest poll wait; also how often {@code stopRequested} is checked at the latest. */
    public static final int MAX_POLL_WAIT_MS = 100;
    /** Node exceptions logged in full; later ones are only counted. */
    private static final int NODE_ERROR_LOGS_MAX = 10;
    private static final int POLLFD_BYTES = 8;
    private static final long NANOS_PER_MS = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final List<InterfaceInfo> interfaces;
    private final List<FramePort> ports;
    private final DriverCounters counters;
    private final CycleProfile profile;
    private final ReadDelay readDelay;
    /** CLOCK_REALTIME minus System.nanoTime(), recalibrated once a second: turns kernel receive times into loop time. */
    private long realtimeOffsetNs;
    /**
     * When the loop started, on the kernel's clock: frames received before it waited in the sockets while the node
     * warmed up (seconds) and are discarded, not handed to the node. A restarted node used to start by working through
     * seconds-old ring tokens, 911s and bulk batches queued during its warm-ups, with the current token behind them.
     */
    private long loopStartRealtimeNs = Long.MIN_VALUE;
    /**
     * The check above ends this long after the start (by then the backlog is read; a wall-clock step cannot bite),
     * and what it discarded is logged then.
     */
    private static final long STALE_CHECK_NS = 1_000_000_000L;
    private long staleCheckUntilNs;
    private long staleDiscarded;
    /** Frames lost at the driver's edge, per port, logged from {@link #counters} once a second at most. */
    private final DropReport dropReport;
    /** The loop thread's run and wait time since the last sample (once a second), for the slow-cycle line. */
    private final ThreadSchedStat schedStat = new ThreadSchedStat();
    /** Created on the loop thread (it measures the thread that creates it); null until then or if unsupported. */
    private LoopCpuWindow cpuWindow;
    private final NodeCommandQueue commands = new NodeCommandQueue();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errnoState = Libc.newErrnoState(arena);
    private final MemorySegment pollFds;
    private LoopPriority priority = LoopPriority.NICE;
    /** Only a real-time loop has a budget to keep (null otherwise). */
    private RtBudget rtBudget;
    private final MemorySegment timeout = arena.allocate(Libc.TIMESPEC_BYTES, 8);
    private final MemorySegment rxBuffer = arena.allocate(PacketSocket.MAX_FRAME_BYTES, 64);
    private final VnetHeader derivedHeader = new VnetHeader();
    private final long[] reportedGsoDrops;
    private final long[] reportedTruncations;
    private final boolean[] txErrorLogged;
    private VnetHeader currentHeader;
    private boolean gsoDropLogged;
    private int nodeErrorLogs;

    LinuxDriver(List<InterfaceInfo> interfaces, List<FramePort> ports) {
        this.interfaces = List.copyOf(interfaces);
        this.ports = List.copyOf(ports);
        this.counters = new DriverCounters(ports.size());
        List<String> portNames = java.util.stream.IntStream.range(0, ports.size())
                .mapToObj(i -> i < interfaces.size() ? interfaces.get(i).device() : "port " + i).toList();
        this.profile = new CycleProfile(portNames);
        this.readDelay = new ReadDelay(portNames);
        this.dropReport = new DropReport(portNames);
        this.pollFds = arena.allocate((long) POLLFD_BYTES * ports.size(), 8);
        this.reportedGsoDrops = new long[ports.size()];
        this.reportedTruncations = new long[ports.size()];
        this.txErrorLogged = new boolean[ports.size()];
        for (int i = 0; i < ports.size(); i++) {
            pollFds.set(ValueLayout.JAVA_INT, (long) i * POLLFD_BYTES, ports.get(i).fd());
            pollFds.set(ValueLayout.JAVA_SHORT, (long) i * POLLFD_BYTES + 4, Libc.POLLIN);
        }
    }

    /** Runs {@link StartupChecks}; throws {@link StartupException} listing every problem, else opens the sockets. */
    public static LinuxDriver open(List<String> devices) {
        List<String> problems = StartupChecks.check(devices);
        if (!problems.isEmpty()) {
            throw new StartupException(problems);
        }
        List<InterfaceInfo> infos = new ArrayList<>();
        List<FramePort> ports = new ArrayList<>();
        try {
            for (String device : devices) {
                infos.add(InterfaceInfo.lookup(device));
                ports.add(PacketSocket.open(device));
            }
        } catch (RuntimeException e) {
            ports.forEach(FramePort::close);
            throw e;
        }
        return new LinuxDriver(infos, ports);
    }

    public List<InterfaceInfo> interfaces() {
        return interfaces;
    }

    public DriverCounters counters() {
        return counters;
    }

    /** Operator commands and status snapshots: the only way other threads reach the running node. */
    public NodeCommandQueue commands() {
        return commands;
    }

    /**
     * Runs the node on this thread until {@code stopRequested} is true (checked at least every
     * {@link #MAX_POLL_WAIT_MS}). Time is read once per cycle and passed down. Queued commands are
     * served every cycle, so within {@link #MAX_POLL_WAIT_MS} plus one cycle.
     */
    public void run(Function<Effects, NodeMachine> nodeFactory, BooleanSupplier stopRequested) {
        NodeMachine node = nodeFactory.apply(new DriverEffects());
        raisePriority();
        cpuWindow = LoopCpuWindow.ofCurrentThread();
        log("driver.start", "interfaces=" + interfaces);
        startClock();
        try {
            loop(node, stopRequested);
        } finally {
            commands.stop();
        }
        log("driver.stop", counters + " slowCycles=" + profile.slowCycles() + " lateReads=" + readDelay.lateFrames());
    }

    private void loop(NodeMachine node, BooleanSupplier stopRequested) {
        while (!stopRequested.getAsBoolean()) {
            cycle(node);
        }
    }

    /**
     * One loop cycle: commands, one ppoll (without waiting if a deadline is overdue), the frames that arrived, a
     * tick if due. A method of its own, not the body of {@link #loop}: the JIT compiles a method after a few
     * thousand calls, but a loop that is entered once only by on-stack replacement after tens of thousands of back
     * edges — at an idle node's ~100 cycles per second that is many minutes in the interpreter.
     */
    private void cycle(NodeMachine node) {
        long nowNs = System.nanoTime();
        profile.begin(nowNs);
        if (cpuWindow != null) {
            cpuWindow.cycleStarts(nowNs);
        }
        commands.serve(node, nowNs);
        long servedNs = System.nanoTime();
        profile.commands(servedNs - nowNs);
        long deadlineNs = node.nextDeadlineNs();
        // An overdue deadline makes this a poll that does not wait (the timers run after the frames that are
        // already there): a node that asks to be called again at once, to send its next slice of work, must not
        // keep its sockets unread meanwhile.
        long waitNs = pollWaitNs(servedNs, deadlineNs);
        timeout.set(ValueLayout.JAVA_LONG, 0, waitNs / NANOS_PER_SECOND);
        timeout.set(ValueLayout.JAVA_LONG, 8, waitNs % NANOS_PER_SECOND);
        int ready = Libc.ppoll(errnoState, pollFds, ports.size(), timeout);
        if (ready < 0 && Libc.errno(errnoState) != Libc.EINTR) {
            throw new ErrnoException("driver loop", "poll", Libc.errno(errnoState));
        }
        long polledNs = System.nanoTime();
        profile.idle(polledNs - servedNs); // the wait is not work
        if (rtBudget != null) {
            long breatherNs = rtBudget.afterPoll(nowNs, polledNs);
            if (breatherNs > 0) {
                LockSupport.parkNanos(breatherNs);
                counters.loopBreather();
                long awakeNs = System.nanoTime();
                profile.idle(awakeNs - polledNs);
                polledNs = awakeNs;
            }
        }
        nowNs = polledNs;
        if (ready > 0) {
            for (int i = 0; i < ports.size(); i++) {
                short revents = pollFds.get(ValueLayout.JAVA_SHORT, (long) i * POLLFD_BYTES + 6);
                if (revents != 0) {
                    nowNs = receiveBatch(node, i, nowNs);
                    // A due timer (token hop, ack timeout) is served between sockets, not after all of them.
                    if (due(node.nextDeadlineNs(), nowNs)) {
                        nowNs = tick(node, nowNs);
                    }
                }
            }
        }
        if (due(node.nextDeadlineNs(), nowNs)) {
            nowNs = tick(node, nowNs);
        }
        endCycle(nowNs);
    }

    /** Logs where a slow cycle's time went (rate-limited, {@link CycleProfile}); {@code endNs}: its work's end. */
    private void endCycle(long endNs) {
        String slow = profile.end(endNs);
        if (slow != null) {
            // ran or waited? a cycle can be slow because the thread was not given a CPU, not only because it worked
            String sched = schedStat.sinceLastSample(endNs);
            String cpu = cpuWindow == null ? null : cpuWindow.describe(endNs);
            log("driver.slow_cycle", slow + (cpu == null ? "" : "; loop thread " + cpu)
                    + (sched == null ? "" : "; " + sched));
        }
        String delayed = readDelay.end(endNs);
        if (delayed != null) {
            String sched = schedStat.sinceLastSample(endNs);
            log("driver.read_delay", delayed + (sched == null ? "" : "; " + sched));
        }
        if (dropReport.due(endNs)) { // once a second
            schedStat.sample(endNs); // a fresh window: a slow cycle's line covers at most a second
            reportDrops(endNs);
            realtimeOffsetNs = realtimeOffsetNs();
        }
        if (loopStartRealtimeNs != Long.MIN_VALUE && endNs - staleCheckUntilNs >= 0) {
            loopStartRealtimeNs = Long.MIN_VALUE;
            if (staleDiscarded > 0) {
                log("driver.stale_frames", staleDiscarded + " frames that arrived before the loop started (queued while"
                        + " the node warmed up) were discarded, not handed to the node");
            }
        }
    }

    /** The loop starts now: frames the kernel received before this are discarded (see {@link #loopStartRealtimeNs}). */
    void startClock() {
        realtimeOffsetNs = realtimeOffsetNs();
        long startNs = System.nanoTime();
        loopStartRealtimeNs = startNs + realtimeOffsetNs;
        staleCheckUntilNs = startNs + STALE_CHECK_NS;
        discardUntimestampedBacklog();
    }

    /** Ports whose frames carry no kernel time: everything queued before the loop starts is read and dropped now. */
    private void discardUntimestampedBacklog() {
        for (int i = 0; i < ports.size(); i++) {
            FramePort port = ports.get(i);
            if (!port.timestamped()) {
                for (int n = 0; n < MAX_BACKLOG_DISCARD && port.receive(rxBuffer) > 0; n++) {
                    staleDiscarded++;
                }
            }
        }
    }

    /** Frames discarded before the loop starts, per port without kernel times: more than any socket buffer holds. */
    private static final int MAX_BACKLOG_DISCARD = 1_000_000;

    /** Frames read after the loop started that had arrived before it (queued during the warm-ups) and were dropped. */
    long staleFramesDiscarded() {
        return staleDiscarded;
    }

    private static long realtimeOffsetNs() {
        return realtimeNs() - System.nanoTime();
    }

    /** CLOCK_REALTIME in ns, the clock of the kernel's receive times (allocates an Instant: not per frame). */
    static long realtimeNs() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Reads each port's kernel drop count (a system call each) into the counters and logs any frames lost. */
    private void reportDrops(long nowNs) {
        for (int i = 0; i < ports.size(); i++) {
            long kernel = ports.get(i).kernelDrops(); // since the port opened; -1 if unknown
            long counted = counters.rxKernelDropped(i);
            if (kernel > counted) {
                counters.rxKernelDropped(i, kernel - counted);
            }
        }
        String lost = dropReport.update(nowNs, counters);
        if (lost != null) {
            log("driver.drops", lost);
        }
    }

    /** Whether a node's deadline ({@link Long#MAX_VALUE}: none) has come. */
    private static boolean due(long deadlineNs, long nowNs) {
        return deadlineNs != Long.MAX_VALUE && deadlineNs - nowNs <= 0;
    }

    /** How the loop thread asks the scheduler for CPU time. */
    public enum LoopPriority {
        /** nice {@link #LOOP_NICE}: a weight about 10x a normal thread's; safe on any host. */
        NICE,
        /**
         * SCHED_FIFO priority {@link #LOOP_FIFO_PRIORITY}: the loop preempts every normal thread the moment a
         * packet or timer is due, so token timing holds under full load (the fast timer profile needs this on
         * a busy host). The kernel's RT throttling still leaves other threads 5 % of each core.
         */
        FIFO
    }

    /**
     * The loop carries both the data plane and the cluster's timers; when the host is busy (a traffic generator,
     * other processes) the scheduler must not starve it, or the token stalls and the ring sees a failure that
     * is not there.
     */
    void raisePriority() {
        int tid = Libc.gettid(errnoState);
        raiseJvmThreads(tid);
        if (priority == LoopPriority.FIFO) {
            MemorySegment param = arena.allocate(ValueLayout.JAVA_INT);
            param.set(ValueLayout.JAVA_INT, 0, LOOP_FIFO_PRIORITY);
            if (Libc.schedSetScheduler(errnoState, tid, Libc.SCHED_FIFO, param) == 0) {
                rtBudget = new RtBudget();
                log("driver.priority", "loop thread runs SCHED_FIFO priority " + LOOP_FIFO_PRIORITY);
                return;
            }
            log("driver.priority", "could not set SCHED_FIFO (errno " + Libc.errno(errnoState) + "); using nice "
                    + LOOP_NICE);
        }
        if (Libc.setpriority(errnoState, Libc.PRIO_PROCESS, tid, LOOP_NICE) != 0) {
            log("driver.priority", "could not raise the loop's priority (errno " + Libc.errno(errnoState)
                    + "); under CPU contention the ring may see stalls");
        }
    }

    /**
     * The loop stops at every JVM safepoint (the collector's pauses, deoptimisation), and a safepoint is begun and
     * ended by the JVM's own threads (the VM thread, the collector's threads), which run at normal priority. On a
     * busy host the scheduler made them wait 10–150 ms behind a traffic generator while the loop waited for them
     * (measured with -Xlog:safepoint under bench/soak.sh: "Reaching safepoint: 153 ms"), so the ring saw a dead
     * node. Every thread of the process gets {@link #LOOP_NICE}; threads started later inherit it from the JVM
     * thread that starts them.
     */
    private void raiseJvmThreads(int loopTid) {
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return;
        }
        int failed = 0;
        for (File task : tasks) {
            int other;
            try {
                other = Integer.parseInt(task.getName());
            } catch (NumberFormatException e) {
                continue;
            }
            if (other != loopTid && Libc.setpriority(errnoState, Libc.PRIO_PROCESS, other, LOOP_NICE) != 0
                    && Libc.errno(errnoState) != Libc.ESRCH) { // a thread that ended meanwhile needs nothing
                failed++;
            }
        }
        if (failed > 0) {
            log("driver.priority", "could not raise the priority of " + failed + " JVM threads (errno "
                    + Libc.errno(errnoState) + "); under CPU contention safepoints may stall the loop");
        }
    }

    /** Real-time priority of the loop thread with {@link LoopPriority#FIFO} (1..99; kernel threads use 50). */
    public static final int LOOP_FIFO_PRIORITY = 10;

    /** Chooses the loop thread's scheduling before {@link #run}; {@link LoopPriority#NICE} by default. */
    public LinuxDriver withPriority(LoopPriority loopPriority) {
        this.priority = loopPriority;
        return this;
    }

    /** Nice value of the driver loop thread. */
    public static final int LOOP_NICE = -10;

    /**
     * How long to wait in ppoll(2): to the deadline in nanoseconds (the fast timer profile's 2 ms hops would
     * lose up to half their precision to poll(2)'s millisecond rounding), capped so a stop is seen.
     */
    static long pollWaitNs(long nowNs, long deadlineNs) {
        if (deadlineNs == Long.MAX_VALUE) {
            return MAX_POLL_WAIT_MS * NANOS_PER_MS;
        }
        long waitNs = deadlineNs - nowNs;
        return waitNs <= 0 ? 0 : Math.min(MAX_POLL_WAIT_MS * NANOS_PER_MS, waitNs);
    }

    /** Runs the node's timers; returns the time after them. */
    private long tick(NodeMachine node, long nowNs) {
        try {
            node.onTick(nowNs);
        } catch (RuntimeException e) {
            nodeFailed("onTick", e);
        }
        long afterNs = System.nanoTime();
        profile.tick(afterNs - nowNs);
        return afterNs;
    }

    /**
     * Reads up to {@link #RX_BATCH_FRAMES} frames from one socket, for at most {@link #RX_BATCH_BUDGET_NS}; frames
     * left over wait for the next cycle (ppoll reports the socket ready at once). Returns the time after the batch.
     */
    long receiveBatch(NodeMachine node, int ifIndex, long startNs) {
        FramePort port = ports.get(ifIndex);
        long nowNs = startNs;
        for (int n = 0; n < RX_BATCH_FRAMES && nowNs - startNs < RX_BATCH_BUDGET_NS; n++) {
            int length = port.receive(rxBuffer);
            if (length == 0) {
                break;
            }
            long receivedNs = port.lastKernelReceiveRealtimeNs();
            if (receivedNs != 0) {
                if (receivedNs < loopStartRealtimeNs) {
                    staleDiscarded++;
                    continue;
                }
                readDelay.frame(ifIndex, nowNs + realtimeOffsetNs - receivedNs);
            }
            VnetHeader header = port.lastHeader();
            if (!header.isForwardable()) {
                counters.gsoDropped(1);
                logGsoDropOnce(ifIndex, header);
                continue;
            }
            int offloadFlags = header.offloadFlags();
            counters.received(ifIndex, length, offloadFlags);
            currentHeader = header;
            try {
                node.onFrame(nowNs, ifIndex, rxBuffer, length, offloadFlags);
            } catch (RuntimeException e) {
                nodeFailed("onFrame", e);
            } finally {
                currentHeader = null;
            }
            long afterNs = System.nanoTime();
            profile.frame(ifIndex, afterNs - nowNs, rxBuffer, length);
            nowNs = afterNs;
        }
        collectPortDrops(ifIndex, port);
        return nowNs;
    }

    private void collectPortDrops(int ifIndex, FramePort port) {
        long gso = port.unsupportedOffloadDrops();
        if (gso != reportedGsoDrops[ifIndex]) {
            counters.gsoDropped(gso - reportedGsoDrops[ifIndex]);
            reportedGsoDrops[ifIndex] = gso;
            logGsoDropOnce(ifIndex, null);
        }
        long truncated = port.truncatedDrops();
        if (truncated != reportedTruncations[ifIndex]) {
            counters.rxTruncated(truncated - reportedTruncations[ifIndex]);
            reportedTruncations[ifIndex] = truncated;
        }
    }

    private void logGsoDropOnce(int ifIndex, VnetHeader header) {
        if (!gsoDropLogged) {
            gsoDropLogged = true;
            log("driver.gso_unsupported", "dropping received frames with a GSO type the driver cannot forward "
                    + "(only plain and TCPv4 GSO pass), first on " + interfaces.get(ifIndex).device()
                    + (header == null ? "" : " " + header) + "; counted in gsoDropped, logged once");
        }
    }

    private void nodeFailed(String call, RuntimeException e) {
        counters.nodeError();
        if (nodeErrorLogs < NODE_ERROR_LOGS_MAX) {
            nodeErrorLogs++;
            log("driver.node_error", call + " threw " + e + (nodeErrorLogs == NODE_ERROR_LOGS_MAX
                    ? " (further node errors are only counted)" : ""));
        }
    }

    private static void log(String event, String detail) {
        System.err.println(Instant.now() + " " + event + " " + detail);
    }

    private final class DriverEffects implements Effects {
        @Override
        public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
            if (ifIndex < 0 || ifIndex >= ports.size()) {
                counters.nodeError();
                return;
            }
            VnetHeader header = null;
            if (offloadFlags != 0) {
                if (currentHeader != null && currentHeader.offloadFlags() == offloadFlags) {
                    header = currentHeader;
                } else if (derivedHeader.deriveFrom(frame, length, offloadFlags, interfaces.get(ifIndex).mtu())) {
                    header = derivedHeader;
                } else {
                    counters.countTxError(ifIndex);
                    return;
                }
            }
            FramePort port = ports.get(ifIndex);
            long beforeNs = System.nanoTime();
            boolean sent = port.send(frame, length, offloadFlags, header);
            profile.send(System.nanoTime() - beforeNs);
            if (sent) {
                counters.sent(ifIndex, length);
                return;
            }
            int errno = port.lastSendErrno();
            if (errno == Libc.EAGAIN || errno == Libc.ENOBUFS) {
                counters.countTxDropped(ifIndex);
            } else {
                counters.countTxError(ifIndex);
                if (!txErrorLogged[ifIndex]) {
                    txErrorLogged[ifIndex] = true;
                    log("driver.tx_error", interfaces.get(ifIndex).device() + ": " + Libc.strerror(errno)
                            + " (errno " + errno + ", length " + length + ", offload " + offloadFlags
                            + "); further errors on this interface are only counted");
                }
            }
        }

        @Override
        public void log(String event, String detail) {
            LinuxDriver.log(event, detail);
        }
    }

    @Override
    public void close() {
        ports.forEach(FramePort::close);
        arena.close();
    }
}
