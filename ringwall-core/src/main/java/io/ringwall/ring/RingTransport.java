package io.ringwall.ring;

/**
 * Where the ring's outgoing messages go. The messaging layer (seal, fragments, paths) sits behind it.
 * The ring reuses its buffers: an implementation must copy {@code message[0, length)} before returning.
 */
@FunctionalInterface
public interface RingTransport {
    /**
     * @param toNode   node-map position 0..15
     * @param allPaths true for retransmissions: send over every available path, not just the preferred one
     */
    void send(int toNode, byte[] message, int length, boolean allPaths);

    /**
     * The answer to the message that {@code toNode} just delivered (a token's ack): one copy over the path that
     * message came by, whose reverse direction is the one known to work. By default the preferred path.
     */
    default void reply(int toNode, byte[] message, int length) {
        send(toNode, message, length, false);
    }
}
