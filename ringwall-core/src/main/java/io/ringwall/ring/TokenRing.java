package io.ringwall.ring;

import io.ringwall.time.Prng;
import java.util.List;

/**
 * Token-ring group membership (SPEC §3, seed 003 Figs. 7–9) as a sans-I/O state machine.
 * The token is the failure detector and the cluster mutex; the 911 regenerates a lost token and
 * doubles as the join request; holders probe non-members so healed partitions merge.
 * Protocol, formats and bounds: docs/membership.md. Single-threaded: one caller drives every method.
 */
public final class TokenRing {
    private static final long NS_PER_MS = 1_000_000L;

    private enum Phase { IDLE, HOLDING, AWAITING_ACK }

    private final int self;
    private final int selfBit;
    private final int nodeMask;
    private final RingConfig config;
    private final long hopNs;
    private final long ackNs;
    private final long lossNs;
    private final long probeNs;
    private final long quorumFreshNs;
    /** The members' side of quorum: the policy's count, or a half ring vouched for by the tie-breaker. */
    private final MemberQuorum memberQuorum;
    /** How long a 911 round waits for silent nodes once a quorum has granted. */
    private final long roundGraceNs;
    /**
     * How long after its pass was accepted a node takes another member's 911 as proof that the token never went on:
     * the holder had a hop to pass it and an ack timeout to drop its successor and pass it to the next, plus a hop of
     * slack (50 ms with the default timers, 9 ms with the fast ones; the loss timer is 70 and 13 ms for 3 nodes).
     */
    private final long stuckNs;
    /**
     * When this node sent the last token its successor accepted (first transmission; Long.MIN_VALUE: never). Quorum
     * freshness is anchored here, not at token receipt or ack processing: the successor received that token no
     * earlier, so every removal of this node happens at least (members − 1) hops and an ack timeout after it, and a
     * late-processed ack or a token received just before removal cannot stretch the window (docs/membership.md).
     */
    private long freshSinceNs = Long.MIN_VALUE;
    private final RingTransport transport;
    private final Prng prng;
    private final byte[] out = new byte[RingCodec.MAX_MESSAGE_BYTES];
    private final RingCounters counters = new RingCounters();
    private final TrainOffers offers = new TrainOffers();
    private final NineOneOneRound round = new NineOneOneRound();

    private boolean started;
    private boolean inRing;
    private long epoch;
    private long sequence;
    private int members;
    private List<Carriage> train = List.of();
    private Phase phase = Phase.IDLE;
    private long holdUntilNs;
    private int destination;
    /**
     * The member that accepted this node's last pass of the token (-1: none, or a token was received since): while
     * it is set and this node is idle, that member holds the token — or swallowed it (see {@link #stuckHolder}).
     */
    private int passedTo = -1;
    private long sentAtNs;
    /** The ack timeout of the token in flight: the configured one, or longer next to a join ({@link JoinGrace}). */
    private long hopAckNs;
    private final JoinGrace joinGrace;
    /** Retransmissions of the token in flight (over every path), at 1/3 and 2/3 of the ack timeout. */
    private int retransmitted;
    private static final int TOKEN_RETRANSMISSIONS = 2;
    private long acceptedEpoch = -1;
    private long acceptedSequence = -1;
    private int acceptedFrom = -1;
    private long lastTokenNs;
    private long silenceDeadlineNs = Long.MAX_VALUE;
    private long lastVisitNs = -1;
    private long lastRotationNs;
    /** The token sequence when this node first saw the current epoch (the start of its unheld first rotation). */
    private long epochStartSequence;
    private final PendingJoins joins = new PendingJoins();
    private long nextProbeNs;
    private long lastNowNs;
    /** How late the last tick came after the deadline this ring had asked for: the node was not run meanwhile. */
    private long lastTickLatenessNs;
    /** Why this node last removed a member (null: never). */
    private RemovalNote lastRemoval;
    /** Why this node last regenerated the token (null: never). */
    private RegenerationNote lastRegeneration;

