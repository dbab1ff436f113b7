package io.ringwall.messaging;

/** Upper-layer callbacks, invoked on the thread driving the layer. */
public interface MessageListener {
    /** A complete message; {@code message} is owned by the listener from now on. */
    void onMessage(int peer, int channel, byte[] message);

    /** Gave up after the configured tries; {@code message} is the array passed to send. */
    void onFailure(int peer, long messageId, byte[] message);

    /**
     * Every fragment of message {@code messageId} to {@code peer} has been acknowledged: the peer holds it. Upper
     * layers that must know their state reached a peer (deferred packets, SPEC §5.6) wait for this; at most once
     * per message, never for a message that failed.
     */
    default void onDelivered(int peer, long messageId) {}

    /**
     * An unreliable datagram that arrived over {@code path}, with the {@code kind} (0..255) its sender gave it;
     * {@code data} is only valid during the call.
     */
    default void onDatagram(int peer, int path, int kind, byte[] data, int offset, int length) {}
}
