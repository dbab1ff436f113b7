package io.ringwall.dataplane;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.FlowKey;
import io.ringwall.conntrack.PacketFacts;
import io.ringwall.filter.Action;
import io.ringwall.filter.CompiledRuleSet;
import io.ringwall.filter.CtState;
import io.ringwall.filter.FilterInput;
import io.ringwall.filter.SyncMode;
import io.ringwall.node.Effects;
import io.ringwall.node.NodeConfig;
import io.ringwall.node.Offload;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.IcmpMessage;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.Ipv4Packet;
import io.ringwall.wire.ParseError;
import io.ringwall.wire.TcpSegment;
import io.ringwall.wire.UdpDatagram;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The per-frame path of one node: ARP, local echo, routing, TTL, fragments, connection tracking,
 * the rule set, and transmission through the neighbour cache. Single-threaded; reuses its views,
 * keys and structs so that an established flow's packet allocates nothing.
 */
public final class ForwardingPipeline {
    private static final int LOG_LINES_PER_SECOND = 50;
    /** Verdicts remembered per fragmented datagram from its first fragment. */
    private static final int FRAGMENT_ACCEPTED = 1;
    private static final int FRAGMENT_REFUSED = 0;
    /** First fragment passed to node n (verdict BASE + n): the later fragments follow it there. */
    private static final int FRAGMENT_REDIRECT_BASE = 2;

    private final Effects effects;
    private final DataplaneCounters counters;
    private final RouteTable routes;
    private final ArpCache neighbours;
    private final LocalAddresses local;
    private final Conntrack conntrack;
    private final CompiledRuleSet rules;
    private final FragmentTracker fragments;
    private final Replies replies;
    private final OwnPackets own;
    private final OwnerPassing passing;
    private final ArpHandler arpHandler;
    private final TokenBucket logBudget = new TokenBucket(LOG_LINES_PER_SECOND);
    private final long[] macs;
    private final int[] mtus;

    private final EthernetFrame eth = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();
    private final UdpDatagram udp = new UdpDatagram();
    private final IcmpMessage icmp = new IcmpMessage();
    private final EmbeddedPacket embedded = new EmbeddedPacket();
    private final FlowKey key = new FlowKey();
    /** Null unless clustered: which node handles each flow bucket (SPEC §5.1). */
    private FlowDistribution distribution;
    /** Null unless clustered: carries frames to an owner not reachable on their segment (SPEC §5.1 fallback). */
    private FrameTunnel tunnel;
    /** Set while a frame that arrived encapsulated from another member is processed: it is never passed on again. */
    private boolean tunnelled;
    private final FrameTunnel.FrameSink tunnelledFrames = this::onTunnelledFrame;
    private final PacketFacts facts = new PacketFacts();
    private final FilterInput filterInput = new FilterInput();
    /** Largest cluster payload sent in one frame (the messaging layer's packets are far smaller). */
    public static final int CLUSTER_PAYLOAD_MAX = OwnPackets.CLUSTER_PAYLOAD_MAX;
    private int clusterPort;
    private long clusterPacketMaxWaitNs;
    private ClusterPacketSink clusterSink;
    private DeferQueue defer;
    private boolean strictTcpByDefault;
    private final DeferQueue.Sink deferredRelease = new DeferredRelease();
    /** Set by {@link #filter}: the flow whose packet waits in the defer queue (-1: none), and whether it is the first. */
    private int deferSlot = -1;
    private boolean deferFirst;

    /** Receives cluster packets: UDP to this node's own address on the cluster port, on any interface (= path). */
    @FunctionalInterface
    public interface ClusterPacketSink {
        void onClusterPacket(long nowNs, int ifIndex, int srcIp, MemorySegment frame, int offset, int length);
    }

    /** Receives ICMP echo replies addressed to this node's own address (the tie-breaker's ping monitor). */
    @FunctionalInterface
    public interface EchoReplySink {
        void onEchoReply(long nowNs, int ifIndex, int srcIp, int identifier, int sequence);
    }

    private EchoReplySink echoReplySink;

    /** Delivers echo replies to this node's own addresses to {@code sink} (they are answers to its own pings). */
    public void enableEchoReplies(EchoReplySink sink) {
        this.echoReplySink = sink;
    }