    public TokenRing(int selfNode, RingConfig config, RingTransport transport, Prng prng) {
        if (selfNode < 0 || selfNode >= config.nodeCount()) {
            throw new IllegalArgumentException("node " + selfNode + " is not in a node map of " + config.nodeCount());
        }
        this.self = selfNode;
        this.selfBit = 1 << selfNode;
        this.nodeMask = (1 << config.nodeCount()) - 1;
        this.config = config;
        this.hopNs = config.tokenHopMs() * NS_PER_MS;
        this.ackNs = config.tokenAckTimeoutMs() * NS_PER_MS;
        this.lossNs = config.tokenLossMs() * NS_PER_MS;
        this.probeNs = config.probeIntervalMs() * NS_PER_MS;
        // A member cut off from the ring stops claiming quorum this long after its last accepted token; the others
        // take over its VIPs only later.
        this.quorumFreshNs = config.quorumWindowNs();
        this.memberQuorum = new MemberQuorum(config);
        this.roundGraceNs = Math.min(hopNs, ackNs);
        this.stuckNs = 2 * hopNs + ackNs;
        this.hopAckNs = ackNs;
        this.joinGrace = new JoinGrace(selfNode, config.nodeCount(), ackNs);
        this.transport = transport;
        this.prng = prng;
    }

    /** Boots the node: its first 911 (the join request) goes out within one hop, jittered so peers do not collide. */
    public void start(long nowNs) {
        lastNowNs = nowNs;
        if (!started) {
            started = true;
            joinGrace.started(nowNs);
            silenceDeadlineNs = nowNs + prng.nextInt((int) Math.min(Integer.MAX_VALUE, hopNs));
        }
    }

    public long nextDeadlineNs() {
        if (!started) {
            return Long.MAX_VALUE;
        }
        return switch (phase) {
            case HOLDING -> holdUntilNs;
            case AWAITING_ACK -> retransmitted >= TOKEN_RETRANSMISSIONS ? sentAtNs + hopAckNs
                    : sentAtNs + hopAckNs * (retransmitted + 1) / (TOKEN_RETRANSMISSIONS + 1);
            case IDLE -> !round.active ? silenceDeadlineNs : roundDeadlineNs();
        };
    }

    public void onTick(long nowNs) {
        lastNowNs = nowNs;
        if (!started) {
            return;
        }
        long due = nextDeadlineNs();
        lastTickLatenessNs = due == Long.MAX_VALUE || nowNs - due <= 0 ? 0 : nowNs - due;
        switch (phase) {
            case HOLDING -> { if (nowNs >= holdUntilNs) pass(nowNs); }
            case AWAITING_ACK -> {
                if (nowNs >= sentAtNs + hopAckNs) {
                    lastRemoval = new RemovalNote(destination, epoch, sequence, nowNs - sentAtNs, hopAckNs,
                            1 + retransmitted, nowNs - (sentAtNs + hopAckNs), nowNs);
                    setMembers(nowNs, members & ~(1 << destination));
                    counters.membersRemoved++;
                    passToNextMember(nowNs);
                } else if (retransmitted < TOKEN_RETRANSMISSIONS
                        && nowNs >= sentAtNs + hopAckNs * (retransmitted + 1) / (TOKEN_RETRANSMISSIONS + 1)) {
                    retransmitted++;
                    counters.retransmissions++;
                    transmitToken(true);
                }
            }
            case IDLE -> {
                if (round.active) {
                    tickRound(nowNs);
                } else if (nowNs >= silenceDeadlineNs) {
                    startRound(nowNs);
                }
            }
        }
    }

    public void onMessage(long nowNs, int fromNode, byte[] message, int length) {
        lastNowNs = nowNs;
        RingMessage decoded = RingCodec.decode(message, length, train);
        if (!started || decoded == null || fromNode < 0 || fromNode >= config.nodeCount()
                || fromNode == self || decoded.sender() != fromNode) {
            counters.malformed++;
            return;
        }
        switch (decoded) {
            case RingMessage.Token t -> onToken(nowNs, t);
            case RingMessage.Ack a -> onAck(nowNs, a);
            case RingMessage.NineOneOne n -> onNineOneOne(nowNs, n);
            case RingMessage.NineOneOneReply r -> onReply(nowNs, r);
            case RingMessage.Probe p -> onProbe(nowNs, p);
            case RingMessage.Join j -> onJoin(j);
        }
    }

