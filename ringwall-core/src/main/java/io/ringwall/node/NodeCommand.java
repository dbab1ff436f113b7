package io.ringwall.node;

/** Operator commands (CLI, API, console, demo), carried out by the node and, through the train, by the cluster. */
public sealed interface NodeCommand {
    /** Move a VIP to a node now (two-phase: the old owner stops answering before the new one announces). */
    record MoveVip(int vip, String node) implements NodeCommand {
    }

    /** Set a VIP's preferred node (sets its persistence flag to 3: it returns there whenever that node is alive). */
    record PreferVip(int vip, String node) implements NodeCommand {
    }

    /** Close (drain) a node: hand over its VIPs, then leave. */
    record Close(String node) implements NodeCommand {
    }

    /** Reopen a closed node. */
    record Open(String node) implements NodeCommand {
    }

    /** The outcome: whether the cluster carried it out, and what happened, in words. */
    record Result(boolean ok, String message) {
    }

    /** Receives the result (possibly later, e.g. after the token's next visit). */
    @FunctionalInterface
    interface Reply {
        void done(Result result);
    }
}
