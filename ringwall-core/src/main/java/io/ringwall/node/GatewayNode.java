package io.ringwall.node;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.ConntrackConfig;
import io.ringwall.dataplane.DataplaneCounters;
import io.ringwall.dataplane.DeferQueue;
import io.ringwall.dataplane.FlowDistribution;
import io.ringwall.dataplane.ForwardingPipeline;
import io.ringwall.dataplane.FrameTunnel;
import io.ringwall.dataplane.GratuitousArpSchedule;
import io.ringwall.dataplane.LocalAddresses;
import io.ringwall.filter.CompiledRuleSet;
import io.ringwall.filter.RuleParser;
import io.ringwall.filter.SyncMode;
import io.ringwall.filter.RuleSyntaxException;
import io.ringwall.ring.RegenerationNote;
import io.ringwall.ring.RemovalNote;
import io.ringwall.ring.RingCounters;
import io.ringwall.time.Prng;
import io.ringwall.wire.Ipv4Address;
import java.lang.foreign.MemorySegment;

/**
 * A gateway node: the data plane of one host behind the {@link NodeMachine} interface. Until the
 * cluster layer exists, a node runs in <em>alone mode</em>: it owns every VIP of its configuration and
 * announces them with gratuitous ARP when it starts.
 */
public final class GatewayNode implements NodeMachine {
    /** Housekeeping period: connection expiry is checked about this often. */
    public static final long HOUSEKEEPING_NS = 100_000_000L;
    /**
     * How late housekeeping may run so that it rides on a wake-up the node has anyway (a token hop, a frame) instead
     * of waking the loop for itself: in an idle ring that saves about ten of ~110 wake-ups a second, and each costs a
     * real node a cold-cache pass through its loop. Only a node with no other timer waits the whole slack.
     */
    public static final long HOUSEKEEPING_SLACK_NS = HOUSEKEEPING_NS / 2;
    /** Bound on flow slots visited per housekeeping tick, so expiry never stalls packet processing. */
    public static final int EXPIRE_WORK_PER_TICK = 4096;

    private final NodeConfig config;
    private final Effects effects;
    private final DataplaneCounters counters;
    private final LocalAddresses local;
    private final Conntrack conntrack;
    private final CompiledRuleSet rules;
    private final ForwardingPipeline pipeline;
    private final GratuitousArpSchedule announcements = new GratuitousArpSchedule();
    private final ClusterMember member;
    private final VipRole vipRole;
    private final FlowSync flowSync;
    private final FlowDistribution distribution;
    private final BucketRole bucketRole;
    /** Null unless clustered with a {@code sync strict} rule. */
    private final DeferQueue defer;
    /** A peer that stops acknowledging delays every new strict flow: say so, but at most once a second. */
    private final io.ringwall.dataplane.TokenBucket deferLogBudget = new io.ringwall.dataplane.TokenBucket(1);
    private long deferTimeoutsLogged;
    private final NodeInfoRole nodeInfo;
    private boolean started;
    private long nextHousekeepingNs;
    /** The cluster member's deadline as of the last {@link #nextDeadlineNs()} (or overdue tick). */
    private long memberDeadlineNs = Long.MAX_VALUE;

