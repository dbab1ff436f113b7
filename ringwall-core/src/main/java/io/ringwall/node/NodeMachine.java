package io.ringwall.node;

import java.lang.foreign.MemorySegment;

/**
 * One gateway node as a single-threaded, sans-I/O state machine (ARCHITECTURE.md §1).
 * A driver (the simulator or the Linux driver) calls these methods from one thread and
 * carries out what the node asks through the {@link Effects} it was built with.
 */
public interface NodeMachine {
    /**
     * A data-plane frame arrived on interface {@code ifIndex} (the node-local index of the
     * interface in its configuration, 0-based). The segment is writable and owned by the node
     * only for the duration of the call: the node may rewrite it in place and pass it to
     * {@link Effects#sendFrame}. {@code offloadFlags} is a set of {@link Offload} bits.
     */
    void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags);

    /** Timers: called at or after {@link #nextDeadlineNs()}. */
    void onTick(long nowNs);

    /** When the driver must call {@link #onTick} next; {@link Long#MAX_VALUE} if nothing is pending. */
    long nextDeadlineNs();

    /** An operator command; the reply may come later (e.g. after the token's next visit). */
    default void onCommand(long nowNs, NodeCommand command, NodeCommand.Reply reply) {
        reply.done(new NodeCommand.Result(false, "this node does not take commands"));
    }

    /** A snapshot of this node's view of the cluster; called on the node's thread. */
    default NodeStatus status(long nowNs) {
        return new NodeStatus("?", "alone", 0, java.util.List.of(), true, 0, java.util.List.of(), java.util.List.of(),
                new NodeStatus.Counters(0, 0, 0, 0, 0, 0, 0));
    }
}