    // ---- token passing and failure detection (Fig. 9 boxes 909-920) ----

    private void onToken(long nowNs, RingMessage.Token t) {
        if (t.destination() != self || (t.members() & ~nodeMask) != 0) {
            counters.malformed++;
            return;
        }
        if (t.epoch() == acceptedEpoch && t.sequence() == acceptedSequence && t.sender() == acceptedFrom) {
            counters.duplicateTokensReacked++; // our ack was lost; the sender retransmitted
            send(t.sender(), new RingMessage.Ack(self, t.epoch(), t.sequence(), true), true);
            return;
        }
        boolean newer = t.epoch() > epoch || (t.epoch() == epoch && inRing && t.sequence() > sequence);
        if (!newer) {
            counters.staleTokensRefused++;
            send(t.sender(), new RingMessage.Ack(self, t.epoch(), t.sequence(), false), true);
            return;
        }
        // One ack, back the way the token came: an ack on every path tripled the ring's packets at every hop. If
        // it is lost the sender retransmits over every path and the duplicate is re-acked over every path (above).
        reply(t.sender(), new RingMessage.Ack(self, t.epoch(), t.sequence(), true));
        acceptedEpoch = t.epoch();
        acceptedSequence = t.sequence();
        acceptedFrom = t.sender();
        counters.tokensReceived++;
        // A token of ours that is still in hand belongs to an older incarnation: the newer one wins.
        adoptAndHold(nowNs, t.epoch(), t.sequence(), t.members(), t.train());
    }

    private void adoptAndHold(long nowNs, long newEpoch, long newSequence, int newMembers, List<Carriage> newTrain) {
        boolean newEpochHere = newEpoch != epoch;
        if (newEpochHere) {
            epochStartSequence = newSequence;
        }
        epoch = newEpoch;
        sequence = newSequence;
        setMembers(nowNs, (newMembers | selfBit) & nodeMask);
        train = newTrain;
        inRing = true;
        passedTo = -1;
        round.cancel();
        phase = Phase.HOLDING;
        // The first visit of a regenerated epoch (its originator's too) passes the token on at once: every member has
        // been without a token for token_loss already, and none may own VIPs before a token of its own was accepted
        // in the new ring — a hop here only lengthened the failover of a crashed token holder (by 10 ms per member).
        holdUntilNs = newEpochHere && RingOrder.regenerated(newEpoch) ? nowNs : nowNs + hopNs;
        noteVisit(nowNs);
    }

    private void setMembers(long nowNs, int newMembers) {
        if (newMembers != members) {
            joinGrace.membersChanged(nowNs, inRing ? members : 0, newMembers);
            members = newMembers;
            memberQuorum.membersChanged(nowNs);
        }
    }

    private void noteVisit(long nowNs) {
        if (lastVisitNs >= 0) {
            lastRotationNs = nowNs - lastVisitNs;
        }
        lastVisitNs = nowNs;
        lastTokenNs = nowNs;
        silenceDeadlineNs = nowNs + lossNs(nowNs);
    }

    private void onAck(long nowNs, RingMessage.Ack a) {
        if (phase != Phase.AWAITING_ACK || a.sender() != destination || a.epoch() != epoch || a.sequence() != sequence) {
            return; // late ack of an earlier hop: harmless
        }
        phase = Phase.IDLE;
        silenceDeadlineNs = nowNs + lossNs(nowNs);
        if (!a.accepted()) {
            counters.tokensSuperseded++; // a newer token circulates; ours must die so only one remains
            return; // and it proves nothing about our membership being current
        }
        lastTokenNs = nowNs;
        freshSinceNs = sentAtNs;
        passedTo = destination;
    }

