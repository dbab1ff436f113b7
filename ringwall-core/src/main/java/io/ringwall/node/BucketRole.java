package io.ringwall.node;

import io.ringwall.bucket.BucketCodec;
import io.ringwall.bucket.BucketMap;
import io.ringwall.bucket.BucketPlanner;
import io.ringwall.conntrack.Conntrack;
import io.ringwall.dataplane.FlowDistribution;
import io.ringwall.ring.Carriage;
import io.ringwall.ring.TokenRing;
import io.ringwall.vip.VipRow;
import io.ringwall.vip.VipTable;
import io.ringwall.wire.ByteArrays;
import java.nio.ByteBuffer;

/**
 * Flow buckets in a cluster (SPEC §5.1, §5.2, §5.7): the token holder of a quorate ring plans the bucket map on
 * the train (owners that left are replaced by their backups at once; planned moves wait for re-replication);
 * every node installs the latest map in the data plane, promoting the replicas of buckets it gains to its active
 * store and handing over the flows of buckets it loses. Owners are the nodes that hold VIPs, so in
 * active/standby the VIP holder handles every flow and nothing is passed on.
 */
final class BucketRole implements ClusterRole {
    static final int CARRIAGE_BUCKETS = 7;
    /** Per member, the bucket-map generation whose re-replication it has finished. */
    static final int CARRIAGE_REPLICATED = 8;
    static final int CHANNEL_BUCKET_NOTICE = 3;
    private static final int NOTICE_HEADER = Long.BYTES;

    private final int self;
    private final int buckets;
    private final int backupCount;
    private final Conntrack conntrack;
    private final FlowDistribution distribution;
    private final VipRole vips;
    private final FlowSync flowSync;
    private final Ownership log;
    private ClusterMember member;
    /** The map installed in the data plane (null: none yet, everything is handled here). */
    private BucketMap map;
    /**
     * Per node: the bucket-map generation whose re-replication it last reported finished (-1: never). A value stays
     * after the node left (only its bit in {@link #replicatedMask} goes): a failover looks at it.
     */
    private final long[] replicated = new long[BucketMap.MAX_NODES];
    private int replicatedMask;
    private long lastPlanSequence = -1;
    /** The ring epoch and carriage version of the train's map last read: it is decoded once per change. */
    private long trainEpoch = -1;
    private long trainVersion = -1;
    private long promoted;
    private long demoted;
    /**
     * The ring epoch in which this node last left a quorate ring (NOT_STALE: it has not since). Out of it, another
     * ring may have carried its connections on (their windows moved past what its own table says) while its map still
     * calls the buckets its own, so no promotion would widen them. Back in the same epoch nobody can have: membership
     * only shrinks within an epoch and the bucket map rides its token. At start nothing is known to be current.
     */
    private long leftQuorateRingInEpoch = Long.MIN_VALUE;
    private static final long NOT_STALE = Long.MAX_VALUE;
    /** The maps this node installed before the current one, newest first (at most {@link #HISTORY}). */
    private final java.util.ArrayDeque<BucketMap> history = new java.util.ArrayDeque<>();
    private static final int HISTORY = 8;

    /** Where the role reports what it did. */
    interface Ownership {
        void log(String event, String detail);
    }

    BucketRole(ClusterSettings settings, Conntrack conntrack, FlowDistribution distribution, VipRole vips,
               FlowSync flowSync, Ownership log) {
        java.util.Arrays.fill(replicated, -1);
        this.self = settings.selfId();
        this.buckets = settings.distribution().buckets();
        this.backupCount = settings.effectiveBackupCount();
        this.conntrack = conntrack;
        this.distribution = distribution;
        this.vips = vips;
        this.flowSync = flowSync;
        this.log = log;
    }

    void attach(ClusterMember clusterMember) {
        this.member = clusterMember;
    }

