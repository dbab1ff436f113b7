package io.ringwall.messaging;

/** Upper-layer callbacks, invoked on the thread driving the layer. */
public interface MessageListener {
    /** A complete message; {@code message} is owned by the listener from now on. */
    void onMessage(int peer, int channel, byte[] message);

    /** Gave up after the configured tries; {@code message} is the array passed to send. */
    void onFailure(int peer, long messageId, byte[] message);

    /** An unreliable datagram; {@code data} is only valid during the call. */
    default void onDatagram(int peer, int path, byte[] data, int offset, int length) {}
}
