package io.ringwall.app.mgmt;

import io.ringwall.node.NodeCommand;
import io.ringwall.node.NodeStatus;
import java.util.concurrent.CompletableFuture;

/**
 * What the management listener needs from a running node. Production: the Linux driver's command queue
 * ({@link #of(io.ringwall.linux.NodeCommandQueue)}); tests: a fake. Both calls are made from listener threads.
 */
public interface ManagementBackend {
    /** The latest published snapshot, or null if the node has not published one yet. */
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
                return queue.latestStatus();
            }

            @Override
            public CompletableFuture<NodeCommand.Result> submit(NodeCommand command) {
                return queue.submit(command);
            }
        };
    }
}
