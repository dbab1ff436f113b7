package io.ringwall.sim;

import io.ringwall.time.Prng;

/**
 * The cable between one endpoint and its segment's switch port. Impairments from the
 * {@link LinkProfile} apply on every traversal, in both directions. A down link drops everything.
 */
public final class SimLink {
    private final Simulation sim;
    private final FrameEndpoint endpoint;
    private final SimSegment segment;
    private final int port;
    private final Prng prng;
    private LinkProfile profile;
    private boolean up = true;
    private long framesOffered, framesDelivered, framesLost, framesDuplicated, framesReordered, framesDroppedDown;

    SimLink(Simulation sim, FrameEndpoint endpoint, SimSegment segment, int port, LinkProfile profile) {
        this.sim = sim;
        this.endpoint = endpoint;
        this.segment = segment;
        this.port = port;
        this.profile = profile;
        this.prng = sim.forkPrng();
    }

    /** The endpoint sends a frame towards the switch. The frame is copied: callers may reuse it. */
    public void transmit(byte[] frame, int length) {
        byte[] copy = java.util.Arrays.copyOf(frame, length);
        traverse(copy, "tx", arrived -> segment.forward(port, arrived));
    }

    /** The switch sends a frame down this link to the endpoint. */
    void deliverToEndpoint(byte[] frame) {
        traverse(frame, "rx", arrived -> {
            framesDelivered++;
            sim.trace().record(sim.nowNs(), endpoint.name(), "rx", arrived, arrived.length);
            endpoint.receive(sim.nowNs(), arrived);
        });
    }

    private void traverse(byte[] frame, String direction, java.util.function.Consumer<byte[]> onArrival) {
        framesOffered++;
        if (!up) {
            framesDroppedDown++;
            sim.trace().record(sim.nowNs(), endpoint.name(), direction + "-drop-down", frame, frame.length);
            return;
        }
        if (prng.chance(profile.loss())) {
            framesLost++;
            sim.trace().record(sim.nowNs(), endpoint.name(), direction + "-drop-loss", frame, frame.length);
            return;
        }
        long delay = delayNs();
        if (prng.chance(profile.reorder())) {
            framesReordered++;
            delay += profile.reorderDelayNs();
        }
        sim.after(delay, () -> onArrival.accept(frame));
        if (prng.chance(profile.duplicate())) {
            framesDuplicated++;
            byte[] twin = frame.clone(); // each receiver owns its copy and may rewrite it in place
            sim.after(delayNs(), () -> onArrival.accept(twin));
        }
    }

    private long delayNs() {
        long jitter = profile.jitterNs() == 0 ? 0 : (long) (prng.nextDouble() * (profile.jitterNs() + 1));
        return profile.latencyNs() + jitter;
    }

    public FrameEndpoint endpoint() {
        return endpoint;
    }

    public SimSegment segment() {
        return segment;
    }

    public boolean isUp() {
        return up;
    }

    public void setUp(boolean up) {
        this.up = up;
        sim.trace().record(sim.nowNs(), endpoint.name(), up ? "link-up" : "link-down", "");
    }

    public LinkProfile profile() {
        return profile;
    }

    public void setProfile(LinkProfile profile) {
        this.profile = profile;
    }

    public long framesOffered() {
        return framesOffered;
    }

    /** Frames handed to the endpoint (counts only the switch-to-endpoint direction). */
    public long framesDelivered() {
        return framesDelivered;
    }

    public long framesLost() {
        return framesLost;
    }

    public long framesDuplicated() {
        return framesDuplicated;
    }

    public long framesReordered() {
        return framesReordered;
    }

    public long framesDroppedDown() {
        return framesDroppedDown;
    }
}
