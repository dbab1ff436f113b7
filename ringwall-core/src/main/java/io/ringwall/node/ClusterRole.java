package io.ringwall.node;

import io.ringwall.ring.TokenRing;

/** What a cluster member does with the ring and with reliable messages: VIP ownership now, state replication later. */
interface ClusterRole {
    /** Called after every event that may have changed the ring (token arrival, pass, removal, train update). */
    void afterRingEvent(long nowNs, TokenRing ring);

    /** A reliable message from a peer on a channel other than the hello channel (ignored unless the role has one). */
    default void onMessage(long nowNs, int peer, int channel, byte[] message) {
    }

    /**
     * A reliable message to {@code peer} could not be delivered. Ignored by default: a role whose messages are
     * notices the token repeats (VIP table, bucket map) loses nothing.
     */
    default void onSendFailure(long nowNs, int peer, long messageId, byte[] message) {
    }

    /** {@code peer} acknowledged every fragment of reliable message {@code messageId}. */
    default void onDelivered(long nowNs, int peer, long messageId) {
    }

    /**
     * Whether {@code node}, asking to join, may be added to the ring now (this node holds the token). A role says
     * no while the train still names the node for something its previous incarnation held (yes by default).
     */
    default boolean mayJoin(TokenRing ring, int node) {
        return true;
    }

    /** When the role next needs a tick without any event (never, by default). */
    default long nextDeadlineNs() {
        return Long.MAX_VALUE;
    }
}
