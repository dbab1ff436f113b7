package io.ringwall.node;

import java.util.List;

/**
 * What a node needs to be a cluster member. Cluster traffic is UDP that the node itself sends and receives
 * on its interfaces, from its own address on an interface to a peer's address on the same interface:
 * every interface on which both have an address is a path (the dedicated cluster network is just an
 * interface without VIPs).
 *
 * @param selfId            this node's id = its position in the node map
 * @param members           the whole node map, in order (ids 0..n-1)
 * @param udpPort           the cluster UDP port (same on every node)
 * @param secret            the cluster secret (keys are derived from it)
 * @param tokenHopNs        how long a node holds the token
 * @param tokenAckTimeoutNs how long a sender waits for the token ack (one retransmission over all paths inside it)
 * @param tokenLossNs       how long without the token before a 911
 * @param quorum            "majority", "none", or a number
 * @param configDigest      digest of the shared configuration, to detect nodes running different node maps / VIP pools
 * @param bootEpoch         grows with every start of this node (e.g. wall-clock seconds at start), so peers can tell a
 *                          restart from a replay
 * @param deferTimeoutNs    how long the first packet of a {@code sync strict} flow waits for every peer's ack (§5.6)
 * @param tieBreaker        two-node clusters: the ping target that lets a half ring keep quorum, or null for none
 * @param strictTcpByDefault new TCP flows whose rule names no {@code sync} option are deferred as {@code sync strict}
 *                          (SPEC §5.6: "default for new TCP flows is configurable"); false: they replicate async
 * @param freshNodeNs       for this long after it starts the node counts as fresh: among nodes with equally many VIPs,
 *                          a VIP that must move goes to the one up longest, nodes past this time counting as equal
 *                          ({@link UpSince}); 0 = no node is avoided
 */
