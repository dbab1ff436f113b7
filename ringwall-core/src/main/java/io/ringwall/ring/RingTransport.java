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
}
