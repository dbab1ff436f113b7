package io.ringwall.node;

import io.ringwall.dataplane.FlowDistribution;
import io.ringwall.dataplane.ForwardingPipeline;
import io.ringwall.dataplane.FrameTunnel;
import io.ringwall.dataplane.TokenBucket;
import io.ringwall.messaging.DropReason;
import io.ringwall.messaging.MessageLayer;
import io.ringwall.messaging.MessageListener;
import io.ringwall.messaging.MessagingConfig;
import io.ringwall.messaging.SendResult;
import io.ringwall.messaging.Transport;
import io.ringwall.ring.QuorumPolicy;
import io.ringwall.ring.RingConfig;
import io.ringwall.ring.RingTransport;
import io.ringwall.ring.TokenRing;
import io.ringwall.time.Prng;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.NativeFrames;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A node's membership in the cluster: the sealed reliable message layer over every path, the token ring
 * on top of it, and the hand-off of train changes to {@link ClusterRole} (VIP ownership). Cluster packets
 * travel as UDP that the data plane itself sends and receives from the node's own addresses.
 */
final class ClusterMember implements Transport, MessageListener, RingTransport, ForwardingPipeline.ClusterPacketSink {
    /** Reliable channel for the configuration handshake. */
    static final int CHANNEL_HELLO = 0;
    /** Log lines about rejected cluster packets, per second (a wrong secret must not flood the log). */
    private static final int REJECT_LOGS_PER_SECOND = 1;
    private static final byte HELLO_VERSION = 1;
    /** Datagram kinds: the token ring's (byte-identical to before kinds existed), frame parts, path probes. */
    static final int DATAGRAM_RING = 0;
    static final int DATAGRAM_FRAME = 1;
    static final int DATAGRAM_PATH_PROBE = 2;
    private static final byte[] NO_BYTES = new byte[0];

    private final ClusterSettings settings;
    private final ForwardingPipeline pipeline;
    private final Effects effects;
    private final ClusterPaths paths;
    private final MessageLayer messages;
    private final TokenRing ring;
    private final ClusterRole role;
    private final byte[] rxBuffer = new byte[ForwardingPipeline.CLUSTER_PAYLOAD_MAX];
    private final byte[] ringBuffer = new byte[ForwardingPipeline.CLUSTER_PAYLOAD_MAX];
    private final boolean[] mismatched;
    private final TokenBucket rejectLogBudget = new TokenBucket(REJECT_LOGS_PER_SECOND);
    /** The two-node tie-breaker's ping monitor, or null (no target configured, or not a two-node cluster). */
    private final TieBreakerProbe tieBreaker;
    private final FlowDistribution distribution;
    private final PathMonitor pathMonitor;
    private final FrameTunnel tunnel;
    private long nowNs;
    private long unknownSourcePackets;
    /** Echo identifier of this node's tie-breaker pings ("RW" plus the node id), to tell them from others'. */
    private static final int ECHO_ID_BASE = 0x5257;

