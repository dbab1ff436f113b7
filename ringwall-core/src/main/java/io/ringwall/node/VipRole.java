package io.ringwall.node;

import io.ringwall.ring.Carriage;
import io.ringwall.ring.RemovalNote;
import io.ringwall.ring.TokenRing;
import io.ringwall.vip.BalanceConfig;
import io.ringwall.vip.ClusterLoads;
import io.ringwall.vip.LoadCodec;
import io.ringwall.vip.NodeLoad;
import io.ringwall.vip.RingView;
import io.ringwall.vip.VipBalancer;
import io.ringwall.vip.VipCodec;
import io.ringwall.vip.VipGroups;
import io.ringwall.vip.VipPolicy;
import io.ringwall.vip.VipRow;
import io.ringwall.vip.VipTable;
import io.ringwall.wire.ByteArrays;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

/**
 * VIP ownership in a cluster (SPEC §7): the token holder runs the VIP policy on the train's VIP table and
 * the node derives which VIPs it answers for from the latest table it has seen — releasing before taking
 * over, and owning nothing while its ring lacks quorum. A changed table is also pushed to every member at
 * once (a notice), so a new owner does not wait for the token to come round before it announces.
 */
final class VipRole implements ClusterRole {
    static final int CARRIAGE_VIPS = 1;
    static final int CARRIAGE_LOADS = 2;
    static final int CARRIAGE_CLOSED = 3;
    /** Nodes that have held the token in the current epoch (epoch, mask): members that provably took part. */
    static final int CARRIAGE_ALIVE = 4;
    /** Members still receiving their bulk transfer of connection state: they may not own VIPs yet (SPEC §5.5). */
    static final int CARRIAGE_JOINING = 5;
    static final int CHANNEL_VIP_NOTICE = 1;
    private static final int NOTICE_HEADER = 2 * Long.BYTES;
    /** Operator commands waiting for this node's next token visit. */
    static final int MAX_PENDING_COMMANDS = 64;
    /**
     * Longest a drained (closed) VIP holder keeps its VIPs while its flows are re-replicated to their next holder.
     * A bulk of one million flows takes about 2.5 s; past this bound the VIPs move anyway and the buckets follow
     * in a second step, as soon as their state is there.
     */
    static final long DRAIN_HANDOVER_MAX_NS = 10_000_000_000L;
    /** How policy messages name a node; compiled once, not per command reply. */
    private static final java.util.regex.Pattern NODE_ID = java.util.regex.Pattern.compile("node (\\d+)");

    /** Applies ownership changes to the data plane. */
    interface Ownership {
        void takeOver(int ifIndex, int vip, long nowNs);

        void release(int ifIndex, int vip);

        /** Bytes, packets and flows so far (for the load carriage). */
        Totals totals();

        void log(String event, String detail);
    }

    /** Cumulative data-plane totals; the load carriage carries rates computed from two of them. */
    record Totals(long bytes, long packets, long flows) {
        static final Totals ZERO = new Totals(0, 0, 0);
    }

    /** {@code attempts}: how often it was applied before, in ring incarnations that did not last. */
    private record PendingCommand(NodeCommand command, NodeCommand.Reply reply, int attempts) {
    }

    /** A command this node applied as holder, answered once the token came back to it in the same incarnation. */
    private record AppliedCommand(PendingCommand pending, NodeCommand.Result result, long epoch) {
    }

    /** How many ring incarnations a command is applied in before the operator is told to try again. */
    static final int COMMAND_ATTEMPTS = 3;

