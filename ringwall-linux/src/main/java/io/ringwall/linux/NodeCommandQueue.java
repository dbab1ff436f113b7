package io.ringwall.linux;

import io.ringwall.node.NodeCommand;
import io.ringwall.node.NodeMachine;
import io.ringwall.node.NodeStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The only way other threads (management, metrics) reach a running node: a bounded queue of operator
 * commands that the driver loop drains each cycle, and a status snapshot the loop publishes. The node
 * itself is touched only by the loop thread (one writer per state, ARCHITECTURE.md §2).
 *
 * <p>The queue takes no lock: the loop looks at it every cycle, and a lock shared with a management thread lets
 * that thread stop the loop. With a java.util.concurrent.ArrayBlockingQueue (whose poll() locks even when the queue
 * is empty), a listener thread preempted while it held the lock for its offer parked the SCHED_FIFO loop until the
 * scheduler ran the listener again; on a loaded two-core host that took 91 ms (bench/failover.sh: the node that
 * received a drain's POST logged "stall not run for 91 ms" and was removed from the ring).
 */
public final class NodeCommandQueue {
    /** Commands waiting for the loop; a full queue answers "busy" instead of growing. */
    public static final int CAPACITY = 64;
    /** Commands handed to the node per loop cycle, so a burst cannot stall the data plane. */
    public static final int MAX_COMMANDS_PER_CYCLE = 16;
    /**
     * How often the loop takes a status snapshot at most, however many readers ask. A snapshot is taken only when
     * one is asked for (and on the first cycle): taken ten times a second whether anyone looked or not, it was about
     * 2 % of an idle node's loop thread.
     */
    public static final long STATUS_INTERVAL_NS = 10_000_000L;
    /** How long {@link #freshStatus} waits for the loop at most: a ring member's loop runs every hop or sooner. */
    public static final long STATUS_WAIT_NS = 250_000_000L;
    private static final long WAIT_STEP_NS = 500_000L;

    private record Pending(NodeCommand command, CompletableFuture<NodeCommand.Result> result) {
    }

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Commands offered and not yet taken by the loop (the bound; the queue's own size() is not constant-time). */
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile NodeStatus status;
    /** Snapshots published so far: a reader waits for it to pass the value it saw when it asked. */
    private volatile long statusSeq;
    private volatile boolean statusRequested;
    private volatile boolean stopped;
    private long statusTakenNs;

    /**
     * Queues {@code command} for the node. The future completes with the node's result (possibly after
     * the token's next visit), or exceptionally with {@link RejectedExecutionException} if the queue is
     * full or the node is not running. Callers bound their wait themselves.
     */
    public CompletableFuture<NodeCommand.Result> submit(NodeCommand command) {
        CompletableFuture<NodeCommand.Result> result = new CompletableFuture<>();
        if (stopped) {
            result.completeExceptionally(new RejectedExecutionException("the node is not running"));
        } else if (waiting.incrementAndGet() > CAPACITY) {
            waiting.decrementAndGet();
            result.completeExceptionally(new RejectedExecutionException(
                    "busy: " + CAPACITY + " commands are already waiting for the node"));
        } else {
            queue.add(new Pending(command, result));
            if (stopped) {
                refuseWaiting(); // the loop stopped between our check and the add
            }
        }
        return result;
    }

    /** The last snapshot the loop published, or null before the node's first cycle. Does not ask for a new one. */
    public NodeStatus latestStatus() {
        return status;
    }

    /**
     * Asks the loop for a snapshot and waits up to {@code waitNs} for it (any thread but the loop's). Returns the
     * newest published snapshot: the fresh one, or, if the loop did not publish in time (stalled, stopped), the last
     * one, or null if there never was one.
     */
    public NodeStatus freshStatus(long waitNs) {
        long seen = statusSeq;
        statusRequested = true;
        long deadline = System.nanoTime() + waitNs;
        while (statusSeq == seen && !stopped && deadline - System.nanoTime() > 0) {
            LockSupport.parkNanos(WAIT_STEP_NS);
        }
        return status;
    }

    /** Loop thread: hands waiting commands to the node and takes a snapshot if one was asked for (or none exists). */
    void serve(NodeMachine node, long nowNs) {
        for (int n = 0; n < MAX_COMMANDS_PER_CYCLE; n++) {
            Pending p = take();
            if (p == null) {
                break;
            }
            try {
                node.onCommand(nowNs, p.command(), p.result()::complete);
            } catch (RuntimeException e) {
                p.result().complete(new NodeCommand.Result(false, "the node failed on this command: " + e));
            }
        }
        if (statusSeq == 0 || statusRequested && nowNs - statusTakenNs >= STATUS_INTERVAL_NS) {
            statusRequested = false;
            statusTakenNs = nowNs;
            try {
                status = node.status(nowNs);
            } catch (RuntimeException e) {
                // Keep the previous snapshot; the driver counts node errors of the data plane separately.
            }
            statusSeq++; // also after a failure, so a waiting reader gets the previous snapshot at once
        }
    }

    /** Loop thread, on exit: later submissions are refused and waiting ones are answered. */
    void stop() {
        stopped = true;
        refuseWaiting();
    }

    private Pending take() {
        Pending p = queue.poll();
        if (p != null) {
            waiting.decrementAndGet();
        }
        return p;
    }

    private void refuseWaiting() {
        Pending p;
        while ((p = take()) != null) {
            p.result().completeExceptionally(new RejectedExecutionException("the node stopped"));
        }
    }
}