    /** End of a visit: the holder's only chance to change the train, add joiners and probe for merges. */
    private void pass(long nowNs) {
        train = offers.applyTo(train);
        addPendingJoins(nowNs);
        if (nowNs >= nextProbeNs) {
            nextProbeNs = nowNs + probeNs;
            probeNonMembers();
        }
        passToNextMember(nowNs);
    }

    private void passToNextMember(long nowNs) {
        int next = nextMemberAfter(self);
        sequence++;
        if (next < 0) { // alone mode: the one-member ring keeps rotating so timers and the train still work
            phase = Phase.HOLDING;
            holdUntilNs = nowNs + hopNs;
            noteVisit(nowNs);
            freshSinceNs = nowNs; // nobody else can take this node's VIPs over: it is its own successor
            return;
        }
        destination = next;
        passedTo = -1;
        phase = Phase.AWAITING_ACK;
        sentAtNs = nowNs;
        hopAckNs = joinGrace.ackTimeoutNs(nowNs, next);
        retransmitted = 0;
        counters.tokensPassed++;
        transmitToken(false);
    }

    private int nextMemberAfter(int node) {
        for (int i = 1; i < config.nodeCount(); i++) {
            int candidate = (node + i) % config.nodeCount();
            if ((members & (1 << candidate)) != 0) {
                return candidate;
            }
        }
        return -1;
    }

    private void transmitToken(boolean allPaths) {
        send(destination, new RingMessage.Token(self, epoch, sequence, members, destination, train), allPaths);
    }

    private void addPendingJoins(long nowNs) {
        int admitted = joins.admit(members, nodeMask, Integer.bitCount(members) >= memberQuorum.required());
        if (admitted != 0) {
            setMembers(nowNs, members | admitted);
            counters.joinsAdded += Integer.bitCount(admitted);
            // A new incarnation above every joiner's old ring, so joiners accept it and their old tokens are stale.
            epoch = RingOrder.nextEpoch(self, Math.max(epoch, joins.admittedFromEpoch()), false);
        }
    }

    /** Whether a node that asked to join may be added at this visit (the node's roles decide; see JoinGate). */
    public interface JoinGate {
        boolean mayJoin(int node);
    }

    /**
     * Installs the roles' say on joins to a ring that has a quorum without the joiner. A node that restarted
     * before the ring noticed is still named the owner of VIPs and buckets in the train; it must not come back as
     * that owner (its state is gone), so it is added only once a quorate holder has handed what the train names it
     * for to the others.
     */
    public void joinGate(JoinGate gate) {
        joins.gate(gate);
    }

    // ---- 911: token loss, regeneration and join (Fig. 9 boxes 901-908) ----

    private boolean live(long nowNs) {
        return phase != Phase.IDLE || (inRing && nowNs - lastTokenNs < lossNs(nowNs));
    }

    private void startRound(long nowNs) {
        startRound(nowNs, 0);
    }

    /** {@code stuck}: the member that swallowed the token, as a mask, for a round of the stuck-holder rule; else 0. */
    private void startRound(long nowNs, int stuck) {
        int others = nodeMask & ~selfBit;
        round.begin(prng.nextInt(Integer.MAX_VALUE), nowNs, others, stuck);
        counters.nineOneOnesSent++;
        broadcast911(others, false);
        if (others == 0) {
            finishRound(nowNs);
        }
    }

    private void broadcast911(int targets, boolean allPaths) {
        RingMessage.NineOneOne alarm = new RingMessage.NineOneOne(self, round.id, epoch, sequence, true, inRing);
        for (int t = targets; t != 0; t &= t - 1) {
            send(Integer.numberOfTrailingZeros(t), alarm, allPaths);
        }
    }

    private long roundDeadlineNs() {
        return round.deadlineNs(roundGraceNs, ackNs, memberQuorum.required());
    }

    private void tickRound(long nowNs) {
        if (!round.resent) {
            if (nowNs >= round.resendAtNs(roundGraceNs)) {
                round.resent = true;
                broadcast911(round.unanswered(), true);
            }
        } else if (nowNs >= roundDeadlineNs()) {
            finishRound(nowNs);
        }
    }