    private final int self;
    private final AliveQuorum alive;
    private final TakeoverHolds holds;
    private final ClusterSettings settings;
    private final VipGroups groups;
    private final Ownership ownership;
    private final ArrayDeque<PendingCommand> commands = new ArrayDeque<>();
    private final ArrayDeque<AppliedCommand> applied = new ArrayDeque<>();
    private ClusterMember member;
    private final java.util.Map<Integer, Integer> owned = new java.util.HashMap<>();
    private boolean started;
    /** When this node's first ring event ran: the start of its fresh-node time. */
    private long startedNs;
    /** A node starts fenced: it owns nothing until the ring has accepted a token from it (no stale tokens). */
    private boolean fenced = true;
    /** The tick lateness last judged a stall (a stall is one tick, seen by every ring event after it). */
    private long judgedLatenessNs;
    private long fencedSinceNs = Long.MIN_VALUE;
    private VipTable seen;
    private long seenEpoch = -1;
    private long seenVersion = -1;
    private long lastPolicySequence = -1;
    private int closedMask;
    private int joiningMask;
    private final UpSince upSince;
    private java.util.function.BooleanSupplier stateSynced = () -> true;
    /** Whether a closed node's flows are with its VIPs' next holders, so VIPs and buckets can move in one step. */
    private java.util.function.IntPredicate handoverReady = node -> true;
    /** When this closed node first kept its VIPs to wait for its flows to be re-replicated (-1: not waiting). */
    private long drainWaitSinceNs = -1;
    private boolean drainWaitExpired;
    private ClusterLoads loads = ClusterLoads.NONE;
    /** The load carriage payload last decoded, and what it decoded to (null: invalid), so a repeat is not decoded. */
    private byte[] loadsPayload;
    private ClusterLoads loadsDecoded;
    private Totals lastTotals = Totals.ZERO;
    private long lastTotalsNs;
    private NodeLoad rate = NodeLoad.IDLE;
    private int loggedMembers = -1;
    /** The ring's removal count when this node last logged a removal's reason. */
    private long loggedRemovals;
    /** The ring's regeneration count when this node last logged one's reason. */
    private long loggedRegenerations;
    private final List<String> nodeNames;
    /** The ring epoch whose train (or VIP notice) this node has actually seen; it owns nothing before. */
    private long trainEpoch = -1;
    private boolean loggedQuorate;
    private int namedMask;
    private List<String> namedMembers;

    VipRole(ClusterSettings settings, NodeConfig config, Ownership ownership) {
        this.self = settings.selfId();
        this.alive = new AliveQuorum(self,
                ClusterMember.ringConfig(settings).quorum().required(settings.members().size()));
        this.nodeNames = settings.members().stream().map(ClusterSettings.Member::name).toList();
        this.holds = new TakeoverHolds(self, Math.max(1_000_000L, settings.tokenHopNs()), nodeNames, ownership);
        this.settings = settings;
        this.ownership = ownership;
        this.upSince = new UpSince(self, settings.freshNodeNs());
        this.groups = new VipGroups(config.interfaces().stream().map(NodeConfig.InterfaceConfig::vips).toList());
    }

    void attach(ClusterMember clusterMember) {
        this.member = clusterMember;
    }

    // ------------------------------------------------------------ ring events

    @Override
    public void afterRingEvent(long nowNs, TokenRing ring) {
        detectStall(nowNs, ring);
        logRingChanges(ring);
        if (ring.hasToken()) {
            trainEpoch = ring.epoch(); // holding (or just passed) the token: our train is this epoch's
        }
        if (trainEpoch == ring.epoch()) {
            readTrain(ring);
        }
        if (ring.isHolder() && ring.sequence() != lastPolicySequence) {
            lastPolicySequence = ring.sequence();
            alive.mark(ring);
            runPolicy(nowNs, ring);
        }
        applyOwnership(nowNs, ring);
        holds.noteMembers(ring);
    }

    /** A node the VIP table still names as an owner joins only after a quorate holder gave its VIPs away. */
    @Override
    public boolean mayJoin(TokenRing ring, int node) {
        return seen == null || seen.ownedBy(node).length == 0;
    }