    @Override
    public void afterRingEvent(long nowNs, TokenRing ring) {
        noteQuorum(ring);
        if (!ring.inRing()) {
            return;
        }
        readTrain(nowNs, ring);
        if (ring.isHolder() && ring.sequence() != lastPlanSequence && vips.quorate(ring)) {
            lastPlanSequence = ring.sequence();
            reportReplicated(ring);
            int joining = vips.joiningMask() & ring.members();
            int settled = ring.members() & ~joining;
            int holders = vipHolders();
            // closed members that still hold VIPs: their buckets make no planned move before the VIPs do
            int closedHolders = holders & ring.members() & vips.closedMask();
            BucketMap next = BucketPlanner.next(map, buckets, backupCount, ring.members(),
                    eligible(ring, holders, closedHolders), joining, this::replicatedGenerationOf,
                    b -> stateHolder(b, settled), closedHolders);
            if (next != map) {
                byte[] encoded = BucketCodec.encode(next);
                if (ring.offerCarriageUpdate(CARRIAGE_BUCKETS, encoded)) {
                    adopt(nowNs, next, () -> notifyMembers(ring, encoded));
                }
            }
        }
    }

    /**
     * A node still named the owner of buckets joins only after a quorate holder re-planned them: it restarted before
     * the ring noticed it was gone, its flows went with it, and its buckets' backups must be promoted first (as
     * owner it would have taken them with nothing in them). Asked only while the ring has a quorum without the
     * node (TokenRing). Named only as a backup it may join: the planner re-replicates to it.
     */
    @Override
    public boolean mayJoin(TokenRing ring, int node) {
        return map == null || map.ownedBy(node) == 0;
    }

    /**
     * Back in a quorate ring after being out of it in another epoch: the flows it kept re-learn their windows from
     * their next segments, as promoted replicas do; a window that moved on without this node would otherwise drop
     * them as invalid for good.
     */
    private void noteQuorum(TokenRing ring) {
        if (!ring.inRing() || !vips.quorate(ring)) {
            if (leftQuorateRingInEpoch == NOT_STALE) {
                leftQuorateRingInEpoch = ring.epoch();
            }
            return;
        }
        if (leftQuorateRingInEpoch == NOT_STALE) {
            return;
        }
        boolean elsewhere = leftQuorateRingInEpoch != ring.epoch();
        leftQuorateRingInEpoch = NOT_STALE;
        int n = elsewhere ? conntrack.relearnActiveWindows() : 0;
        if (n > 0) {
            log.log("relearn", n + " TCP flows kept while this node was outside a quorate ring re-learn their windows"
                    + " from their next segments");
        }
    }

    private void readTrain(long nowNs, TokenRing ring) {
        for (Carriage c : ring.train()) {
            if (c.type() == CARRIAGE_BUCKETS) {
                // Only a train that changed (new carriage version, or a new ring incarnation) is news. ring.train()
                // is the train of the last token this node handled, so between two visits it is older than a
                // notice already adopted: re-adopting it on every ring event flipped the node back to the previous
                // map (demoting and promoting whole buckets) until the token came round again.
                if (ring.epoch() != trainEpoch || c.version() != trainVersion) {
                    trainEpoch = ring.epoch();
                    trainVersion = c.version();
                    BucketMap trainMap = BucketCodec.decode(c.payload());
                    if (trainMap != null && !trainMap.equals(map)) {
                        adopt(nowNs, trainMap);
                    }
                }
            } else if (c.type() == CARRIAGE_REPLICATED) {
                readReplicated(c.payload());
            }
        }
    }

    /**
     * Nodes that may own buckets: the open (neither closed nor joining) VIP holders and targets of VIP moves in
     * flight, plus the nodes a closed holder's VIPs will go to; else the closed holders; else every open member.
     * Counting a move's target keeps the buckets headed for it while the VIP is between its release and its
     * takeover (with no holder at all for that moment, every open member was eligible, and the buckets spread over
     * nodes that were never going to hold the VIP). {@code holders}: {@link #vipHolders()}; {@code closedHolders}:
     * the closed members among them.
     */
    private int eligible(TokenRing ring, int holders, int closedHolders) {
        int open = ring.members() & ~vips.closedMask() & ~vips.joiningMask();
        // A drained (closed) node that still holds VIPs: the nodes its VIPs will go to are eligible at once, so they
        // become the backups of its buckets and receive the flows while it keeps the VIPs; the buckets then move
        // in the same step as the VIPs (the planner keeps them until then, readyToHandOver lets the VIPs go).
        int next = (holders & open) | (closedHolders != 0 ? vips.drainTargets(ring) & open : 0);
        if (next != 0) {
            return next;
        }
        // Nowhere to go yet: the closed holder keeps its buckets (they move once, straight to the VIPs' next holder,
        // instead of spreading over every open member first and moving again).
        return closedHolders != 0 ? closedHolders : open;
    }