    private void finishRound(long nowNs) {
        round.cancel();
        if (round.denied || !round.stuckRoundHolds()) {
            counters.nineOneOnesDenied++;
            if (round.stuck == 0) { // a stuck-holder round began early: its failure leaves our own loss timer alone
                silenceDeadlineNs = nowNs + lossNs(nowNs); // wait for the newer token (or to be added); ask again if none comes
            }
            return;
        }
        counters.regenerations++;
        long newEpoch = RingOrder.nextEpoch(self, Math.max(epoch, round.maxEpoch), true);
        long newSequence = Math.max(sequence, round.maxSequence);
        // Only the nodes that answered the 911 are members of the regenerated ring: a node that stayed silent
        // (crashed, cut off) would only cost one more ack timeout to remove; if it is alive it rejoins by 911.
        // A node that answered from an older ring epoch than the newest one heard of joins by the join path
        // instead, once this ring runs: it may be a member that crashed and restarted before the ring noticed (and
        // then took a delayed token of a long-gone epoch), and the train would still name it the owner of VIPs and
        // buckets whose state it lost (chaos seed 149: a restarted node took every bucket and all 8 connections
        // died). Joining, it is marked as such and owns nothing until its state is in.
        int newMembers = selfBit | round.grantedIn(Math.max(epoch, round.maxEpoch));
        lastRegeneration = new RegenerationNote(newEpoch, newMembers, round.startedNs - lastTokenNs,
                nowNs - round.startedNs, round.stuck == 0 ? -1 : Integer.numberOfTrailingZeros(round.stuck),
                round.unanswered(), inRing, nowNs);
        acceptedEpoch = -1;
        adoptAndHold(nowNs, newEpoch, newSequence, newMembers, train); // a new regenerated epoch: passed on at once
    }

    private void onNineOneOne(long nowNs, RingMessage.NineOneOne n) {
        int bit = 1 << n.sender();
        boolean live = live(nowNs);
        boolean permission;
        int stuckAt = live && !round.active ? stuckHolder(nowNs, n, bit) : -1;
        if (stuckAt >= 0) {
            // We hold the newest train and sequence of the lost token: we regenerate it, now, rather than grant.
            counters.stuckHolderRounds++;
            startRound(nowNs, 1 << stuckAt);
        }
        if (live) {
            permission = false;
            if ((members & bit) == 0) { // a starting, removed or foreign node: add it at our next visit
                joins.ask(n.sender(), n.epoch());
            }
        } else {
            // Highest sequence wins, then lowest node id: exactly one originator gets every permission.
            boolean mineIsNewer = sequence > n.sequence() || (sequence == n.sequence() && self < n.sender());
            permission = !mineIsNewer;
        }
        send(n.sender(), new RingMessage.NineOneOneReply(self, n.round(), epoch, sequence, permission, live), false);
    }

    /**
     * The stuck-holder rule: the member that swallowed the token, if {@code n} proves one did — else -1. This node
     * passed the token (sequence s) and its successor accepted it; now another member of the same ring epoch, whose
     * own loss timer ran out, reports a sequence below s: it never got the holder's next pass. The holder had a hop
     * to pass the token on and an ack timeout to drop a silent successor and pass it further, and this node has
     * waited both and a hop more. So the token died with its holder (crashed, cut off or paused), and this node —
     * with the highest sequence and the newest train of the lost token — starts its own 911 round now rather than
     * when its own loss timer runs out two hops later: for three nodes the holder's predecessor was always the last
     * to be silent for token_loss, and a holder crash cost that wait and a round's grace more than any other crash.
     * The round does not wait for the holder (a live one refuses, a dead one never answers) and regenerates only if
     * every other node answered ({@link NineOneOneRound#stuckRoundHolds}); the holder's successor answered as silent
     * for token_loss, so the takeover hold of a regenerated ring stays valid (docs/membership.md).
     */
    private int stuckHolder(long nowNs, RingMessage.NineOneOne n, int senderBit) {
        if (phase != Phase.IDLE || !inRing || passedTo < 0 || n.sender() == passedTo || (members & senderBit) == 0
                || !n.inRing() || n.epoch() != epoch || n.sequence() >= sequence
                || nowNs - lastTokenNs < joinGrace.stretch(nowNs, stuckNs)) {
            return -1;
        }
        return passedTo;
    }