    /**
     * A node that was not run for longer than the quorum window (paused, frozen, starved) may wake up holding a
     * token that the ring has long replaced. It owns nothing until its successor accepts a token from it again.
     * "Not run" is measured as the lateness of the ring's own timer, not as the gap between ring events: a node
     * whose token is delayed elsewhere has no ring events for a while, yet it is running and nothing is stale.
     */
    private void detectStall(long nowNs, TokenRing ring) {
        if (!started) {
            started = true;
            startedNs = nowNs;
            fencedSinceNs = nowNs;
        } else if (ring.lastTickLatenessNs() > ring.quorumFreshNs() && ring.lastTickLatenessNs() != judgedLatenessNs) {
            // every ring event until the next tick reports the same lateness: one stall, judged (and logged) once
            judgedLatenessNs = ring.lastTickLatenessNs();
            if (!fenced) {
                fenced = true;
                fencedSinceNs = nowNs;
                ownership.log("stall", "not run for " + ring.lastTickLatenessNs() / 1_000_000
                        + " ms: VIPs suspended until the ring accepts this node's token again");
            }
        }
        long ack = ring.lastAcceptedSendNs();
        // Alone, no token can prove anything: the fence lifts once the node has been fenced for a whole quorum
        // window. Not at once: a node back from a stall finds itself alone and then, in the same burst, reads the
        // tokens queued while it was not run; a stale one names it a member of a quorate ring whose VIPs have
        // meanwhile moved on (chaos seeds 2577 and 2654 of the 10,000-seed sweep: two owners).
        boolean aloneLongEnough = Integer.bitCount(ring.members()) == 1 && nowNs - fencedSinceNs > ring.quorumFreshNs();
        if (fenced && ((ack != Long.MIN_VALUE && ack - fencedSinceNs > 0) || aloneLongEnough)) {
            fenced = false;
        }
    }

    /** One log line per change of ring membership, epoch or quorum: what an operator needs to follow failovers. */
    private void logRingChanges(TokenRing ring) {
        long removals = ring.counters().membersRemoved();
        if (removals != loggedRemovals) {
            loggedRemovals = removals;
            RemovalNote note = ring.lastRemoval();
            ownership.log("ring-removed", note.describe(nodeNames.get(note.node())));
        }
        long regenerations = ring.counters().regenerations();
        if (regenerations != loggedRegenerations) {
            loggedRegenerations = regenerations;
            ownership.log("ring-regenerated", ring.lastRegeneration().describe(nodeNames));
        }
        int members = ring.inRing() ? ring.members() : 0;
        boolean quorate = vipQuorate(ring);
        if (members != loggedMembers || quorate != loggedQuorate) {
            loggedMembers = members;
            loggedQuorate = quorate;
            ownership.log("ring", "epoch=" + ring.epoch() + " members=" + memberNames(members) + " quorum=" + quorate);
        }
    }

    private void readTrain(TokenRing ring) {
        for (Carriage c : ring.train()) {
            switch (c.type()) {
                case CARRIAGE_VIPS -> {
                    if (ring.epoch() != seenEpoch || c.version() > seenVersion) {
                        VipTable t = VipCodec.decode(c.payload());
                        if (t != null) {
                            adoptTable(t, ring.epoch(), c.version());
                        }
                    }
                }
                case CARRIAGE_LOADS -> {
                    // Read after every ring event, changed at most once per visit: decode each payload once.
                    if (loadsPayload == null || !c.payloadEquals(loadsPayload)) {
                        loadsPayload = c.payload();
                        loadsDecoded = LoadCodec.decode(loadsPayload);
                    }
                    if (loadsDecoded != null) {
                        loads = loadsDecoded;
                    }
                }
                case CARRIAGE_ALIVE -> alive.read(c.payload());
                case CARRIAGE_JOINING -> joiningMask = readMask(c.payload());
                case UpSince.CARRIAGE_UP_SINCE -> upSince.read(c.payload());
                case CARRIAGE_CLOSED -> closedMask = readMask(c.payload());
                default -> { }
            }
        }
    }

    /**
     * The table this node goes by from now on, whichever way it came (the train, a notice, or written here as holder),
     * with its owners noted for the takeover holds. The writer never reads its own version back as news: when it
     * skipped the noting, a VIP it gave away looked ownerless to it, and after that owner was cut off it took the VIP
     * without a hold while the old owner still answered (2-node tie-breaker scenario: two owners).
     */
    private void adoptTable(VipTable t, long epoch, long version) {
        holds.noteOwners(t);
        seen = t;
        seenEpoch = epoch;
        seenVersion = version;
    }