    public GatewayNode(NodeConfig config, Effects effects, Prng prng) {
        this.config = config;
        this.effects = effects;
        this.counters = new DataplaneCounters(config.interfaces().size());
        this.local = new LocalAddresses(config.interfaces());
        this.rules = compileRules(config);
        this.conntrack = new Conntrack(ConntrackConfig.defaults().withCapacities(config.limits().maxFlows(), config.limits().maxFlows()));
        this.pipeline = new ForwardingPipeline(config, effects, counters, local, conntrack, rules);
        if (config.cluster() != null) {
            this.vipRole = new VipRole(config.cluster(), config, new DataplaneOwnership());
            this.flowSync = new FlowSync(config.cluster(), conntrack);
            this.nodeInfo = new NodeInfoRole(config.cluster(), config, effects);
            this.distribution = new FlowDistribution(config.cluster().selfId(), peerAddresses(config),
                    ClusterSettings.Distribution.MAX_BUCKETS);
            pipeline.enableDistribution(distribution);
            this.bucketRole = new BucketRole(config.cluster(), conntrack, distribution, vipRole, flowSync, effects::log);
            java.util.List<ClusterRole> roles = new java.util.ArrayList<>(java.util.List.of(vipRole, flowSync, nodeInfo));
            if (hasStrictRule(rules) || config.cluster().strictTcpByDefault()) {
                this.defer = new DeferQueue(DeferQueue.DEFAULT_CAPACITY, largestFrame(config),
                        config.cluster().deferTimeoutNs(), conntrack.active().capacity());
                FlowDefer flowDefer = new FlowDefer(config.cluster().selfId(), defer);
                flowSync.onSent(flowDefer);
                pipeline.enableDefer(defer, config.cluster().strictTcpByDefault());
                roles.add(flowDefer);
            } else {
                this.defer = null;
            }
            roles.add(bucketRole); // after the VIP role: it plans from the VIP table of the same token visit
            NeighbourShareRole neighbourShare = new NeighbourShareRole(pipeline, effects::log);
            roles.add(neighbourShare);
            this.member = new ClusterMember(config.cluster(), config, pipeline, effects, prng, new ClusterRoles(roles),
                    distribution);
            vipRole.attach(member);
            flowSync.attach(member);
            bucketRole.attach(member);
            neighbourShare.attach(member);
            vipRole.stateSyncedBy(flowSync::synced);
            vipRole.handoverReadyBy(bucketRole::readyToHandOver);
        } else {
            this.vipRole = null;
            this.distribution = null;
            this.bucketRole = null;
            this.flowSync = null;
            this.nodeInfo = null;
            this.member = null;
            this.defer = null;
        }
    }

    /** Per interface and node: the node's own address on that interface (0: none), from the node map. */
    private static int[][] peerAddresses(NodeConfig config) {
        java.util.List<ClusterSettings.Member> members = config.cluster().members();
        int[][] table = new int[config.interfaces().size()][members.size()];
        for (NodeConfig.InterfaceConfig itf : config.interfaces()) {
            for (ClusterSettings.Member m : members) {
                table[itf.index()][m.id()] = m.addressOn(itf.index());
            }
        }
        return table;
    }

    private void releaseHeld(long nowNs) {
        pipeline.releaseDeferred(nowNs);
        long timeouts = defer.releasedByTimeout();
        if (timeouts != deferTimeoutsLogged && deferLogBudget.tryTake(nowNs)) {
            effects.log("defer-timeout", "released=" + (timeouts - deferTimeoutsLogged) + " total=" + timeouts
                    + " (a peer did not acknowledge new sync strict flows within "
                    + config.cluster().deferTimeoutNs() / 1_000_000L + " ms)");
            deferTimeoutsLogged = timeouts;
        }
    }

