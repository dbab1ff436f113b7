package io.ringwall.linux;

import io.ringwall.node.NodeCommand;
import io.ringwall.node.NodeMachine;
import io.ringwall.node.NodeStatus;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The only way other threads (management, metrics) reach a running node: a bounded queue of operator
 * commands that the driver loop drains each cycle, and a status snapshot the loop publishes. The node
 * itself is touched only by the loop thread (one writer per state, ARCHITECTURE.md §2).
 */
public final class NodeCommandQueue {
    /** Commands waiting for the loop; a full queue answers "busy" instead of growing. */
    public static final int CAPACITY = 64;
    /** Commands handed to the node per loop cycle, so a burst cannot stall the data plane. */
    public static final int MAX_COMMANDS_PER_CYCLE = 16;
    /** How often the loop refreshes the published status snapshot at most. */
    public static final long STATUS_INTERVAL_NS = 100_000_000L;

    private record Pending(NodeCommand command, CompletableFuture<NodeCommand.Result> result) {
    }

    private final ArrayBlockingQueue<Pending> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile NodeStatus status;
    private volatile boolean stopped;
    private long statusTakenNs;
    private boolean statusTaken;

    /**
     * Queues {@code command} for the node. The future completes with the node's result (possibly after
     * the token's next visit), or exceptionally with {@link RejectedExecutionException} if the queue is
     * full or the node is not running. Callers bound their wait themselves.
     */
    public CompletableFuture<NodeCommand.Result> submit(NodeCommand command) {
        CompletableFuture<NodeCommand.Result> result = new CompletableFuture<>();
        if (stopped) {
            result.completeExceptionally(new RejectedExecutionException("the node is not running"));
        } else if (!queue.offer(new Pending(command, result))) {
            result.completeExceptionally(new RejectedExecutionException(
                    "busy: " + CAPACITY + " commands are already waiting for the node"));
        } else if (stopped) {
            refuseWaiting(); // the loop stopped between our check and the offer
        }
        return result;
    }

    /** The last snapshot the loop published, or null before the node's first cycle. */
    public NodeStatus latestStatus() {
        return status;
    }

    /** Loop thread: hands waiting commands to the node and refreshes the snapshot when it is due. */
    void serve(NodeMachine node, long nowNs) {
        for (int n = 0; n < MAX_COMMANDS_PER_CYCLE; n++) {
            Pending p = queue.poll();
            if (p == null) {
                break;
            }
            try {
                node.onCommand(nowNs, p.command(), p.result()::complete);
            } catch (RuntimeException e) {
                p.result().complete(new NodeCommand.Result(false, "the node failed on this command: " + e));
            }
        }
        if (!statusTaken || nowNs - statusTakenNs >= STATUS_INTERVAL_NS) {
            statusTaken = true;
            statusTakenNs = nowNs;
            try {
                status = node.status(nowNs);
            } catch (RuntimeException e) {
                // Keep the previous snapshot; the driver counts node errors of the data plane separately.
            }
        }
    }

    /** Loop thread, on exit: later submissions are refused and waiting ones are answered. */
    void stop() {
        stopped = true;
        refuseWaiting();
    }

    private void refuseWaiting() {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new RejectedExecutionException("the node stopped"));
        }
    }
}
