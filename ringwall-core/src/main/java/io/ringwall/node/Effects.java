package io.ringwall.node;

import java.lang.foreign.MemorySegment;

/** What a {@link NodeMachine} asks its driver to do. Implementations must copy what they keep: buffers are reused. */
public interface Effects {
    /** Transmit {@code length} bytes of {@code frame} on interface {@code ifIndex}; {@code offloadFlags} as received. */
    void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags);

    /** A structured log event (control plane and rate-limited rule logs only, never per packet unbounded). */
    void log(String event, String detail);
}