    /**
     * Enables cluster traffic on {@code udpPort}; cluster packets bypass the rule set (they are authenticated). A cluster
     * packet this node sends waits for its peer's MAC at most {@code packetMaxWaitNs} (see
     * {@link OwnPackets#sendClusterUdp}).
     */
    public void enableCluster(int udpPort, long packetMaxWaitNs, ClusterPacketSink sink) {
        this.clusterPort = udpPort;
        this.clusterPacketMaxWaitNs = packetMaxWaitNs;
        this.clusterSink = sink;
    }

    /** Passes packets of flows in buckets other nodes own to those nodes (SPEC §5.1). */
    public void enableDistribution(FlowDistribution flowDistribution) {
        this.distribution = flowDistribution;
        passing.enable(flowDistribution);
        arpHandler.enable(flowDistribution);
    }

    /** Sends frames whose bucket owner cannot be reached on their segment to it through {@code frameTunnel}. */
    public void enableTunnel(FrameTunnel frameTunnel) {
        this.tunnel = frameTunnel;
        passing.enableTunnel(frameTunnel);
    }

    /** Holds the first packet of new flows matched by {@code sync strict} rules in {@code queue} (SPEC §5.6). */
    public void enableDefer(DeferQueue queue) {
        enableDefer(queue, false);
    }

    /** {@code strictTcpByDefault}: new TCP flows of rules without a {@code sync} option are deferred too. */
    public void enableDefer(DeferQueue queue, boolean strictTcpByDefault) {
        this.defer = queue;
        this.strictTcpByDefault = strictTcpByDefault;
    }

    public ForwardingPipeline(NodeConfig config, Effects effects, DataplaneCounters counters, LocalAddresses local,
                              Conntrack conntrack, CompiledRuleSet rules) {
        this.effects = effects;
        this.counters = counters;
        this.local = local;
        this.conntrack = conntrack;
        this.rules = rules;
        List<NodeConfig.InterfaceConfig> itfs = config.interfaces();
        this.routes = new RouteTable(itfs, config.routes());
        this.neighbours = new ArpCache(config.limits().arpCacheEntries(), config.limits().arpPendingPerNeighbour());
        this.fragments = new FragmentTracker(FragmentTracker.DEFAULT_CAPACITY, FragmentTracker.DEFAULT_TIMEOUT_NS);
        int n = itfs.size();
        macs = new long[n];
        mtus = new int[n];
        for (NodeConfig.InterfaceConfig itf : itfs) {
            macs[itf.index()] = itf.mac();
            mtus[itf.index()] = itf.mtu();
        }
        this.replies = new Replies(effects, counters, macs, new TokenBucket(config.limits().icmpErrorsPerSecond()));
        this.own = new OwnPackets(effects, counters, local, neighbours, replies, macs);
        this.passing = new OwnerPassing(effects, counters, neighbours, macs);
        this.arpHandler = new ArpHandler(itfs, effects, counters, local, neighbours, replies);
    }

