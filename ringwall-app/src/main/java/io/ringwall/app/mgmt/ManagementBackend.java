package io.ringwall.app.mgmt;

import io.ringwall.node.NodeCommand;
import io.ringwall.node.NodeStatus;
import java.util.concurrent.CompletableFuture;

/**
 * What the management listener needs from a running node. Production: the Linux driver's command queue
 * ({@link #of(io.ringwall.linux.NodeCommandQueue)}); tests: a fake. Both calls are made from listener threads.
 */
public interface ManagementBackend {
    /** A snapshot taken for this call if the node answers in time, else the last one; null if it never published one. */
    NodeStatus status();

    /**
     * Hands the command to the node. The future completes with the node's result, or exceptionally with
     * {@link java.util.concurrent.RejectedExecutionException} when the node cannot take it now (busy, stopped).
     */
    CompletableFuture<NodeCommand.Result> submit(NodeCommand command);

    static ManagementBackend of(io.ringwall.linux.NodeCommandQueue queue) {
        return new ManagementBackend() {
            @Override
            public NodeStatus status() {
                return queue.freshStatus(io.ringwall.linux.NodeCommandQueue.STATUS_WAIT_NS);
            }

            @Override
            public CompletableFuture<NodeCommand.Result> submit(NodeCommand command) {
                return queue.submit(command);
            }
        };
    }
}
