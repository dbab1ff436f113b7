package io.ringwall.node;

import java.util.Arrays;

/**
 * Which cluster paths still carry a peer's packets, to tell when a peer cannot be reached on a data segment
 * (SPEC §5.1: then flows for it travel encapsulated over another path). Every {@link #PROBE_INTERVAL_NS} the node
 * sends each peer with two or more paths an empty probe datagram on every path, so that every path carries
 * authenticated traffic in both directions whatever the ring does. The rule: path {@code p} to peer {@code j} is
 * <em>down</em> when nothing from {@code j} arrived on it for more than {@link #SILENCE_NS} while another path to
 * {@code j} was heard within that time. A peer silent on every path is not "down on a segment" but gone, which the
 * ring handles. Checked when probes go out, so a dead path is marked within SILENCE_NS + PROBE_INTERVAL_NS +
 * PROBE_SLACK_NS and a path that comes back is cleared within one probe interval and the slack of its first
 * packet. No probes go out while no frames are passed between nodes (active/standby: one node owns every bucket),
 * so an idle active/standby cluster carries only its token traffic, and no timer of the monitor wakes the node then.
 * Only members of this node's ring are probed: frames are passed to bucket owners only, and a crashed peer is not
 * worth resolving addresses for.
 *
 * <p>Each peer has its own schedule, and its probes go out with the next ring message to it once they are due (the
 * token passed to the successor, the ack returned to the predecessor: the peer wakes for that message anyway, and
 * the probes sent just before it are read in the same wake-up). Only a peer that gets no ring message within
 * {@link #PROBE_SLACK_NS} after its probes fell due is probed from a timer. In an idle three-node ring every peer
 * gets a ring message once a rotation, so probing costs no wake-up of its own on either side.
 */
final class PathMonitor {
    /** Probes per path and peer. */
    static final long PROBE_INTERVAL_NS = 100_000_000L;
    /** How long due probes wait for a ring message to the same peer before a timer sends them. */
    static final long PROBE_SLACK_NS = PROBE_INTERVAL_NS / 2;
    /** A path silent this long (three probes lost) while another path to the same peer works is down. */
    static final long SILENCE_NS = 3 * PROBE_INTERVAL_NS;

    /** Per peer and path: when the peer was last heard on it. */
    private final long[][] heardNs;
    /** Per peer: when its next probes are due (Long.MAX_VALUE: not monitored, or not started). */
    private final long[] nextProbeNs;
    /** Per peer: probes were not needed at the last check, so the silence since then is no evidence. */
    private final boolean[] paused;
    private long roundsWithRingMessage;
    private long roundsByTimer;

    /** {@code self}: this node's id, never probed (its own paths count as none). */
    PathMonitor(int[] pathsPerPeer, int self) {
        heardNs = new long[pathsPerPeer.length][];
        nextProbeNs = new long[pathsPerPeer.length];
        paused = new boolean[pathsPerPeer.length];
        for (int j = 0; j < pathsPerPeer.length; j++) {
            heardNs[j] = new long[j == self ? 0 : pathsPerPeer[j]];
        }
        Arrays.fill(nextProbeNs, Long.MAX_VALUE);
    }

    /**
     * Counts every path as just heard (a node starting up has no evidence against any) and makes the probes of every
     * peer with two paths or more due at once.
     */
    void start(long nowNs) {
        for (int j = 0; j < heardNs.length; j++) {
            Arrays.fill(heardNs[j], nowNs);
            if (monitors(j)) {
                nextProbeNs[j] = nowNs;
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
     * Whether {@code peer}'s probes go out now; if so its next round is scheduled. {@code withRingMessage}: a ring
     * message to the peer is about to go, so probes go as soon as they are due; otherwise (a timer) only once
     * {@link #PROBE_SLACK_NS} has passed as well. {@code neededMask}: the peers (bit per node id) whose probes are
     * needed, the same mask {@link #nextDeadlineNs} is given. While a peer is not in it (no frames are passed between
     * nodes, e.g. active/standby, or the peer is not in the ring) no probes go to it, and when they are needed again
     * every path to it counts as just heard: a pause of the probes is no evidence against a path.
     */
    boolean probeDue(int peer, long nowNs, int neededMask, boolean withRingMessage) {
        if (!monitors(peer)) {
            return false;
        }
        if ((neededMask & (1 << peer)) == 0) {
            paused[peer] = true;
            return false;
        }
        if (nowNs - nextProbeNs[peer] < (withRingMessage ? 0 : PROBE_SLACK_NS)) {
            return false;
        }
        nextProbeNs[peer] = nowNs + PROBE_INTERVAL_NS;
        if (withRingMessage) {
            roundsWithRingMessage++;
        } else {
            roundsByTimer++;
        }
        if (paused[peer]) {
            paused[peer] = false;
            Arrays.fill(heardNs[peer], nowNs);
        }
        return true;
    }

    /** The rounds {@link #probeDue} let go so far, with a ring message and from the timer. */
    PathProbeRounds rounds() {
        return new PathProbeRounds(roundsWithRingMessage, roundsByTimer);
    }

    /**
     * When the timer must send probes that no ring message took along (Long.MAX_VALUE: none); {@code neededMask} as
     * for {@link #probeDue}.
     */
    long nextDeadlineNs(int neededMask) {
        long next = Long.MAX_VALUE;
        for (int j = 0; j < nextProbeNs.length; j++) {
            if ((neededMask & (1 << j)) != 0 && nextProbeNs[j] != Long.MAX_VALUE) {
                next = Math.min(next, nextProbeNs[j] + PROBE_SLACK_NS);
            }
        }
        return next;
    }

    /** Whether {@code peer} is worth probing: with a single path there is nothing to compare it with. */
    boolean monitors(int peer) {
        return peer >= 0 && peer < heardNs.length && heardNs[peer].length >= 2;
    }
}