    /**
     * The holder marks itself joining until its connection state is in (and clears members that left), and writes
     * how long it has been up ({@link UpSince}).
     */
    private void updateOwnMarks(long nowNs, TokenRing ring) {
        int joining = markSelf(joiningMask & ring.members(), !stateSynced.getAsBoolean());
        if (joining != joiningMask && ring.offerCarriageUpdate(CARRIAGE_JOINING, maskBytes(joining))) {
            joiningMask = joining;
        }
        if (upSince.update(nowNs, startedNs, ring)) {
            ownership.log("seasoned", "up " + (nowNs - startedNs) / 1_000_000_000L + " s: from now on as good a target"
                    + " for VIPs that must move as any other node that has run its fresh_node_s");
        }
    }

    private int markSelf(int mask, boolean marked) {
        return marked ? mask | (1 << self) : mask & ~(1 << self);
    }

    /** Where the node learns whether its bulk transfer of connection state is complete. */
    void stateSyncedBy(java.util.function.BooleanSupplier synced) {
        this.stateSynced = synced;
    }

    /** A node mask carriage: 16 bits, big-endian (bit i = node id i). */
    private static int readMask(byte[] p) {
        return p.length >= Short.BYTES ? ByteArrays.getShort(p, 0) : 0;
    }

    private static byte[] maskBytes(int mask) {
        return ByteBuffer.allocate(Short.BYTES).putShort((short) mask).array();
    }


    /** Whether this node's ring may own VIPs ({@link AliveQuorum}): never while the node is fenced after a stall. */
    private boolean vipQuorate(TokenRing ring) {
        return alive.quorate(ring, fenced);
    }

    /** The holder's turn: commands, failover, return-to-preferred, balancing; one carriage update per visit. */
    private void runPolicy(long nowNs, TokenRing ring) {
        int members = ring.members();
        boolean quorate = vipQuorate(ring);
        updateOwnMarks(nowNs, ring);
        RingView view = view(ring, quorate);
        VipTable leaders = groups.leadersOf(seen);
        if (leaders == null) {
            leaders = VipPolicy.initial(groups.leaderSpecs(), view);
        }
        confirmApplied(ring);
        leaders = applyCommands(leaders, view, ring);
        if ((closedMask & (1 << self)) == 0) {
            drainWaitSinceNs = -1;
            drainWaitExpired = false;
        }
        leaders = VipPolicy.reassign(leaders, view, node -> mayHandOver(nowNs, node));
        leaders = VipBalancer.balance(leaders, loads, view, BalanceConfig.defaults());
        VipTable full = groups.expand(leaders);
        if (!full.equals(seen) && quorate) {
            byte[] encoded = VipCodec.encode(full);
            if (ring.offerCarriageUpdate(CARRIAGE_VIPS, encoded)) {
                // the version the train gets when we pass the token
                adoptTable(full, ring.epoch(), ring.carriageVersion(CARRIAGE_VIPS) + 1);
                notifyMembers(ring, encoded, seenVersion);
            }
        }
        offerLoads(nowNs, ring, members);
    }

    private RingView view(TokenRing ring, boolean quorate) {
        int members = ring.members();
        return new RingView(self, ring.sequence(), members, members & ~closedMask & ~joiningMask, quorate,
                upSince.view());
    }

    /**
     * Whether this closed node hands its VIPs over at this visit (the policy asks only the holder about itself):
     * once its flows are with the next holders, or once it has waited {@link #DRAIN_HANDOVER_MAX_NS}.
     */
    private boolean mayHandOver(long nowNs, int node) {
        if (node != self || drainWaitExpired || handoverReady.test(node)) {
            return true;
        }
        if (drainWaitSinceNs < 0) {
            drainWaitSinceNs = nowNs;
            ownership.log("drain-wait", "the VIPs stay here until the flows of this node's buckets are re-replicated"
                    + " to their next holder (at most " + DRAIN_HANDOVER_MAX_NS / 1_000_000_000L + " s); up since: "
                    + upSince.describe(member == null ? 0 : member.ring().members(), settings.members()));
        } else if (nowNs - drainWaitSinceNs >= DRAIN_HANDOVER_MAX_NS) {
            drainWaitExpired = true;
            ownership.log("drain-wait-expired", "the flows are not all re-replicated after "
                    + DRAIN_HANDOVER_MAX_NS / 1_000_000_000L + " s: the VIPs move now, the buckets follow when their"
                    + " state is there");
        }
        return drainWaitExpired;
    }