    private static boolean hasStrictRule(CompiledRuleSet rules) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.sync(i) == SyncMode.STRICT) {
                return true;
            }
        }
        return false;
    }

    /** A defer slot holds the largest frame an interface carries: MTU plus Ethernet header and one VLAN tag. */
    static int largestFrame(NodeConfig config) {
        int mtu = 0;
        for (NodeConfig.InterfaceConfig itf : config.interfaces()) {
            mtu = Math.max(mtu, itf.mtu());
        }
        return mtu + 18;
    }

    /** How the VIP role reaches the data plane. */
    private final class DataplaneOwnership implements VipRole.Ownership {
        @Override
        public void takeOver(int ifIndex, int vip, long nowNs) {
            // flows follow their buckets (BucketRole), not the VIP: promotion happens when the bucket map changes
            GatewayNode.this.takeOver(ifIndex, vip, nowNs);
        }

        @Override
        public void release(int ifIndex, int vip) {
            GatewayNode.this.release(ifIndex, vip);
        }

        @Override
        public void log(String event, String detail) {
            effects.log(event, detail);
        }

        @Override
        public VipRole.Totals totals() {
            return new VipRole.Totals(counters.totalRxBytes(), counters.totalRxFrames(), conntrack.active().size());
        }
    }

    /** Compiles the node's rule set; the config loader has validated it already, so failure here is a bug upstream. */
    public static CompiledRuleSet compileRules(NodeConfig config) {
        try {
            return RuleParser.parse(config.rules().fileName(), config.rules().text())
                    .compile(name -> indexOf(config, name));
        } catch (RuleSyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static int indexOf(NodeConfig config, String interfaceName) {
        for (NodeConfig.InterfaceConfig itf : config.interfaces()) {
            if (itf.name().equals(interfaceName)) {
                return itf.index();
            }
        }
        return -1;
    }

    @Override
    public void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags) {
        if (!started) {
            start(nowNs);
        }
        if (member != null && nowNs - memberDeadlineNs >= 0) {
            // Overdue cluster timers first (e.g. after a pause): a stale view must not answer ARP for a VIP.
            // The deadline is the one the driver last asked for: computing it afresh would scan every peer's
            // queues once per packet.
            member.onTick(nowNs);
            memberDeadlineNs = member.nextDeadlineNs();
        }
        int heldBefore = defer == null ? 0 : defer.size();
        pipeline.onFrame(nowNs, ifIndex, frame, length, offloadFlags);
        pipeline.deliverTunnelled(nowNs); // frames another member encapsulated, joined by the cluster packet just read
        if (defer != null) {
            if (defer.size() > heldBefore) {
                flowSync.flushSoon(nowNs); // the held packet waits for this flow's record: do not coalesce it for 5 ms
            }
            releaseHeld(nowNs); // an ack in this frame may have freed packets
        }
    }

    @Override
    public void onTick(long nowNs) {
        if (!started) {
            start(nowNs);
        }
        if (member != null) {
            // First: after a stall the member gives up the VIPs the others have moved meanwhile, which cancels their
            // pending announcements; announcing first would point every host back at this node.
            member.onTick(nowNs);
        }
        announcements.onTick(nowNs, pipeline::gratuitousArp);
        pipeline.onTick(nowNs);
        if (defer != null) {
            releaseHeld(nowNs);
        }
        if (nowNs - nextHousekeepingNs >= 0) {
            conntrack.expire(nowNs, EXPIRE_WORK_PER_TICK);
            // Keeps the phase, so riding on other wake-ups does not stretch the period (a stalled node starts afresh).
            nextHousekeepingNs += HOUSEKEEPING_NS;
            if (nowNs - nextHousekeepingNs >= 0) {
                nextHousekeepingNs = nowNs + HOUSEKEEPING_NS;
            }
        }
    }

    @Override
    public long nextDeadlineNs() {
        if (!started) {
            return Long.MIN_VALUE;
        }
        long next = Math.min(nextHousekeepingNs + HOUSEKEEPING_SLACK_NS,
                Math.min(announcements.nextDeadlineNs(), pipeline.nextDeadlineNs()));
        if (defer != null) {
            next = Math.min(next, defer.nextDeadlineNs());
        }
        if (member == null) {
            return next;
        }
        memberDeadlineNs = member.nextDeadlineNs();
        return Math.min(next, memberDeadlineNs);
    }

    /** Alone mode: take every configured VIP. A cluster member owns what the ring's VIP table gives it. */
    private void start(long nowNs) {
        started = true;
        nextHousekeepingNs = nowNs + HOUSEKEEPING_NS;
        if (member != null) {
            effects.log("node-start", "node=" + config.nodeName() + " mode=cluster members="
                    + config.cluster().members().size() + " interfaces=" + config.interfaces().size() + " rules=" + rules.size());
            member.start(nowNs);
            return;
        }
        for (NodeConfig.InterfaceConfig itf : config.interfaces()) {
            for (int vip : itf.vips()) {
                takeOver(itf.index(), vip, nowNs);
            }
        }
        effects.log("node-start", "node=" + config.nodeName() + " mode=alone interfaces=" + config.interfaces().size()
                + " rules=" + rules.size());
    }

    /** Takes ownership of a VIP and announces it (3 gratuitous ARPs, spaced). */
    public void takeOver(int ifIndex, int vip, long nowNs) {
        if (local.own(ifIndex, vip)) {
            announcements.schedule(ifIndex, vip, nowNs);
            effects.log("vip-takeover", "vip=" + Ipv4Address.format(vip) + " if=" + config.interfaces().get(ifIndex).name());
        }
    }

    /** Stops answering for a VIP (the first phase of a planned move). */
    public void release(int ifIndex, int vip) {
        if (local.release(ifIndex, vip)) {
            announcements.cancel(ifIndex, vip);
            effects.log("vip-release", "vip=" + Ipv4Address.format(vip));
        }
    }

    @Override
    public void onCommand(long nowNs, NodeCommand command, NodeCommand.Reply reply) {
        if (vipRole == null) {
            reply.done(new NodeCommand.Result(false, "a stand-alone node owns every VIP; commands need a cluster"));
        } else if (!vipRole.submit(command, reply)) {
            reply.done(new NodeCommand.Result(false, "busy: too many commands waiting for the token"));
        }
    }

    @Override
    public NodeStatus status(long nowNs) {
        if (member != null) {
            return ClusterStatus.of(config, member, vipRole, nodeInfo, counterSnapshot(), deferSnapshot(),
                    bucketSnapshot(), diagnostics(nowNs));
        }
        java.util.List<NodeStatus.Vip> vips = new java.util.ArrayList<>();
        for (NodeConfig.InterfaceConfig itf : config.interfaces()) {
            for (int vip : itf.vips()) {
                String owner = local.owns(itf.index(), vip) ? config.nodeName() : "-";
                vips.add(new NodeStatus.Vip(Ipv4Address.format(vip), itf.name(), owner, "-", 0));
            }
        }
        return new NodeStatus(config.nodeName(), "alone", 0, java.util.List.of(config.nodeName()), true, 0, vips,
                java.util.List.of(), counterSnapshot(), deferSnapshot(), java.util.List.of(), NodeStatus.Buckets.NONE,
                java.util.List.of(), diagnostics(nowNs));
    }

    /**
     * Conntrack, cluster-channel and replication counters as of {@code nowNs} (the channel and replication are zeros
     * in alone mode).
     */
    public NodeDiagnostics diagnostics(long nowNs) {
        var conntrackCounters = NodeDiagnostics.Conntrack.of(conntrack.counters());
        if (member == null) {
            return new NodeDiagnostics(conntrackCounters, NodeDiagnostics.Channel.NONE, NodeDiagnostics.Sync.NONE);
        }
        var m = member.messages();
        var ring = member.ring();
        java.util.List<String> names = vipRole.nodeNames();
        RemovalNote removal = ring.lastRemoval();
        RegenerationNote regeneration = ring.lastRegeneration();
        return new NodeDiagnostics(conntrackCounters, NodeDiagnostics.Channel.of(m.counters(), m.maxRtoNs(),
                ring.counters(),
                removal == null ? NodeDiagnostics.Event.NONE
                        : event(removal.describe(names.get(removal.node())), removal.atNs(), nowNs),
                regeneration == null ? NodeDiagnostics.Event.NONE
                        : event(regeneration.describe(names), regeneration.atNs(), nowNs)),
                NodeDiagnostics.Sync.of(syncStats()));
    }

    private static NodeDiagnostics.Event event(String description, long atNs, long nowNs) {
        return new NodeDiagnostics.Event(description, Math.max(0, (nowNs - atNs) / 1_000_000L));
    }

    /** This node's totals over all interfaces. */
    public NodeStatus.Counters counterSnapshot() {
        return new NodeStatus.Counters(counters.totalRxFrames(), counters.totalTxFrames(), counters.totalForwarded(),
                counters.totalRefused(), conntrack.active().size(), counters.arpRequestsSent(),
                counters.neighboursFromPeers());
    }

    /** The defer queue's counters (zeros if this node defers nothing). */
    public NodeStatus.Defer deferSnapshot() {
        return defer == null ? NodeStatus.Defer.NONE : new NodeStatus.Defer(defer.deferred(), defer.releasedByAck(),
                defer.releasedByTimeout(), defer.releasedUnsynced(), defer.size());
    }

    /** Whether this node answers for {@code vip} on {@code ifIndex} right now. */
    public boolean ownsVip(int ifIndex, int vip) {
        return local.owns(ifIndex, vip);
    }

    /** Whether this node holds the ring's token right now (false for a stand-alone node). */
    public boolean holdsToken() {
        return member != null && member.ring().isHolder();
    }

    /** Whether this node is in a ring that may own VIPs (always true for a stand-alone node). */
    public boolean quorate() {
        return member == null || vipRole.quorate(member.ring());
    }

    /**
     * Whether this node's connection state is in (SPEC §5.5): every other member of its ring has ended its bulk
     * transfer to it, or {@link FlowSync#JOIN_SYNC_TIMEOUT_NS} has passed since it joined. Until then it owns no
     * VIP. Always true for a stand-alone node.
     */
    public boolean stateSynced() {
        return flowSync == null || flowSync.synced();
    }

    /** The token ring's counters; null for a stand-alone node. */
    public RingCounters ringCounters() {
        return member == null ? null : member.ring().counters();
    }

    /** Path probe rounds sent with a ring message and by the timer ({@link PathMonitor}); null for a stand-alone node. */
    public PathProbeRounds pathProbeRounds() {
        return member == null ? null : member.pathProbeRounds();
    }

    /** Members of this node's ring (1 for a stand-alone node). */
    public int ringMembers() {
        return member == null ? 1 : Integer.bitCount(member.ring().members());
    }

    /** The node (id) that handles flows with this symmetric hash in this node's bucket map; -1: this node (no map). */
    public int bucketOwnerOf(int symmetricHash) {
        if (bucketRole == null || bucketRole.map() == null) {
            return -1;
        }
        var map = bucketRole.map();
        return map.ownerOf(map.bucketOf(symmetricHash));
    }

    /** The bucket map and counters for the status report ({@link NodeStatus.Buckets#NONE} before the first map). */
    private NodeStatus.Buckets bucketSnapshot() {
        BucketStats b = bucketStats();
        if (b.generation() == 0) {
            return NodeStatus.Buckets.NONE;
        }
        var map = bucketRole.map();
        java.util.List<NodeStatus.Owned> owners = new java.util.ArrayList<>();
        for (ClusterSettings.Member m : config.cluster().members()) {
            owners.add(new NodeStatus.Owned(m.name(), map.ownedBy(m.id()), bucketRole.replicatedGenerationOf(m.id())));
        }
        return new NodeStatus.Buckets(b.generation(), b.buckets(), b.backupCount(), owners, b.redirected(),
                b.ownerUnresolved(), b.loopsAvoided(), b.promoted(), b.demoted(),
                conntrack.counters().forwardedOnReplica(), b.encapsulation());
    }

    /** Flow buckets as this node sees them (zeros in alone mode). */
    public BucketStats bucketStats() {
        if (bucketRole == null || bucketRole.map() == null) {
            return BucketStats.NONE;
        }
        var map = bucketRole.map();
        return new BucketStats(map.generation(), map.buckets(), map.ownedBy(config.cluster().selfId()), map.backupCount(),
                distribution.redirected(), distribution.handledForPeerUnreachable(), distribution.redirectLoopsAvoided(),
                bucketRole.promoted(), bucketRole.demoted(), encapsulation());
    }

    private NodeStatus.Encapsulation encapsulation() {
        FrameTunnel t = member.tunnel();
        return new NodeStatus.Encapsulation(t.encapsulated(), t.decapsulated(), t.partsDropped(), t.incomplete(),
                t.tooLarge());
    }

    /** Flow replication and message-layer totals (zeros in alone mode). */
    public SyncStats syncStats() {
        if (member == null) {
            return SyncStats.NONE;
        }
        var m = member.messages();
        var c = m.counters();
        var causes = new SyncStats.BulkCauses(flowSync.bulkTransfers(FlowSync.BULK_JOINED),
                flowSync.bulkTransfers(FlowSync.BULK_NEW_BACKUP), flowSync.bulkTransfers(FlowSync.BULK_OVERFLOW),
                flowSync.bulkTransfers(FlowSync.BULK_FULL_SYNC), flowSync.bulkTransfers(FlowSync.BULK_SEND_FAILURE));
        return new SyncStats(flowSync.recordsSent(), flowSync.messagesSent(), causes.total(), causes,
                flowSync.deletesSent(), flowSync.recordsImported(), c.packetsSent(), c.retransmissions(),
                c.duplicateFragments(), c.retransmissionsHeld(), m.maxRtoNs());
    }

    public DataplaneCounters counters() {
        return counters;
    }

    public Conntrack conntrack() {
        return conntrack;
    }

    public CompiledRuleSet rules() {
        return rules;
    }

    public LocalAddresses addresses() {
        return local;
    }

    public NodeConfig config() {
        return config;
    }
}