    private void onReply(long nowNs, RingMessage.NineOneOneReply r) {
        if (!round.active || r.round() != round.id) {
            return;
        }
        round.record(r.sender(), r);
        if (round.complete() || (round.resent && nowNs >= roundDeadlineNs())) {
            finishRound(nowNs);
        }
    }

    // ---- merge after a partition heals ----

    private void probeNonMembers() {
        int outsiders = nodeMask & ~members;
        if (outsiders == 0) {
            return;
        }
        RingMessage.Probe probe = new RingMessage.Probe(self, epoch, sequence, members);
        for (int t = outsiders; t != 0; t &= t - 1) {
            counters.probesSent++;
            send(Integer.numberOfTrailingZeros(t), probe, false);
        }
    }

    private void onProbe(long nowNs, RingMessage.Probe p) {
        if (live(nowNs)) {
            if ((p.members() & members) != 0 || !RingOrder.outranks(p.members(), members)) {
                return; // same ring seen through a stale view, or ours is the one that absorbs
            }
            counters.mergesLeft++;
            inRing = false; // our old ring's tokens are now refused, so that ring dissolves into the larger one
            passedTo = -1;
            phase = Phase.IDLE;
            round.cancel();
            silenceDeadlineNs = nowNs + lossNs(nowNs);
        }
        send(p.sender(), new RingMessage.Join(self, epoch, sequence), false);
    }

    private void onJoin(RingMessage.Join j) {
        if (inRing && (members & (1 << j.sender())) == 0) {
            joins.ask(j.sender(), j.epoch());
        }
    }

    private void send(int to, RingMessage message, boolean allPaths) {
        int length = RingCodec.encode(message, out);
        transport.send(to, out, length, allPaths);
    }

    /** The answer to the message {@code to} just delivered, back the way it came ({@link RingTransport#reply}). */
    private void reply(int to, RingMessage message) {
        int length = RingCodec.encode(message, out);
        transport.reply(to, out, length);
    }

    // ---- API for the node, the VIP manager and the CLI ----

    /**
     * Queues a new payload for carriage {@code type}; it is put on the train (version + 1) at the end of this
     * node's next visit, so only the holder ever changes the train. Returns false when the payload or the
     * resulting train would exceed the codec bounds.
     */
    public boolean offerCarriageUpdate(int type, byte[] payload) {
        return offers.offer(train, type, payload);
    }

    /** The train of the last token this node handled (immutable). */
    public List<Carriage> train() {
        return train;
    }

    /** The version of the train's carriage of {@code type} (0: none yet). The holder's own offer gets this + 1. */
    public long carriageVersion(int type) {
        for (Carriage c : train) {
            if (c.type() == type) {
                return c.version();
            }
        }
        return 0;
    }

    /** Input from the ping monitor, answered just now: shorthand for {@code setTieBreaker(reachable, now)}. */
    public void setTieBreaker(boolean reachable) {
        setTieBreaker(reachable, lastNowNs);
    }

    /**
     * Input from the ping monitor: whether the tie-breaker target counts as reachable (its hysteresis) and when it
     * last answered. Only an answer received after the ring last changed its members counts: a node cut off from
     * everything still has its old "reachable" verdict for a few ping intervals, and must not claim the VIPs with it
     * while its peer, which really reaches the target, takes them over.
     */
    public void setTieBreaker(boolean reachable, long lastReplyNs) {
        memberQuorum.setTieBreaker(reachable, lastReplyNs);
    }

    /** When the ring last changed its members (as this node saw it). */
    public long membersChangedNs() {
        return memberQuorum.membersChangedNs();
    }