    /**
     * Where the VIPs of the closed members that still hold some would go if they handed them over now (node mask;
     * the bucket planner makes these nodes the backups, then the owners, of the closed members' buckets).
     */
    int drainTargets(TokenRing ring) {
        VipTable leaders = seen == null ? null : groups.leadersOf(seen);
        if (leaders == null) {
            return 0;
        }
        RingView view = view(ring, vipQuorate(ring));
        int targets = 0;
        for (int c = closedMask & ring.members(); c != 0; c &= c - 1) {
            targets |= VipPolicy.drainTargets(leaders, view, Integer.numberOfTrailingZeros(c));
        }
        return targets;
    }

    /** Where the node learns whether a drain may move its VIPs (its flows are with their next holders). */
    void handoverReadyBy(java.util.function.IntPredicate ready) {
        this.handoverReady = ready;
    }

    /** Notice: epoch (8 bytes), carriage version (8 bytes), the encoded table. */
    private void notifyMembers(TokenRing ring, byte[] encodedTable, long version) {
        byte[] notice = ByteBuffer.allocate(NOTICE_HEADER + encodedTable.length)
                .putLong(ring.epoch()).putLong(version).put(encodedTable).array();
        member.sendReliableToRing(CHANNEL_VIP_NOTICE, notice);
    }

    private void offerLoads(long nowNs, TokenRing ring, int members) {
        Totals totals = ownership.totals();
        long dtNs = nowNs - lastTotalsNs;
        if (dtNs >= 100_000_000L) { // rates over at least 100 ms
            rate = new NodeLoad((totals.bytes() - lastTotals.bytes()) * 1_000_000_000L / dtNs,
                    (totals.packets() - lastTotals.packets()) * 1_000_000_000L / dtNs, totals.flows());
            lastTotals = totals;
            lastTotalsNs = nowNs;
        }
        ClusterLoads updated = loads.with(self, rate);
        for (int n = 0; n < VipTable.MAX_NODES; n++) {
            if ((members & (1 << n)) == 0 && updated.reported(n)) {
                updated = updated.without(n);
            }
        }
        if (!updated.equals(loads) && ring.offerCarriageUpdate(CARRIAGE_LOADS, LoadCodec.encode(updated))) {
            loads = updated;
        }
    }

    /**
     * Commands applied at this node's previous visit are answered now if the token came back in the same ring
     * incarnation: every member then took the train that carries them. If the ring was replaced meanwhile (a merge
     * or a regeneration whose train was another node's), the change may be gone: the command is applied again, at
     * most {@link #COMMAND_ATTEMPTS} times. Answering at once was wrong: a `prefer` sent while two rings merged was
     * answered ok and never carried out (bench/sync.sh, docs/benchmarks.md).
     */
    private void confirmApplied(TokenRing ring) {
        for (int n = applied.size(); n > 0; n--) {
            AppliedCommand a = applied.poll();
            if (a.epoch() == ring.epoch()) {
                a.pending().reply().done(a.result());
            } else if (a.pending().attempts() + 1 < COMMAND_ATTEMPTS) {
                PendingCommand p = a.pending();
                ownership.log("command-reapplied", p.command() + ": the ring changed (epoch " + a.epoch() + " to "
                        + ring.epoch() + ") before the token came back with it");
                commands.addFirst(new PendingCommand(p.command(), p.reply(), p.attempts() + 1));
            } else {
                a.pending().reply().done(new NodeCommand.Result(false, "the ring changed " + COMMAND_ATTEMPTS
                        + " times before the command took effect; try again"));
            }
        }
    }