    /**
     * Frames whose bucket owner (by {@code distribution}) cannot be reached on their segment travel to it encapsulated
     * over another path ({@link FrameTunnel}), and every path is probed to tell which segments reach which peer
     * ({@link PathMonitor}).
     */
    ClusterMember(ClusterSettings settings, NodeConfig config, ForwardingPipeline pipeline, Effects effects, Prng prng,
                  ClusterRole role, FlowDistribution distribution) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.effects = effects;
        this.role = role;
        this.paths = new ClusterPaths(settings, config);
        this.mismatched = new boolean[settings.members().size()];
        MessagingConfig messaging = MessagingConfig.defaults(settings.selfId(), settings.secret(), paths.pathsPerPeer())
                .withBootEpoch(settings.bootEpoch());
        this.messages = new MessageLayer(messaging, this, this, prng.fork());
        RingConfig ringConfig = ringConfig(settings);
        this.ring = new TokenRing(settings.selfId(), ringConfig, this, prng.fork());
        ring.joinGate(node -> role.mayJoin(ring, node));
        // A cluster packet waits for its peer's MAC at most one token ack timeout. A token or a 911 held longer (an
        // ARP request to a peer that is down goes unanswered for seconds) is stale — its sender has acted on the
        // missing answer — and reaching the peer once it has restarted, it would pass for a current one.
        pipeline.enableCluster(settings.udpPort(), ringConfig.tokenAckTimeoutMs() * 1_000_000L, this);
        this.distribution = java.util.Objects.requireNonNull(distribution);
        this.pathMonitor = new PathMonitor(paths.pathsPerPeer(), settings.selfId());
        this.tunnel = new FrameTunnel(settings.members().size(), config.interfaces().size(),
                GatewayNode.largestFrame(config), messages.maxDatagramBytes(), this::sendPart);
        pipeline.enableTunnel(tunnel);
        ClusterSettings.TieBreaker t = settings.tieBreaker();
        if (t != null && settings.members().size() == 2) {
            tieBreaker = new TieBreakerProbe(t, t.ifIndex(), ECHO_ID_BASE + settings.selfId(), pipeline::sendEchoRequest);
            pipeline.enableEchoReplies(this::onEchoReply);
        } else {
            tieBreaker = null;
        }
    }

    static RingConfig ringConfig(ClusterSettings s) {
        int n = s.members().size();
        RingConfig c = RingConfig.withTimers(n, Math.max(1, s.tokenHopNs() / 1_000_000L),
                Math.max(1, s.tokenAckTimeoutNs() / 1_000_000L));
        if (s.tokenLossNs() > 0) {
            c = new RingConfig(n, c.tokenHopMs(), c.tokenAckTimeoutMs(), s.tokenLossNs() / 1_000_000L,
                    c.probeIntervalMs(), c.quorum(), c.tieBreakerEnabled());
        }
        QuorumPolicy quorum = switch (s.quorum()) {
            case "majority" -> QuorumPolicy.majority();
            case "none" -> QuorumPolicy.none();
            default -> QuorumPolicy.fixed(Integer.parseInt(s.quorum()));
        };
        // The tie-breaker only exists where SPEC §3 puts it: two-node clusters with a ping target configured.
        return c.withQuorum(quorum, n == 2 && s.tieBreaker() != null);
    }

    void start(long now) {
        nowNs = now;
        pathMonitor.start(now);
        ring.start(now);
        byte[] hello = hello();
        for (ClusterSettings.Member peer : settings.members()) {
            if (peer.id() != settings.selfId() && paths.pathCount(peer.id()) > 0) {
                messages.send(now, peer.id(), CHANNEL_HELLO, false, hello);
            }
        }
        afterEvent(now);
    }

    private byte[] hello() {
        byte[] digest = settings.configDigest().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[1 + digest.length];
        out[0] = HELLO_VERSION;
        System.arraycopy(digest, 0, out, 1, digest.length);
        return out;
    }

    // ------------------------------------------------------------ inbound

    @Override
    public void onClusterPacket(long now, int ifIndex, int srcIp, MemorySegment frame, int offset, int length) {
        nowNs = now;
        int who = paths.identify(ifIndex, srcIp);
        if (who < 0 || length > rxBuffer.length) {
            unknownSourcePackets++;
            if (rejectLogBudget.tryTake(now)) {
                effects.log("cluster-reject", "packet from unknown address " + Ipv4Address.format(srcIp)
                        + " on interface " + ifIndex + " (not a node of the node map on that subnet)");
            }
            return;
        }
        NativeFrames.copyOut(frame, offset, rxBuffer, 0, length);
        long badBefore = messages.counters().dropped(DropReason.BAD_TAG);
        messages.onPacket(now, ClusterPaths.pathOf(who), rxBuffer, length);
        if (messages.counters().dropped(DropReason.BAD_TAG) != badBefore && rejectLogBudget.tryTake(now)) {
            effects.log("cluster-reject", "packet from " + settings.members().get(ClusterPaths.peerOf(who)).name() + " ("
                    + Ipv4Address.format(srcIp) + ") failed authentication: wrong cluster secret? It cannot join.");
        }
        afterEvent(now);
    }

    @Override
    public void onMessage(int peer, int channel, byte[] message) {
        if (channel == CHANNEL_HELLO && message.length > 0 && message[0] == HELLO_VERSION) {
            String theirs = new String(message, 1, message.length - 1, StandardCharsets.UTF_8);
            boolean differs = !theirs.equals(settings.configDigest());
            if (differs != mismatched[peer]) {
                mismatched[peer] = differs;
                effects.log(differs ? "config-mismatch" : "config-match", "node " + settings.members().get(peer).name()
                        + (differs ? " runs a different cluster configuration (digest " + theirs + ", ours "
                        + settings.configDigest() + "): its ring messages are ignored until both match"
                        : " runs the same cluster configuration"));
            }
            return;
        }
        role.onMessage(nowNs, peer, channel, message);
    }

    @Override
    public void onFailure(int peer, long messageId, byte[] message) {
        role.onSendFailure(nowNs, peer, messageId, message);
    }

    @Override
    public void onDelivered(int peer, long messageId) {
        role.onDelivered(nowNs, peer, messageId);
    }

    @Override
    public void onDatagram(int peer, int path, int kind, byte[] data, int offset, int length) {
        pathMonitor.heard(peer, path, nowNs);
        switch (kind) {
            case DATAGRAM_RING -> {
                if (mismatched[peer] || length > ringBuffer.length) {
                    return;
                }
                System.arraycopy(data, offset, ringBuffer, 0, length);
                ring.onMessage(nowNs, peer, ringBuffer, length);
            }
            case DATAGRAM_FRAME -> {
                if (mismatched[peer]) {
                    tunnel.refusePart(); // a peer with another configuration may number its interfaces differently
                } else {
                    tunnel.onPart(nowNs, peer, data, offset, length);
                }
            }
            default -> { } // a path probe: arriving was its purpose; an unknown kind (a newer peer's): ignored
        }
    }

    private void onEchoReply(long now, int ifIndex, int srcIp, int identifier, int sequence) {
        nowNs = now;
        if (tieBreaker.onEchoReply(now, ifIndex, srcIp, identifier, sequence)) {
            afterEvent(now);
        }
    }

    // ------------------------------------------------------------ outbound

    @Override
    public void sendPacket(int peer, int path, byte[] packet, int length) {
        pipeline.sendClusterUdp(nowNs, paths.interfaceOf(peer, path), paths.addressOf(peer, path), packet, length);
    }

    @Override
    public void reply(int toNode, byte[] message, int length) {
        if (paths.pathCount(toNode) == 0) {
            return;
        }
        probe(toNode, nowNs, probedPeers(), true);
        // Called while the ring handles toNode's message: the messaging layer heard it last on that message's path.
        messages.sendDatagram(toNode, messages.lastHeardPath(toNode), DATAGRAM_RING, message, 0, length);
    }

    @Override
    public void send(int toNode, byte[] message, int length, boolean allPaths) {
        if (paths.pathCount(toNode) == 0) {
            return;
        }
        probe(toNode, nowNs, probedPeers(), true);
        int path = allPaths ? MessageLayer.ALL_PATHS : ClusterPaths.PRIMARY_PATH;
        messages.sendDatagram(toNode, path, DATAGRAM_RING, message, 0, length);
    }

    /**
     * Sends one part of an encapsulated frame to {@code node}: over the first path (the dedicated cluster network
     * when there is one) that does not leave through {@code arrivedOn}, preferring one the peer was heard on lately.
     * False if there is no such path.
     */
    private boolean sendPart(int node, int arrivedOn, byte[] part, int length) {
        int chosen = -1;
        for (int p = 0; p < paths.pathCount(node); p++) {
            if (paths.interfaceOf(node, p) == arrivedOn) {
                continue;
            }
            if (pathMonitor.alive(node, p, nowNs)) {
                chosen = p;
                break;
            }
            if (chosen < 0) {
                chosen = p;
            }
        }
        return chosen >= 0 && messages.sendDatagram(node, chosen, DATAGRAM_FRAME, part, 0, length) == SendResult.SENT;
    }

    /**
     * Probes the paths of every peer whose probes no ring message took along in time ({@link PathMonitor}); only ring
     * members, and only while frames may be passed between nodes (a shared bucket map).
     */
    private void probePaths(long now) {
        int needed = probedPeers();
        for (ClusterSettings.Member peer : settings.members()) {
            probe(peer.id(), now, needed, false); // every peer, so one no longer needed is marked paused
        }
    }

    PathProbeRounds pathProbeRounds() {
        return pathMonitor.rounds();
    }

    /** The peers whose paths are probed: the other members of this node's ring, while frames may be passed to them. */
    private int probedPeers() {
        return distribution.shared() ? ring.members() & ~(1 << settings.selfId()) : 0;
    }

    /**
     * Sends an empty probe on every path to {@code peer} if they are due, and marks the segments it is down on
     * ({@code neededMask}: {@link #probedPeers}; this node itself is never probed).
     * {@code withRingMessage}: a ring message to the peer follows at once, so due probes go now and are read in
     * the wake-up that message causes.
     */
    private void probe(int peer, long now, int neededMask, boolean withRingMessage) {
        if (!pathMonitor.probeDue(peer, now, neededMask, withRingMessage)) {
            return;
        }
        for (int p = 0; p < paths.pathCount(peer); p++) {
            messages.sendDatagram(peer, p, DATAGRAM_PATH_PROBE, NO_BYTES, 0, 0);
            distribution.setSegmentDown(paths.interfaceOf(peer, p), peer, pathMonitor.down(peer, p, now));
        }
    }

    /** Reliable send to a peer (used by the roles above membership). */
    long sendReliable(int peer, int channel, boolean ordered, byte[] message) {
        return messages.send(nowNs, peer, channel, ordered, message);
    }

    /**
     * Reliable, unordered send of the same {@code message} to every other member of this node's ring: the notices
     * (VIP table, bucket map) and the shared neighbour table, which only members act on.
     */
    void sendReliableToRing(int channel, byte[] message) {
        for (int others = ring.members() & ~(1 << settings.selfId()); others != 0; others &= others - 1) {
            sendReliable(Integer.numberOfTrailingZeros(others), channel, false, message);
        }
    }

    /** Reliable messages {@code peer} still has room for (the message layer's queue is bounded). */
    int sendRoom(int peer) {
        return messages.queueRoom(peer);
    }

    int maxUnfragmentedMessageBytes() {
        return messages.maxUnfragmentedMessageBytes();
    }

    // ------------------------------------------------------------ time

    void onTick(long now) {
        nowNs = now;
        messages.onTick(now);
        probePaths(now);
        ring.onTick(now);
        if (tieBreaker != null) {
            tieBreaker.onTick(now);
        }
        afterEvent(now);
    }

    long nextDeadlineNs() {
        long next = Math.min(Math.min(messages.nextDeadlineNs(), ring.nextDeadlineNs()), role.nextDeadlineNs());
        next = Math.min(next, pathMonitor.nextDeadlineNs(probedPeers()));
        return tieBreaker == null ? next : Math.min(next, tieBreaker.nextDeadlineNs());
    }

    private void afterEvent(long now) {
        if (tieBreaker != null) {
            if (ring.needsTieBreakerProof()) {
                // The ring just became a half: ask the target now rather than at the next interval, so the side
                // that reaches it takes the VIPs within one round trip.
                tieBreaker.probeSince(now, ring.membersChangedNs());
            }
            ring.setTieBreaker(tieBreaker.reachable(), tieBreaker.lastReplyNs());
        }
        role.afterRingEvent(now, ring);
    }

    /** The tie-breaker's ping monitor, or null when none is configured. */
    TieBreakerProbe tieBreaker() {
        return tieBreaker;
    }

    TokenRing ring() {
        return ring;
    }

    MessageLayer messages() {
        return messages;
    }

    /** The encapsulation of frames for owners not reachable on their segment, or null. */
    FrameTunnel tunnel() {
        return tunnel;
    }

    long unknownSourcePackets() {
        return unknownSourcePackets;
    }

    ClusterSettings settings() {
        return settings;
    }
}