    /** True while a half ring waits for a tie-breaker answer newer than its last membership change. */
    public boolean needsTieBreakerProof() {
        return inRing && memberQuorum.needsTieBreakerProof(members);
    }

    /**
     * When this node sent the last token that its successor accepted (Long.MIN_VALUE: never): proof that its
     * token was the current one at that moment, and the anchor of its quorum window.
     */
    public long lastAcceptedSendNs() {
        return freshSinceNs;
    }

    /** When this node's quorum lapses if no further token of its own is accepted (Long.MAX_VALUE: never claimed). */
    public long quorumExpiryNs() {
        return !inRing || freshSinceNs == Long.MIN_VALUE ? Long.MAX_VALUE : freshSinceNs + quorumFreshNs + 1;
    }

    /**
     * How late the last {@link #onTick} came after this ring's own deadline (0 if on time): a measure of the node
     * not being run (paused, starved), unlike a long gap between ring events, which may just be a quiet ring.
     */
    public long lastTickLatenessNs() {
        return lastTickLatenessNs;
    }

    /**
     * Whether the current epoch was minted by a 911 regeneration: every member of it had seen no token for
     * {@code token_loss} when it answered, so any node left out had its last token accepted at least that long
     * before the ring formed.
     */
    public boolean epochRegenerated() {
        return RingOrder.regenerated(epoch);
    }

    /**
     * Whether the current epoch was regenerated so recently that a member's last accepted send may have been one of
     * its first-rotation visits, which pass the token on without holding it: fewer hops than members may then
     * separate that send from the member's removal. Two rotations' worth of passes (node-map size) settle it.
     */
    public boolean unheldRotationRecent() {
        return epochRegenerated() && sequence - epochStartSequence < 2L * config.nodeCount();
    }

    /** The silence after which this member sends a 911 now: longer while a hop may wait out a join's grace. */
    private long lossNs(long nowNs) {
        return joinGrace.stretch(nowNs, lossNs);
    }

    /** Why this node last removed a member after an ack timeout (null: it never did); see {@link RingCounters#membersRemoved()}. */
    public RemovalNote lastRemoval() {
        return lastRemoval;
    }

    /** Why this node last regenerated the token (null: it never did); see {@link RingCounters#regenerations()}. */
    public RegenerationNote lastRegeneration() {
        return lastRegeneration;
    }

    /** The silence after which a member sends a 911. */
    public long tokenLossNs() {
        return lossNs;
    }

    /** How long a sender waits for a token's ack before it removes the destination. */
    public long tokenAckTimeoutNs() {
        return ackNs;
    }

    /** How long after its last accepted token a member stops claiming quorum ({@link RingConfig#quorumWindowNs}). */
    public long quorumFreshNs() {
        return quorumFreshNs;
    }

    /**
     * Whether this node's ring may own VIPs, as of the last input: a token it sent was accepted within the
     * quorum window, and it has quorum members or (two-node clusters) a half ring with the tie-breaker
     * reachable and answering since the ring shrank to that half.
     */
    public boolean hasQuorum() {
        // Also while holding or passing: a token held since long ago (the node was paused) is no proof of anything.
        if (!inRing || freshSinceNs == Long.MIN_VALUE || lastNowNs - freshSinceNs > quorumFreshNs) {
            return false;
        }
        return memberQuorum.holds(members);
    }

    public RingStatus status() {
        boolean holder = phase == Phase.HOLDING;
        return new RingStatus(self, inRing, epoch, sequence, inRing ? members : 0, holder,
                inRing && members == selfBit, hasQuorum(), lastVisitNs, lastRotationNs);
    }

    public boolean isHolder() { return phase == Phase.HOLDING; }

    /** Holding the token or waiting for the next member's ack: this node speaks for its ring's token. */
    public boolean hasToken() { return phase != Phase.IDLE; }
    public int members() { return inRing ? members : 0; }
    public boolean inRing() { return inRing; }
    public long epoch() { return epoch; }
    public long sequence() { return sequence; }
    public int self() { return self; }
    public RingCounters counters() { return counters; }
}
