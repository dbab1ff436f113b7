package io.ringwall.dataplane;

import io.ringwall.node.Effects;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.FrameBuilder;
import io.ringwall.wire.IcmpMessage;
import io.ringwall.wire.NativeFrames;
import java.lang.foreign.MemorySegment;

/**
 * Packets this node originates itself (cluster UDP, the tie-breaker's pings), as opposed to the frames the
 * pipeline forwards: built in preallocated scratch buffers and sent to an on-link peer, resolving its MAC like any
 * next hop. Single-threaded like the pipeline that owns it.
 */
final class OwnPackets {
    static final int CLUSTER_PAYLOAD_MAX = 8_192;
    private static final int CLUSTER_TTL = 64;
    /** Own pings are tiny; their frames are built here so no buffer is allocated per probe. */
    private static final int ECHO_PAYLOAD = 16;

    private final Effects effects;
    private final DataplaneCounters counters;
    private final LocalAddresses local;
    private final ArpCache neighbours;
    private final Replies replies;
    private final long[] macs;
    /** Cluster packets are built here: the caller's payload is copied in once, into its place in the frame. */
    private final MemorySegment clusterScratch = NativeFrames.allocate(FrameBuilder.UDP_PAYLOAD_OFFSET
            + CLUSTER_PAYLOAD_MAX);
    private final MemorySegment echoScratch = NativeFrames.allocate(128);
    /** Re-wrapped for every send: it only sets the destination MAC of the frame in the scratch buffer. */
    private final EthernetFrame view = new EthernetFrame();

    OwnPackets(Effects effects, DataplaneCounters counters, LocalAddresses local, ArpCache neighbours, Replies replies,
               long[] macs) {
        this.effects = effects;
        this.counters = counters;
        this.local = local;
        this.neighbours = neighbours;
        this.replies = replies;
        this.macs = macs;
    }

    /**
     * Sends a cluster packet as UDP from this node's own address on {@code ifIndex} to {@code dstIp}
     * (a peer's address on the same subnet), resolving the peer's MAC like any next hop. If the MAC is unknown the
     * packet waits for it at most {@code maxWaitNs}: an ARP request goes unanswered for up to
     * {@link ArpCache#REQUEST_TRIES} seconds (a peer that is down), and a token or 911 sent that late — to a peer
     * that has restarted meanwhile — would be taken for a current one. Returns false if the packet cannot be sent
     * (no own address there, too large, or no cluster port).
     */
    boolean sendClusterUdp(long nowNs, int ifIndex, int dstIp, byte[] payload, int length, int clusterPort,
                           long maxWaitNs) {
        int src = local.ownAddress(ifIndex);
        if (src == 0 || length > CLUSTER_PAYLOAD_MAX || clusterPort == 0) {
            return false;
        }
        NativeFrames.copyIn(payload, 0, clusterScratch, FrameBuilder.UDP_PAYLOAD_OFFSET, length);
        int n = FrameBuilder.udpAroundPayload(clusterScratch, 0L, macs[ifIndex], src, dstIp, CLUSTER_TTL, clusterPort,
                clusterPort, length);
        return sendOwn(nowNs, ifIndex, src, dstIp, clusterScratch, n, false, nowNs + maxWaitNs);
    }

    /**
     * Sends an ICMP echo request from this node's own address on {@code ifIndex} to the on-link {@code dstIp},
     * resolving its MAC like any next hop (the request waits in the ARP queue meanwhile). Returns false if it
     * cannot be sent (no own address on that interface, or the neighbour queue is full).
     */
    boolean sendEchoRequest(long nowNs, int ifIndex, int dstIp, int identifier, int sequence) {
        int src = local.ownAddress(ifIndex);
        if (src == 0) {
            return false;
        }
        int n = FrameBuilder.icmpEcho(echoScratch, 0L, macs[ifIndex], src, dstIp, CLUSTER_TTL, IcmpMessage.ECHO_REQUEST,
                identifier, sequence, ECHO_PAYLOAD);
        return sendOwn(nowNs, ifIndex, src, dstIp, echoScratch, n, true, ArpCache.NEVER_STALE);
    }

    /**
     * Sends a frame this node built in {@code scratch} (its own packet from {@code src}) to the on-link
     * {@code dstIp}: with its MAC if known, else queued behind an ARP request. {@code refresh}: also re-ask for a
     * MAC that is about to go stale (a monitor must notice a neighbour that moved); {@code staleAtNs}: when a frame
     * queued for the MAC is no longer sent. False if the neighbour queue refused the frame.
     */
    private boolean sendOwn(long nowNs, int ifIndex, int src, int dstIp, MemorySegment scratch, int n,
                            boolean refresh, long staleAtNs) {
        long mac = neighbours.lookup(dstIp);
        if (mac < 0) {
            if (neighbours.enqueue(dstIp, ifIndex, scratch, n, 0, nowNs, staleAtNs)) {
                replies.arpRequest(ifIndex, src, dstIp);
            }
            return !neighbours.lastEnqueueRefused();
        }
        if (refresh && neighbours.needsRefresh(dstIp, nowNs)) {
            replies.arpRequest(ifIndex, src, dstIp);
        }
        view.wrap(scratch, n);
        view.setDst(mac);
        effects.sendFrame(ifIndex, scratch, n, 0);
        counters.transmitted(ifIndex, n);
        return true;
    }
}
