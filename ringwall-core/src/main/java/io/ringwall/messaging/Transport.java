package io.ringwall.messaging;

/**
 * Where sealed packets go. The layer reuses {@code packet} after the call returns, so an
 * implementation sends (or copies) it synchronously. Must not call back into the layer.
 */
public interface Transport {
    void sendPacket(int peer, int path, byte[] packet, int length);
}