    private VipTable applyCommands(VipTable leaders, RingView view, TokenRing ring) {
        if (!view.quorate()) {
            // A new command is refused at once; one being applied again waits for the replacing ring's quorum
            // (a regenerated ring has none at its first visits).
            for (int n = commands.size(); n > 0; n--) {
                PendingCommand p = commands.poll();
                if (p.attempts() > 0) {
                    commands.add(p);
                } else {
                    p.reply().done(new NodeCommand.Result(false,
                            "no quorum: this node's ring may not change the VIP table now; try again when it has"));
                }
            }
            return leaders;
        }
        while (!commands.isEmpty()) {
            PendingCommand p = commands.poll();
            NodeCommand.Result result;
            switch (p.command()) {
                case NodeCommand.MoveVip m -> {
                    VipPolicy.Outcome o = VipPolicy.move(leaders, groups.leaderOf(m.vip()), nodeId(m.node()), view);
                    leaders = o.table();
                    result = new NodeCommand.Result(o.ok(), o.message());
                }
                case NodeCommand.PreferVip pv -> {
                    VipPolicy.Outcome o = VipPolicy.prefer(leaders, groups.leaderOf(pv.vip()), nodeId(pv.node()));
                    leaders = o.table();
                    result = new NodeCommand.Result(o.ok(), o.message());
                }
                case NodeCommand.Close c -> result = setClosed(ring, nodeId(c.node()), true);
                case NodeCommand.Open o -> result = setClosed(ring, nodeId(o.node()), false);
            }
            NodeCommand.Result named = new NodeCommand.Result(result.ok(), withNames(result.message()));
            if (named.ok()) {
                applied.add(new AppliedCommand(p, named, ring.epoch()));
            } else {
                p.reply().done(named);
            }
        }
        return leaders;
    }

    private NodeCommand.Result setClosed(TokenRing ring, int node, boolean closed) {
        if (node < 0) {
            return new NodeCommand.Result(false, "unknown node");
        }
        int mask = closed ? closedMask | (1 << node) : closedMask & ~(1 << node);
        if (ring.offerCarriageUpdate(CARRIAGE_CLOSED, maskBytes(mask))) {
            closedMask = mask;
            String name = settings.members().get(node).name();
            return new NodeCommand.Result(true, closed ? name + " closed: its VIPs move to other nodes"
                    : name + " open: it may own VIPs again");
        }
        return new NodeCommand.Result(false, "the train is full");
    }

