package io.ringwall.node;

/**
 * The two-node tie-breaker's ping monitor (SPEC §3, §8) as a sans-I/O state machine: one ICMP echo request
 * every interval from this node's own address to the target, at most one outstanding. The target counts as
 * reachable after one answer and as unreachable after {@link ClusterSettings.TieBreaker#misses()} unanswered
 * probes in a row (hysteresis: a single lost ping must not cost a two-node cluster its VIPs). The ring uses
 * the time of the last answer as well, so a stale verdict never wins a partition (see TokenRing.hasQuorum).
 */
final class TieBreakerProbe {
    /** Sends one echo request; false if it could not leave (counted as a miss when its timeout passes). */
    @FunctionalInterface
    interface Sender {
        boolean sendEchoRequest(long nowNs, int ifIndex, int targetIp, int identifier, int sequence);
    }

    private final ClusterSettings.TieBreaker config;
    private final int ifIndex;
    private final int identifier;
    private final Sender sender;
    private int sequence;
    private boolean awaiting;
    private long sentAtNs;
    private long nextSendNs;
    private int misses;
    private boolean reachable;
    private long lastReplyNs = Long.MIN_VALUE;
    private long sent;
    private long answered;

    /** {@code identifier} tells our echo replies from anyone else's (e.g. the node id plus a constant). */
    TieBreakerProbe(ClusterSettings.TieBreaker config, int ifIndex, int identifier, Sender sender) {
        this.config = config;
        this.ifIndex = ifIndex;
        this.identifier = identifier & 0xFFFF;
        this.sender = sender;
    }

    void onTick(long nowNs) {
        if (awaiting && nowNs - sentAtNs >= config.timeoutNs()) {
            awaiting = false;
            if (++misses >= config.misses()) {
                misses = config.misses(); // saturate: the count only has to reach the limit
                reachable = false;
            }
        }
        if (!awaiting && (sent == 0 || nowNs - nextSendNs >= 0)) {
            probe(nowNs);
        }
    }

    /**
     * Sends the next probe at once unless one is out or one was sent since {@code sinceNs}: the ring shrank to a
     * half then and needs an answer newer than that; without one, the regular interval keeps asking.
     */
    void probeSince(long nowNs, long sinceNs) {
        if (!awaiting && (sent == 0 || sentAtNs < sinceNs)) {
            probe(nowNs);
        }
    }

    private void probe(long nowNs) {
        sequence = (sequence + 1) & 0xFFFF;
        awaiting = true;
        sentAtNs = nowNs;
        nextSendNs = nowNs + config.intervalNs();
        sent++;
        sender.sendEchoRequest(nowNs, ifIndex, config.target(), identifier, sequence);
    }

    /** An echo reply to this node's own address; only the answer to the outstanding probe counts. */
    boolean onEchoReply(long nowNs, int fromIfIndex, int srcIp, int id, int seq) {
        if (!awaiting || fromIfIndex != ifIndex || srcIp != config.target() || id != identifier || seq != sequence
                || nowNs - sentAtNs >= config.timeoutNs()) {
            return false;
        }
        awaiting = false;
        misses = 0;
        reachable = true;
        lastReplyNs = nowNs;
        answered++;
        return true;
    }

    long nextDeadlineNs() {
        if (sent == 0) {
            return Long.MIN_VALUE; // the first probe is due at the first tick
        }
        return awaiting ? sentAtNs + config.timeoutNs() : nextSendNs;
    }

    boolean reachable() {
        return reachable;
    }

    long lastReplyNs() {
        return lastReplyNs;
    }

    long sent() {
        return sent;
    }

    long answered() {
        return answered;
    }

    int target() {
        return config.target();
    }
}