    /** Nodes that hold a VIP or are the target of a VIP move in flight. */
    private int vipHolders() {
        int holders = 0;
        VipTable table = vips.table();
        if (table != null) {
            for (VipRow r : table.rows()) {
                if (r.currentHost() != VipRow.NONE) {
                    holders |= 1 << r.currentHost();
                }
                if (r.pendingHost() != VipRow.NONE) {
                    holders |= 1 << r.pendingHost();
                }
            }
        }
        return holders;
    }

    /**
     * Whether the closed {@code node} may hand its VIPs over now: every bucket it owns has its next owner among its
     * backups in the map installed here, planned for the drain (the node is no longer eligible), and the node has
     * finished re-replicating for that map. Then the planner moves all its buckets in the step that moves the VIPs.
     */
    boolean readyToHandOver(int node) {
        if (map == null || map.backupCount() == 0) {
            return true;
        }
        if ((map.eligible() & (1 << node)) != 0 || map.eligible() == 0) {
            return false;
        }
        long done = node == self ? flowSync.replicatedGeneration() : replicatedGenerationOf(node);
        if (done < map.generation()) {
            return false;
        }
        for (int b = 0; b < map.buckets(); b++) {
            int want = map.desiredOwnerOf(b);
            if (map.ownerOf(b) == node && want != node && (want == BucketMap.NONE || (map.backupsOf(b) & (1 << want)) == 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bucket-map generation whose re-replication {@code node} reported finished on the train (-1: no report):
     * once every owner's is the map's generation, every bucket again has its backups.
     */
    long replicatedGenerationOf(int node) {
        return (replicatedMask & (1 << node)) != 0 ? replicated[node] : -1;
    }

    /**
     * For a bucket whose owner left: a live settled node that holds its flows, found in the maps this node
     * installed (newest first) — a former owner (it kept the flows as replicas when it handed the bucket on), or
     * the backups of a map whose owner had reported its re-replication finished. NONE if the departed owner had
     * finished re-replicating for the current map (its backups there have the flows) or nothing better is known.
     * Without this, a bucket whose owner failed in the middle of a hand-over went to a backup named by the
     * newest map that had not received the flows yet, while the node that had them stood by.
     */
    private int stateHolder(int bucket, int live) {
        int owner = map.ownerOf(bucket);
        if (owner == BucketMap.NONE || replicated[owner] >= map.generation()) {
            return BucketMap.NONE;
        }
        for (BucketMap m : history) {
            int o = m.ownerOf(bucket);
            if (o != BucketMap.NONE && o != owner && (live & (1 << o)) != 0) {
                return o;
            }
            if (o != BucketMap.NONE && replicated[o] >= m.generation()) {
                int backups = m.backupsOf(bucket) & live;
                if (backups != 0) {
                    return Integer.numberOfTrailingZeros(backups);
                }
            }
        }
        return BucketMap.NONE;
    }

    /** The holder records how far its own re-replication has got (and forgets members that left). */
    private void reportReplicated(TokenRing ring) {
        int mask = replicatedMask & ring.members();
        long mine = map == null ? -1 : flowSync.replicatedGeneration();
        if (mine >= 0 && (mask & (1 << self)) != 0 && replicated[self] == mine && mask == replicatedMask) {
            return;
        }
        if (mine >= 0) {
            mask |= 1 << self;
            replicated[self] = mine;
        }
        ByteBuffer p = ByteBuffer.allocate(Short.BYTES + Integer.bitCount(mask) * Integer.BYTES).putShort((short) mask);
        for (int m = mask; m != 0; m &= m - 1) {
            p.putInt((int) replicated[Integer.numberOfTrailingZeros(m)]);
        }
        if (ring.offerCarriageUpdate(CARRIAGE_REPLICATED, p.array())) {
            replicatedMask = mask;
        }
    }

    private void readReplicated(byte[] p) {
        if (p.length < Short.BYTES) {
            return;
        }
        int mask = ByteArrays.getShort(p, 0);
        if (p.length - Short.BYTES != Integer.bitCount(mask) * Integer.BYTES) {
            return;
        }
        int off = Short.BYTES;
        for (int m = mask; m != 0; m &= m - 1, off += Integer.BYTES) {
            replicated[Integer.numberOfTrailingZeros(m)] = Integer.toUnsignedLong(ByteArrays.getInt(p, off));
        }
        replicatedMask = mask;
    }

    /** Installs a map this node did not plan (from the train or a notice). */
    private void adopt(long nowNs, BucketMap next) {
        adopt(nowNs, next, () -> { });
    }

    /**
     * Installs {@code next}: the flows of buckets this node loses go out with their latest state first and stay as
     * replicas; the replicas of buckets it gains become active (with widened window checks) before the data
     * plane passes it their next packet. {@code announce} runs after those last changes are sent and before any
     * flow moves between the stores: the planning holder's notice then reaches the members while it demotes. Why:
     * on real nodes a drained holder spent 1.3-2.7 ms after its VIP release planning and demoting its ~1,000 flows
     * before its notice went out, and only then did the drain target start promoting as many (the drain's gap runs
     * from the VIP release until both are done).
     */
    private void adopt(long nowNs, BucketMap next, Runnable announce) {
        BucketMap before = map;
        map = next;
        boolean[] gained = new boolean[next.buckets()];
        boolean[] lost = new boolean[next.buckets()];
        int gains = 0;
        int losses = 0;
        // before any map (or with another bucket count) a node handled every flow it saw itself
        boolean fresh = before == null || before.buckets() != next.buckets();
        if (before != null) {
            history.addFirst(before);
            if (history.size() > HISTORY) {
                history.removeLast();
            }
        }
        for (int b = 0; b < next.buckets(); b++) {
            boolean mineNow = next.ownerOf(b) == self;
            gained[b] = mineNow && (fresh || before.ownerOf(b) != self);
            lost[b] = !mineNow && (fresh || before.ownerOf(b) == self);
            gains += gained[b] ? 1 : 0;
            losses += lost[b] ? 1 : 0;
        }
        if (losses > 0) {
            flowSync.flushNow(nowNs);
        }
        announce.run();
        if (losses > 0) {
            demoted += conntrack.demote(hash -> lost[next.bucketOf(hash)]);
        }
        if (gains > 0) {
            promoted += conntrack.promote(hash -> gained[next.bucketOf(hash)]);
        }
        int[] owners = new int[next.buckets()];
        int[] holders = new int[next.buckets()];
        for (int b = 0; b < owners.length; b++) {
            owners[b] = next.ownerOf(b);
            holders[b] = next.holdersOf(b);
        }
        distribution.install(next.buckets(), owners, holders);
        flowSync.bucketsChanged(nowNs, next);
        log.log("buckets", "generation=" + next.generation() + " owned=" + next.ownedBy(self) + "/" + next.buckets()
                + " gained=" + gains + " lost=" + losses + " backups=" + next.backupCount());
    }

    private void notifyMembers(TokenRing ring, byte[] encoded) {
        byte[] notice = ByteBuffer.allocate(NOTICE_HEADER + encoded.length).putLong(ring.epoch()).put(encoded).array();
        member.sendReliableToRing(CHANNEL_BUCKET_NOTICE, notice);
    }

    @Override
    public void onMessage(long nowNs, int peer, int channel, byte[] message) {
        if (channel != CHANNEL_BUCKET_NOTICE || message.length <= NOTICE_HEADER || member == null) {
            return;
        }
        TokenRing ring = member.ring();
        long epoch = ByteArrays.getLong(message, 0);
        BucketMap m = BucketCodec.decode(java.util.Arrays.copyOfRange(message, NOTICE_HEADER, message.length));
        // a notice is only a head start on the token: same ring incarnation, newer generation, from a member
        if (m != null && epoch == ring.epoch() && ring.inRing() && (ring.members() & (1 << peer)) != 0
                && (map == null || m.generation() > map.generation())) {
            adopt(nowNs, m);
        }
    }

    BucketMap map() {
        return map;
    }

    long promoted() {
        return promoted;
    }

    long demoted() {
        return demoted;
    }
}
