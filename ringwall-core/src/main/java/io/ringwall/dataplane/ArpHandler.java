package io.ringwall.dataplane;

import io.ringwall.node.Effects;
import io.ringwall.node.NodeConfig;
import io.ringwall.wire.ArpPacket;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.NativeFrames;
import io.ringwall.wire.ParseError;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The data plane's ARP: answers requests for this node's addresses and VIPs, learns neighbours (and sends the
 * frames that waited for them), tells the flow distribution which MAC each cluster member has, and retries or
 * gives up unanswered requests. Single-threaded like the pipeline that owns it.
 */
final class ArpHandler {
    private final Effects effects;
    private final DataplaneCounters counters;
    private final LocalAddresses local;
    private final ArpCache neighbours;
    private final Replies replies;
    private final int[] subnets;
    private final int[] prefixLengths;
    private final ArpPacket arp = new ArpPacket();
    /** The view for frames released from the neighbour queue (not the pipeline's: it holds the ARP frame). */
    private final EthernetFrame eth = new EthernetFrame();
    /** A queued frame is copied here to be sent: native, as every frame the node handles (see NativeFrames). */
    private MemorySegment sendBuffer = NativeFrames.allocate(2048);
    private final ArpCache.RetryVisitor retryVisitor = new NeighbourRetries();
    /** Null unless clustered. */
    private FlowDistribution distribution;

    ArpHandler(List<NodeConfig.InterfaceConfig> itfs, Effects effects, DataplaneCounters counters, LocalAddresses local,
               ArpCache neighbours, Replies replies) {
        this.effects = effects;
        this.counters = counters;
        this.local = local;
        this.neighbours = neighbours;
        this.replies = replies;
        subnets = new int[itfs.size()];
        prefixLengths = new int[itfs.size()];
        for (NodeConfig.InterfaceConfig itf : itfs) {
            subnets[itf.index()] = itf.subnetAddress();
            prefixLengths[itf.index()] = itf.prefixLength();
        }
    }

    void enable(FlowDistribution flowDistribution) {
        this.distribution = flowDistribution;
    }

    /** An ARP packet at {@code offset} of {@code frame} (after the Ethernet header) arrived on {@code ifIndex}. */
    void onArp(long nowNs, int ifIndex, MemorySegment frame, int offset, int length) {
        ParseError error = arp.wrap(frame, offset, length - offset);
        if (error != ParseError.OK) {
            counters.malformed(ifIndex, error);
            return;
        }
        int senderIp = arp.senderIp();
        int targetIp = arp.targetIp();
        boolean forUs = local.answersArp(ifIndex, targetIp);
        if (senderIp != 0 && onLink(ifIndex, senderIp) && !local.answersArp(ifIndex, senderIp)) {
            // Learn from requests aimed at us and refresh known neighbours from any ARP (gratuitous moves too).
            flush(nowNs, neighbours.learn(senderIp, arp.senderMac(), ifIndex, nowNs, forUs), arp.senderMac());
            if (distribution != null) {
                distribution.noteNeighbour(ifIndex, senderIp, arp.senderMac());
            }
        }
        if (arp.operation() == ArpPacket.OP_REQUEST && forUs && senderIp != targetIp) {
            replies.arpReply(ifIndex, arp.senderMac(), senderIp, targetIp);
        } else if (!forUs) {
            counters.dropped(ifIndex, DropReason.ARP_NOT_OURS);
        }
    }

    /**
     * A neighbour another cluster member resolved. Learned only if it lies on one of this node's links, is neither
     * its own address nor a VIP (owned by this node now or not: a VIP's MAC moves with failovers), is a unicast MAC
     * and is not resolved here already (this node's own answer wins); frames waiting for it go out at once. Returns
     * whether it was learned.
     */
    boolean learnFromPeer(long nowNs, int ip, long mac) {
        boolean unicast = mac > 0 && mac <= 0xFFFF_FFFF_FFFFL && (mac & 0x0100_0000_0000L) == 0;
        if (!unicast || neighbours.lookup(ip) != -1) {
            return false;
        }
        for (int ifIndex = 0; ifIndex < subnets.length; ifIndex++) {
            if (onLink(ifIndex, ip) && !local.ownOrVip(ifIndex, ip)) {
                flush(nowNs, neighbours.learn(ip, mac, ifIndex, nowNs, true), mac);
                counters.neighbourFromPeer();
                return true;
            }
        }
        return false;
    }

    private boolean onLink(int ifIndex, int address) {
        return Ipv4Address.inSubnet(address, subnets[ifIndex], prefixLengths[ifIndex]);
    }

    /**
     * Sends the frames that waited for a neighbour, now addressed to its {@code mac} (they all had it as next hop),
     * but for those gone stale meanwhile (this node's cluster packets: see {@link OwnPackets#sendClusterUdp}).
     */
    private void flush(long nowNs, List<ArpCache.PendingFrame> frames, long mac) {
        for (ArpCache.PendingFrame f : frames) {
            if (f.staleAt(nowNs)) {
                counters.dropped(f.ifIndex(), DropReason.CLUSTER_PACKET_STALE);
                continue;
            }
            byte[] bytes = f.frame();
            sendBuffer = NativeFrames.fill(sendBuffer, bytes);
            if (eth.wrap(sendBuffer, bytes.length) != ParseError.OK) {
                continue;
            }
            eth.setDst(mac);
            effects.sendFrame(f.ifIndex(), sendBuffer, bytes.length, f.offloadFlags());
            counters.transmitted(f.ifIndex(), bytes.length);
        }
    }

    void onTick(long nowNs) {
        neighbours.onTick(nowNs, retryVisitor);
    }

    /** Retries of unanswered ARP requests, and what happens when a neighbour never answers. */
    private final class NeighbourRetries implements ArpCache.RetryVisitor {
        @Override
        public void retry(int ifIndex, int targetIp) {
            replies.arpRequest(ifIndex, local.sourceAddress(ifIndex), targetIp);
        }

        @Override
        public void unreachable(int ifIndex, int targetIp, List<ArpCache.PendingFrame> frames) {
            for (int i = 0; i < frames.size(); i++) {
                counters.dropped(ifIndex, DropReason.NEIGHBOUR_UNRESOLVED);
            }
            effects.log("neighbour-unreachable", "if=" + ifIndex + " ip=" + Ipv4Address.format(targetIp)
                    + " dropped=" + frames.size());
        }
    }
}
