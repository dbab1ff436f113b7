package io.ringwall.sim;

/** Something attached to a segment through a {@link SimLink}: a node interface or a host. */
public interface FrameEndpoint {
    /** Name used in the trace, e.g. {@code gw1/wan} or {@code client-1}. */
    String name();

    /** A frame arrived at simulated time {@code nowNs}; the array is this endpoint's own copy. */
    void receive(long nowNs, byte[] frame);
}