public record ClusterSettings(int selfId, List<Member> members, int udpPort, byte[] secret, long tokenHopNs,
                              long tokenAckTimeoutNs, long tokenLossNs, String quorum, String configDigest,
                              long bootEpoch, long deferTimeoutNs, TieBreaker tieBreaker, boolean strictTcpByDefault,
                              Distribution distribution, long freshNodeNs) {
    public static final long DEFAULT_DEFER_TIMEOUT_NS = 20_000_000L;
    /**
     * A restarted node's first minute. On real nodes a drain target restarted seconds before sent its bucket notice
     * 1.4–3.2 ms late and forwarded the first frames of the flows it took over at about 1.7 ms each (code the JIT had
     * not compiled yet): enough to miss a fast-profile token ack, and the drain became a failover.
     */
    public static final long DEFAULT_FRESH_NODE_NS = 60_000_000_000L;
    /**
     * The tie-breaker's ping target (SPEC §3): an IPv4 address on the subnet of interface {@code ifIndex}, where
     * every node has an address, so that subnet is also a ring path (two nodes that both reach the target reach
     * each other there). Probed every {@code intervalNs}; an answer must come within {@code timeoutNs} (at most
     * the interval, so one probe is out at a time); {@code misses} unanswered probes in a row make it unreachable.
     */
    public record TieBreaker(int ifIndex, int target, long intervalNs, long timeoutNs, int misses) {
        public static final long DEFAULT_INTERVAL_NS = 200_000_000L;
        public static final long DEFAULT_TIMEOUT_NS = 200_000_000L;
        public static final int DEFAULT_MISSES = 3;

        public TieBreaker {
            if (target == 0 || intervalNs <= 0 || timeoutNs <= 0 || timeoutNs > intervalNs || misses < 1) {
                throw new IllegalArgumentException("tie-breaker needs a target, 0 < timeout <= interval, misses >= 1");
            }
        }
    }

    /**
     * Flow distribution (SPEC §5.1, §5.2): {@code buckets} flow buckets, each replicated to {@code backupCount}
     * other members (capped at members − 1).
     */
    public record Distribution(int buckets, int backupCount) {
        public static final int MAX_BUCKETS = io.ringwall.bucket.BucketMap.MAX_BUCKETS;
        public static final Distribution DEFAULT = new Distribution(1024, 1);

        public Distribution {
            if (buckets < 1 || buckets > MAX_BUCKETS) {
                throw new IllegalArgumentException("buckets must be 1.." + MAX_BUCKETS + ": " + buckets);
            }
            if (backupCount < 0 || backupCount > io.ringwall.bucket.BucketMap.MAX_NODES - 1) {
                throw new IllegalArgumentException(
                        "backup_count must be 0.." + (io.ringwall.bucket.BucketMap.MAX_NODES - 1) + ": " + backupCount);
            }
        }
    }

    public ClusterSettings {
        members = List.copyOf(members);
        distribution = distribution == null ? Distribution.DEFAULT : distribution;
        if (selfId < 0 || selfId >= members.size()) {
            throw new IllegalArgumentException("selfId " + selfId + " outside the node map of " + members.size());
        }
        if (deferTimeoutNs < 0) {
            throw new IllegalArgumentException("defer timeout must not be negative");
        }
        if (freshNodeNs < 0) {
            throw new IllegalArgumentException("fresh node time must not be negative");
        }
        secret = secret.clone();
    }

    /** With the default defer timeout and no tie-breaker. */
    public ClusterSettings(int selfId, List<Member> members, int udpPort, byte[] secret, long tokenHopNs,
                           long tokenAckTimeoutNs, long tokenLossNs, String quorum, String configDigest,
                           long bootEpoch) {
        this(selfId, members, udpPort, secret, tokenHopNs, tokenAckTimeoutNs, tokenLossNs, quorum, configDigest,
                bootEpoch, DEFAULT_DEFER_TIMEOUT_NS, null, false, Distribution.DEFAULT, DEFAULT_FRESH_NODE_NS);
    }

    /** A node of the map: its id, name and its own address on each interface (by interface index; 0 = none). */
    public record Member(int id, String name, List<Integer> addressByInterface) {
        public Member {
            addressByInterface = List.copyOf(addressByInterface);
        }

        public int addressOn(int ifIndex) {
            return ifIndex < addressByInterface.size() ? addressByInterface.get(ifIndex) : 0;
        }
    }

    public ClusterSettings withBootEpoch(long epoch) {
        return new ClusterSettings(selfId, members, udpPort, secret, tokenHopNs, tokenAckTimeoutNs, tokenLossNs, quorum,
                configDigest, epoch, deferTimeoutNs, tieBreaker, strictTcpByDefault, distribution, freshNodeNs);
    }

    public ClusterSettings withTimers(long hopNs, long ackTimeoutNs, long lossNs) {
        return new ClusterSettings(selfId, members, udpPort, secret, hopNs, ackTimeoutNs, lossNs, quorum,
                configDigest, bootEpoch, deferTimeoutNs, tieBreaker, strictTcpByDefault, distribution, freshNodeNs);
    }

    public ClusterSettings withTieBreaker(TieBreaker t) {
        return new ClusterSettings(selfId, members, udpPort, secret, tokenHopNs, tokenAckTimeoutNs, tokenLossNs, quorum,
                configDigest, bootEpoch, deferTimeoutNs, t, strictTcpByDefault, distribution, freshNodeNs);
    }

    public ClusterSettings withStrictTcpByDefault(boolean strict) {
        return new ClusterSettings(selfId, members, udpPort, secret, tokenHopNs, tokenAckTimeoutNs, tokenLossNs, quorum,
                configDigest, bootEpoch, deferTimeoutNs, tieBreaker, strict, distribution, freshNodeNs);
    }

    public ClusterSettings withDistribution(Distribution d) {
        return new ClusterSettings(selfId, members, udpPort, secret, tokenHopNs, tokenAckTimeoutNs, tokenLossNs, quorum,
                configDigest, bootEpoch, deferTimeoutNs, tieBreaker, strictTcpByDefault, d, freshNodeNs);
    }

    public ClusterSettings withFreshNode(long ns) {
        return new ClusterSettings(selfId, members, udpPort, secret, tokenHopNs, tokenAckTimeoutNs, tokenLossNs, quorum,
                configDigest, bootEpoch, deferTimeoutNs, tieBreaker, strictTcpByDefault, distribution, ns);
    }

    /** Backups per bucket in this cluster: the configured count, at most every other member. */
    public int effectiveBackupCount() {
        return Math.min(distribution.backupCount(), members.size() - 1);
    }

    public Member self() {
        return members.get(selfId);
    }
}
