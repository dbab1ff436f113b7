package io.ringwall.node;

/**
 * Which cluster paths still carry a peer's packets, to tell when a peer cannot be reached on a data segment
 * (SPEC §5.1: then flows for it travel encapsulated over another path). Every {@link #PROBE_INTERVAL_NS} the node
 * sends each peer with two or more paths an empty probe datagram on every path, so that every path carries
 * authenticated traffic in both directions whatever the ring does. The rule: path {@code p} to peer {@code j} is
 * <em>down</em> when nothing from {@code j} arrived on it for more than {@link #SILENCE_NS} while another path to
 * {@code j} was heard within that time. A peer silent on every path is not "down on a segment" but gone, which the
 * ring handles. Checked when probes go out, so a dead path is marked within SILENCE_NS + PROBE_INTERVAL_NS and
 * a path that comes back is cleared within one probe interval of its first packet. No probes go out while no
 * frames are passed between nodes (active/standby: one node owns every bucket), so an idle active/standby cluster
 * carries only its token traffic.
 */
final class PathMonitor {
    /** Probes per path and peer. */
    static final long PROBE_INTERVAL_NS = 100_000_000L;
    /** A path silent this long (three probes lost) while another path to the same peer works is down. */
    static final long SILENCE_NS = 3 * PROBE_INTERVAL_NS;

    /** Per peer and path: when the peer was last heard on it. */
    private final long[][] heardNs;
    private long nextProbeNs = Long.MAX_VALUE;
    private boolean paused;

    PathMonitor(int[] pathsPerPeer) {
        heardNs = new long[pathsPerPeer.length][];
        for (int j = 0; j < pathsPerPeer.length; j++) {
            heardNs[j] = new long[pathsPerPeer[j]];
        }
    }

    /**
     * Counts every path as just heard (a node starting up has no evidence against any) and probes at once, if any
     * peer has two paths or more.
     */
    void start(long nowNs) {
        markAllHeard(nowNs);
        for (int j = 0; j < heardNs.length; j++) {
            if (monitors(j)) {
                nextProbeNs = nowNs;
            }
        }
    }

    /** An authenticated packet from {@code peer} arrived over {@code path}. */
    void heard(int peer, int path, long nowNs) {
        if (peer >= 0 && peer < heardNs.length && path >= 0 && path < heardNs[peer].length) {
            heardNs[peer][path] = nowNs;
        }
    }

    /** Whether {@code peer} was heard on {@code path} within {@link #SILENCE_NS}. */
    boolean alive(int peer, int path, long nowNs) {
        return nowNs - heardNs[peer][path] <= SILENCE_NS;
    }

    /** Whether {@code path} to {@code peer} is down: silent too long while another path to it is alive. */
    boolean down(int peer, int path, long nowNs) {
        if (alive(peer, path, nowNs)) {
            return false;
        }
        for (int q = 0; q < heardNs[peer].length; q++) {
            if (q != path && alive(peer, q, nowNs)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the probes are due; if so the next round is scheduled. While {@code needed} is false (no frames are
     * passed between nodes, e.g. active/standby) no probes go out, and when they are needed again every path counts
     * as just heard: a pause of the probes is no evidence against a path.
     */
    boolean probeDue(long nowNs, boolean needed) {
        if (nowNs - nextProbeNs < 0) {
            return false;
        }
        nextProbeNs = nowNs + PROBE_INTERVAL_NS;
        if (!needed) {
            paused = true;
            return false;
        }
        if (paused) {
            paused = false;
            markAllHeard(nowNs);
        }
        return true;
    }

    private void markAllHeard(long nowNs) {
        for (long[] peer : heardNs) {
            java.util.Arrays.fill(peer, nowNs);
        }
    }

    long nextProbeNs() {
        return nextProbeNs;
    }

    /** Whether {@code peer} is worth probing: with a single path there is nothing to compare it with. */
    boolean monitors(int peer) {
        return peer >= 0 && peer < heardNs.length && heardNs[peer].length >= 2;
    }
}