    public void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags) {
        counters.received(ifIndex, length);
        ParseError error = eth.wrap(frame, length);
        if (error != ParseError.OK) {
            counters.malformed(ifIndex, error);
            return;
        }
        int type = eth.etherType();
        if (type == EthernetFrame.ETHERTYPE_IPV4) {
            onIpv4(nowNs, ifIndex, frame, length, offloadFlags);
        } else if (type == EthernetFrame.ETHERTYPE_ARP) {
            arpHandler.onArp(nowNs, ifIndex, frame, eth.payloadOffset(), length);
        } else {
            counters.dropped(ifIndex, DropReason.UNSUPPORTED_ETHERTYPE);
        }
    }

    // ---------------------------------------------------------------- IPv4

    private void onIpv4(long nowNs, int inIf, MemorySegment frame, int length, int offload) {
        int offset = eth.payloadOffset();
        ParseError error = ip.wrap(frame, offset, length - offset);
        if (error != ParseError.OK) {
            counters.malformed(inIf, error);
            return;
        }
        if (eth.dst() != macs[inIf]) {
            counters.dropped(inIf, DropReason.NOT_FOR_US);
            return;
        }
        int dst = ip.dst();
        if (local.isLocal(dst)) {
            onLocal(nowNs, inIf, frame, length, offload);
            return;
        }
        int nextHop = routes.lookup(dst);
        int outIf = routes.lastInterface();
        if (outIf < 0) {
            replies.icmpError(nowNs, inIf, local.sourceAddress(inIf), eth, ip, null, frame,
                    IcmpMessage.DEST_UNREACHABLE, IcmpMessage.UNREACH_NET, 0);
            counters.dropped(inIf, DropReason.NO_ROUTE);
            return;
        }
        if (ip.ttl() <= 1) {
            replies.icmpError(nowNs, inIf, local.sourceAddress(inIf), eth, ip, peekIcmp(frame), frame,
                    IcmpMessage.TIME_EXCEEDED, IcmpMessage.TIME_EXCEEDED_TTL, 0);
            counters.dropped(inIf, DropReason.TTL_EXPIRED);
            return;
        }
        deferSlot = -1;
        if (!ip.carriesL4Header()) {
            if (!admitLaterFragment(nowNs, inIf, length, offload)) {
                return;
            }
        } else if (!filter(nowNs, inIf, outIf, frame, length, offload)) {
            return;
        }
        if (deferSlot >= 0 && (deferFirst
                ? defer.holdFirst(nowNs, deferSlot, distribution == null ? -1 : distribution.replicasOf(key.symmetricHash()),
                        inIf, outIf, nextHop, frame, length, offload)
                : defer.holdFollower(nowNs, deferSlot, inIf, outIf, nextHop, frame, length, offload))) {
            return; // copied: it leaves through transmit() when the cluster has its flow or the timeout expires
        }
        transmit(nowNs, inIf, outIf, nextHop, frame, length, offload);
    }

    private IcmpMessage peekIcmp(MemorySegment frame) {
        if (ip.protocol() != Ipv4Packet.PROTO_ICMP || !ip.carriesL4Header()) {
            return null;
        }
        return icmp.wrap(frame, ip.payloadOffset(), ip.payloadLength()) == ParseError.OK ? icmp : null;
    }

    private boolean admitLaterFragment(long nowNs, int inIf, int length, int offload) {
        int verdict = fragments.verdictFor(ip.src(), ip.dst(), ip.protocol(), ip.identification(),
                ip.fragmentOffset(), ip.payloadLength(), nowNs);
        if (verdict == FragmentTracker.UNKNOWN) {
            counters.dropped(inIf, DropReason.FRAGMENT_UNKNOWN);
            return false;
        }
        if (verdict < 0) { // OVERLAP or TOO_MANY_RANGES
            counters.dropped(inIf, DropReason.FRAGMENT_OVERLAP);
            return false;
        }
        if (verdict >= FRAGMENT_REDIRECT_BASE) {
            if (!passing.passTo(eth, inIf, verdict - FRAGMENT_REDIRECT_BASE, length, offload, tunnelled)) {
                counters.dropped(inIf, DropReason.FILTER_DROP); // its first fragment went to the owner: so must it
            }
            return false;
        }
        if (verdict != FRAGMENT_ACCEPTED) {
            counters.dropped(inIf, DropReason.FILTER_DROP);
            return false;
        }
        return true;
    }

    /** Connection tracking and the rule set; returns whether the packet may be forwarded. */
    private boolean filter(long nowNs, int inIf, int outIf, MemorySegment frame, int length, int offload) {
        if (!extractTransport(inIf, frame, offload)) {
            return false;
        }
        // An ICMP error stands for the flow it quotes: key becomes that flow's key, once, for the bucket and for
        // conntrack. A quote that does not parse makes the packet INVALID here.
        boolean icmpError = ip.protocol() == Ipv4Packet.PROTO_ICMP && icmp.isError();
        boolean quoteParsed = icmpError && embedded.parse(ip.segment(), icmp, ip);
        if (quoteParsed) {
            embedded.fillKey(key);
        }
        int handler = distribution == null || (icmpError && !quoteParsed) ? FlowDistribution.HERE
                : distribution.handlerOf(key.symmetricHash());
        if (handler != FlowDistribution.HERE && redirect(nowNs, inIf, handler, length, offload)) {
            return false; // the bucket's owner handles it
        }
        boolean notOwned = handler != FlowDistribution.HERE; // and yet handled here (loop guard, owner unreachable)
        int state = !icmpError ? (notOwned ? conntrack.classifyNotOwned(key, facts, nowNs)
                : conntrack.classify(key, facts, nowNs))
                : quoteParsed && conntrack.lookupRelated(key) >= 0 ? CtState.RELATED : CtState.INVALID;
        FilterInput in = filterInput;
        in.inIf = inIf;
        in.outIf = outIf;
        in.family = 4;
        in.srcV4 = ip.src();
        in.dstV4 = ip.dst();
        in.ctState = state;
        int rule = rules.match(in);
        rules.count(rule, length);
        Action action = rules.action(rule);
        if (rules.logs(rule) && logBudget.tryTake(nowNs)) {
            effects.log("rule", rules.describe(rule) + " " + action + " " + describePacket(inIf));
        }
        // Invalid packets (e.g. out of the TCP window) pass only a rule that names `state invalid`: a rule without
        // a state match, or the default policy, never lets them through.
        boolean accepted = action == Action.ACCEPT
                && (state != CtState.INVALID || rules.namesState(rule, CtState.INVALID));
        if (ip.moreFragments()) {
            fragments.recordFirst(ip.src(), ip.dst(), ip.protocol(), ip.identification(),
                    accepted ? FRAGMENT_ACCEPTED : FRAGMENT_REFUSED, ip.payloadLength(), nowNs);
        }
        if (!accepted) {
            refuse(nowNs, inIf, frame, action, state);
            return false;
        }
        int slot = state == CtState.NEW ? conntrack.create(key, facts, nowNs)
                : state == CtState.ESTABLISHED ? conntrack.lastSlot() : -1;
        if (state == CtState.NEW && slot < 0) {
            counters.dropped(inIf, DropReason.CT_FULL);
            return false;
        }
        SyncMode mode = rules.sync(rule);
        if (state == CtState.NEW && mode == SyncMode.OFF) {
            conntrack.keepLocal(slot); // `sync off`: this flow is not replicated (SPEC §5.6)
        }
        if (defer != null && slot >= 0) {
            deferFirst = state == CtState.NEW && (mode == SyncMode.STRICT
                    || (mode == SyncMode.DEFAULT && strictTcpByDefault && ip.protocol() == Ipv4Packet.PROTO_TCP));
            // a later packet of a held flow waits behind it, or it would overtake the flow's first packet
            deferSlot = deferFirst || defer.holds(slot) ? slot : -1;
        }
        return true;
    }

    private void refuse(long nowNs, int inIf, MemorySegment frame, Action action, int state) {
        if (state == CtState.INVALID && action == Action.ACCEPT) {
            counters.dropped(inIf, DropReason.CT_INVALID);
        } else if (action == Action.REJECT) {
            if (ip.protocol() == Ipv4Packet.PROTO_TCP) {
                replies.tcpReset(nowNs, inIf, eth, ip, tcp);
            } else {
                int code = ip.protocol() == Ipv4Packet.PROTO_UDP ? IcmpMessage.UNREACH_PORT : IcmpMessage.UNREACH_ADMIN_PROHIBITED;
                replies.icmpError(nowNs, inIf, local.sourceAddress(inIf), eth, ip, peekIcmp(frame), frame,
                        IcmpMessage.DEST_UNREACHABLE, code, 0);
            }
            counters.dropped(inIf, DropReason.FILTER_REJECT);
        } else {
            counters.dropped(inIf, state == CtState.INVALID ? DropReason.CT_INVALID : DropReason.FILTER_DROP);
        }
    }

    /** Parses the transport header into the flow key, the packet facts and the filter input. */
    private boolean extractTransport(int inIf, MemorySegment frame, int offload) {
        int proto = ip.protocol();
        int l4 = ip.payloadOffset();
        int l4Length = ip.payloadLength();
        boolean verify = !ip.isFragment() && (offload & (Offload.CSUM_PARTIAL | Offload.CSUM_VALID)) == 0;
        PacketFacts f = facts;
        FilterInput in = filterInput;
        f.protocol = proto;
        f.length = ip.totalLength();
        f.tcpFlags = 0;
        in.protocol = proto;
        in.srcPort = 0;
        in.dstPort = 0;
        in.icmpType = -1;
        in.icmpCode = -1;
        ParseError error = ParseError.OK;
        switch (proto) {
            case Ipv4Packet.PROTO_TCP -> {
                error = tcp.wrap(frame, l4, l4Length);
                if (error == ParseError.OK && verify && !tcp.checksumValid(ip.src(), ip.dst())) {
                    error = ParseError.TCP_BAD_CHECKSUM;
                }
                if (error == ParseError.OK) {
                    in.srcPort = tcp.srcPort();
                    in.dstPort = tcp.dstPort();
                    key.setV4(proto, ip.src(), tcp.srcPort(), ip.dst(), tcp.dstPort());
                    f.tcpFlags = tcp.flags();
                    f.seq = tcp.seq();
                    f.ack = tcp.ack();
                    f.window = tcp.window();
                    f.payloadLength = tcp.payloadLength();
                    f.windowScale = tcp.windowScale();
                    f.sackPermitted = tcp.sackPermitted();
                }
            }
            case Ipv4Packet.PROTO_UDP -> {
                error = udp.wrap(frame, l4, l4Length);
                if (error == ParseError.OK && verify && !udp.checksumValid(ip.src(), ip.dst())) {
                    error = ParseError.UDP_BAD_CHECKSUM;
                }
                if (error == ParseError.OK) {
                    in.srcPort = udp.srcPort();
                    in.dstPort = udp.dstPort();
                    key.setV4(proto, ip.src(), udp.srcPort(), ip.dst(), udp.dstPort());
                    f.payloadLength = udp.payloadLength();
                }
            }
            case Ipv4Packet.PROTO_ICMP -> {
                error = icmp.wrap(frame, l4, l4Length);
                if (error == ParseError.OK && !ip.isFragment() && !icmp.checksumValid()) {
                    error = ParseError.ICMP_BAD_CHECKSUM;
                }
                if (error == ParseError.OK) {
                    in.icmpType = icmp.type();
                    in.icmpCode = icmp.code();
                    f.icmpType = icmp.type();
                    f.icmpCode = icmp.code();
                    f.icmpId = icmp.identifier();
                    int id = icmp.isError() ? 0 : icmp.identifier();
                    key.setV4(proto, ip.src(), id, ip.dst(), id);
                }
            }
            default -> key.setV4(proto, ip.src(), 0, ip.dst(), 0);
        }
        if (error != ParseError.OK) {
            counters.malformed(inIf, error);
            return false;
        }
        return true;
    }

    /**
     * Passes the packet to {@code node}, the owner of its flow's bucket ({@link #key}: for an ICMP error the quoted
     * flow); false if it is handled here after all (the loop guard, or the owner cannot be reached).
     */
    private boolean redirect(long nowNs, int inIf, int node, int length, int offload) {
        if (!passing.passTo(eth, inIf, node, length, offload, tunnelled)) {
            return false;
        }
        if (ip.moreFragments()) {
            fragments.recordFirst(ip.src(), ip.dst(), ip.protocol(), ip.identification(),
                    FRAGMENT_REDIRECT_BASE + node, ip.payloadLength(), nowNs);
        }
        return true;
    }

    /**
     * Processes the frames other members sent here encapsulated (whole again) as if they had arrived on the
     * interface they name. Called by the node between frames, never from inside one: this reuses the packet views.
     */
    public void deliverTunnelled(long nowNs) {
        if (tunnel != null && tunnel.readyFrames() > 0) {
            tunnel.drain(nowNs, tunnelledFrames);
        }
    }

    private void onTunnelledFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offload) {
        if (ifIndex < 0 || ifIndex >= macs.length) {
            return; // the tunnel admits only this node's interfaces
        }
        if (eth.wrap(frame, length) == ParseError.OK) {
            eth.setDst(macs[ifIndex]); // the sender passed it on as it came: addressed to the sender's interface
        }
        tunnelled = true;
        try {
            onFrame(nowNs, ifIndex, frame, length, offload);
        } finally {
            tunnelled = false;
        }
    }

    private String describePacket(int inIf) {
        return "in=" + inIf + " src=" + Ipv4Address.format(ip.src()) + " dst=" + Ipv4Address.format(ip.dst())
                + " proto=" + ip.protocol() + " sport=" + filterInput.srcPort + " dport=" + filterInput.dstPort
                + " len=" + ip.totalLength();
    }

    // ---------------------------------------------------------------- local delivery and egress

    private void onLocal(long nowNs, int inIf, MemorySegment frame, int length, int offload) {
        if (clusterSink != null && ip.protocol() == Ipv4Packet.PROTO_UDP && !ip.isFragment()
                && ip.dst() == local.ownAddress(inIf)
                && udp.wrap(frame, ip.payloadOffset(), ip.payloadLength()) == ParseError.OK
                && udp.dstPort() == clusterPort) {
            if ((offload & (Offload.CSUM_PARTIAL | Offload.CSUM_VALID)) == 0 && !udp.checksumValid(ip.src(), ip.dst())) {
                counters.malformed(inIf, ParseError.UDP_BAD_CHECKSUM);
                return;
            }
            clusterSink.onClusterPacket(nowNs, inIf, ip.src(), frame, udp.payloadOffset(), udp.payloadLength());
            return;
        }
        if (ip.protocol() == Ipv4Packet.PROTO_ICMP && !ip.isFragment()
                && icmp.wrap(frame, ip.payloadOffset(), ip.payloadLength()) == ParseError.OK
                && icmp.checksumValid()) {
            if (icmp.type() == IcmpMessage.ECHO_REQUEST) {
                replies.echoReply(inIf, frame, length, eth, ip, icmp);
                return;
            }
            if (icmp.type() == IcmpMessage.ECHO_REPLY && echoReplySink != null && ip.dst() == local.ownAddress(inIf)) {
                echoReplySink.onEchoReply(nowNs, inIf, ip.src(), icmp.identifier(), icmp.sequence());
                return;
            }
        }
        counters.dropped(inIf, DropReason.LOCAL_UNHANDLED);
    }

    private void transmit(long nowNs, int inIf, int outIf, int nextHop, MemorySegment frame, int length, int offload) {
        if ((offload & Offload.GSO) == 0 && ip.totalLength() > mtus[outIf]) {
            if (ip.dontFragment()) {
                replies.icmpError(nowNs, inIf, local.sourceAddress(inIf), eth, ip, peekIcmp(frame), frame,
                        IcmpMessage.DEST_UNREACHABLE, IcmpMessage.UNREACH_FRAG_NEEDED, mtus[outIf]);
            }
            counters.dropped(inIf, DropReason.MTU_EXCEEDED);
            return;
        }
        ip.decrementTtl();
        eth.setSrc(macs[outIf]);
        long mac = neighbours.lookup(nextHop);
        if (mac < 0) {
            boolean ask = neighbours.enqueue(nextHop, outIf, frame, length, offload, nowNs);
            if (neighbours.lastEnqueueRefused()) {
                counters.dropped(inIf, DropReason.NEIGHBOUR_UNRESOLVED);
            }
            if (ask) {
                replies.arpRequest(outIf, local.sourceAddress(outIf), nextHop);
            }
            return;
        }
        if (neighbours.needsRefresh(nextHop, nowNs)) {
            replies.arpRequest(outIf, local.sourceAddress(outIf), nextHop);
        }
        eth.setDst(mac);
        effects.sendFrame(outIf, frame, length, offload);
        counters.transmitted(outIf, length);
        counters.countForwarded(inIf);
    }

    // ---------------------------------------------------------------- timers and control

    /**
     * Forwards the held packets that are due (acknowledged by every peer, or timed out). Called by the node between
     * frames, never from inside one: transmit() reuses this pipeline's packet views.
     */
    public void releaseDeferred(long nowNs) {
        if (defer != null) {
            defer.release(nowNs, deferredRelease);
        }
    }

    /** A held packet continues where it stopped: routed and filtered, now transmitted. */
    private final class DeferredRelease implements DeferQueue.Sink {
        @Override
        public void send(long nowNs, int inIf, int outIf, int nextHop, MemorySegment frame, int length, int offload) {
            if (eth.wrap(frame, length) != ParseError.OK) {
                return;
            }
            int offset = eth.payloadOffset();
            if (ip.wrap(frame, offset, length - offset) != ParseError.OK) {
                return;
            }
            transmit(nowNs, inIf, outIf, nextHop, frame, length, offload);
        }
    }

    public void onTick(long nowNs) {
        arpHandler.onTick(nowNs);
    }

    public long nextDeadlineNs() {
        return neighbours.nextDeadlineNs();
    }

    public void gratuitousArp(int ifIndex, int vip) {
        replies.gratuitousArp(ifIndex, vip);
    }

    /**
     * Sends a cluster packet as UDP from this node's own address on {@code ifIndex} to {@code dstIp}; if the peer's
     * MAC is not known yet, the packet waits for it at most the time given to {@link #enableCluster} (see
     * {@link OwnPackets#sendClusterUdp}).
     */
    public boolean sendClusterUdp(long nowNs, int ifIndex, int dstIp, byte[] payload, int length) {
        return own.sendClusterUdp(nowNs, ifIndex, dstIp, payload, length, clusterPort, clusterPacketMaxWaitNs);
    }

    /** Sends an ICMP echo request from this node's own address (see {@link OwnPackets#sendEchoRequest}). */
    public boolean sendEchoRequest(long nowNs, int ifIndex, int dstIp, int identifier, int sequence) {
        return own.sendEchoRequest(nowNs, ifIndex, dstIp, identifier, sequence);
    }

    /** A neighbour another cluster member resolved (see {@link ArpHandler#learnFromPeer}); true if learned. */
    public boolean learnNeighbourFromPeer(long nowNs, int ip, long mac) {
        return arpHandler.learnFromPeer(nowNs, ip, mac);
    }

    public ArpCache neighbours() {
        return neighbours;
    }
}