    /** Policy messages name nodes by id; operators know them by name. */
    private String withNames(String message) {
        java.util.regex.Matcher m = NODE_ID.matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            int id = Integer.parseInt(m.group(1));
            String name = id < settings.members().size() ? settings.members().get(id).name() : m.group();
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(name));
        }
        return m.appendTail(b).toString();
    }

    private int nodeId(String name) {
        for (ClusterSettings.Member m : settings.members()) {
            if (m.name().equals(name)) {
                return m.id();
            }
        }
        return -1;
    }

    // ------------------------------------------------------------ ownership

    /**
     * Brings what this node answers for in line with the table: releases first, then takes over. A VIP whose
     * previous owner was removed from the ring (crashed or cut off, not a planned release) is taken over only
     * after a hold ({@link TakeoverHolds}): by then the old owner, if it is merely cut off, has seen its own quorum
     * lapse and stopped answering (it fences itself after {@link TokenRing#quorumFreshNs()}).
     */
    private void applyOwnership(long nowNs, TokenRing ring) {
        // A node still waiting for its connection state takes nothing, whatever the table says: the holder that wrote
        // it may not have seen this node's joining mark yet (it sets that mark only when it holds the token).
        boolean mayOwn = vipQuorate(ring) && seen != null && trainEpoch == ring.epoch() && stateSynced.getAsBoolean();
        if (ownershipSettled(mayOwn)) {
            return; // runs after every ring event: the usual "nothing to change" costs no allocation
        }
        java.util.Map<Integer, Integer> want = new java.util.HashMap<>();
        if (mayOwn) {
            for (VipRow r : seen.rows()) {
                if (r.currentHost() == self) {
                    want.put(r.vip(), r.ifIndex());
                }
            }
        }
        for (var it = owned.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!want.containsKey(e.getKey())) {
                ownership.release(e.getValue(), e.getKey());
                it.remove();
                holds.released(e.getKey(), ring.epoch());
            }
        }
        holds.keepOnly(want.keySet());
        for (var e : want.entrySet()) {
            int vip = e.getKey();
            if (owned.containsKey(vip) || !holds.mayTakeOver(vip, nowNs, ring)) {
                continue;
            }
            ownership.takeOver(e.getValue(), vip, nowNs);
            owned.put(vip, e.getValue());
            holds.tookOver(vip);
        }
    }

    /**
     * Whether {@link #applyOwnership} would change nothing: no takeover hold pending, and the VIPs this node
     * should answer for are exactly those it owns (none when it may not own). A table has one row per VIP
     * ({@link VipTable}), so every wanted VIP owned and as many wanted as owned means the same set.
     */
    private boolean ownershipSettled(boolean mayOwn) {
        if (!holds.nonePending()) {
            return false;
        }
        if (!mayOwn) {
            return owned.isEmpty();
        }
        int wanted = 0;
        for (VipRow r : seen.rows()) {
            if (r.currentHost() == self) {
                if (!owned.containsKey(r.vip())) {
                    return false;
                }
                wanted++;
            }
        }
        return wanted == owned.size();
    }

    @Override
    public void onMessage(long nowNs, int peer, int channel, byte[] message) {
        if (channel != CHANNEL_VIP_NOTICE || message.length < NOTICE_HEADER || member == null) {
            return;
        }
        ByteBuffer header = ByteBuffer.wrap(message);
        long epoch = header.getLong();
        long version = header.getLong();
        TokenRing ring = member.ring();
        VipTable t = VipCodec.decode(java.util.Arrays.copyOfRange(message, NOTICE_HEADER, message.length));
        // Only a notice newer than what we have, from the current ring incarnation, is trusted (a reliable message
        // may arrive late: after a restart, or after the token already brought a newer table).
        boolean newer = epoch == ring.epoch() && (epoch != seenEpoch || version > seenVersion);
        if (t != null && newer && ring.inRing() && (ring.members() & (1 << peer)) != 0) {
            adoptTable(t, epoch, version);
            trainEpoch = epoch;
            applyOwnership(nowNs, ring);
        }
    }

    @Override
    public long nextDeadlineNs() {
        long next = holds.nextDeadlineNs();
        if (!owned.isEmpty() && member != null) {
            next = Math.min(next, member.ring().quorumExpiryNs()); // fence ourselves the moment quorum lapses
        }
        return next;
    }

    boolean submit(NodeCommand command, NodeCommand.Reply reply) {
        if (commands.size() >= MAX_PENDING_COMMANDS) {
            return false;
        }
        commands.add(new PendingCommand(command, reply, 0));
        return true;
    }

    boolean quorate(TokenRing ring) {
        return vipQuorate(ring);
    }

    VipTable table() {
        return seen;
    }

    ClusterLoads loads() {
        return loads;
    }

    int closedMask() {
        return closedMask;
    }

    /** Members still receiving their bulk transfer (they may own nothing yet). */
    int joiningMask() {
        return joiningMask;
    }

    /** How long each member of {@code mask} has run, as this node last read the "up since" carriage. */
    List<NodeStatus.Up> up(int mask) {
        return upSince.of(mask, settings.members());
    }

    /** Every node's name, by node id. */
    List<String> nodeNames() {
        return nodeNames;
    }

    /** Names of the nodes in {@code mask} (immutable); every status snapshot asks, so the last list is kept. */
    List<String> memberNames(int mask) {
        if (mask != namedMask || namedMembers == null) {
            namedMembers = settings.members().stream().filter(m -> (mask & (1 << m.id())) != 0)
                    .map(ClusterSettings.Member::name).toList();
            namedMask = mask;
        }
        return namedMembers;
    }
}
