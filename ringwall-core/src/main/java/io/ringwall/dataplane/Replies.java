package io.ringwall.dataplane;

import io.ringwall.node.Effects;
import io.ringwall.wire.ArpPacket;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.FrameBuilder;
import io.ringwall.wire.IcmpMessage;
import io.ringwall.wire.Ipv4Packet;
import io.ringwall.wire.NativeFrames;
import io.ringwall.wire.TcpSegment;
import java.lang.foreign.MemorySegment;

/**
 * Packets the node originates: ARP replies, requests and announcements, ICMP errors, TCP resets.
 * Built into one preallocated scratch buffer; ICMP errors and resets are rate-limited by a token bucket.
 */
final class Replies {
    private final Effects effects;
    private final DataplaneCounters counters;
    private final long[] interfaceMacs;
    private final TokenBucket errorBudget;
    private final MemorySegment scratch = NativeFrames.allocate(2048);

    Replies(Effects effects, DataplaneCounters counters, long[] interfaceMacs, TokenBucket errorBudget) {
        this.effects = effects;
        this.counters = counters;
        this.interfaceMacs = interfaceMacs;
        this.errorBudget = errorBudget;
    }

    private void send(int ifIndex, int length) {
        effects.sendFrame(ifIndex, scratch, length, 0);
        counters.transmitted(ifIndex, length);
    }

    void arpReply(int ifIndex, long requesterMac, int requesterIp, int ownedIp) {
        long mac = interfaceMacs[ifIndex];
        int n = FrameBuilder.arp(scratch, requesterMac, mac, ArpPacket.OP_REPLY, mac, ownedIp, requesterMac, requesterIp);
        send(ifIndex, n);
    }

    void arpRequest(int ifIndex, int senderIp, int targetIp) {
        long mac = interfaceMacs[ifIndex];
        int n = FrameBuilder.arp(scratch, EthernetFrame.BROADCAST, mac, ArpPacket.OP_REQUEST, mac, senderIp, 0L, targetIp);
        send(ifIndex, n);
        counters.arpRequestSent();
    }

    /** Gratuitous ARP announcement (a request for the VIP itself, as Linux arping -U sends). */
    void gratuitousArp(int ifIndex, int vip) {
        long mac = interfaceMacs[ifIndex];
        int n = FrameBuilder.arp(scratch, EthernetFrame.BROADCAST, mac, ArpPacket.OP_REQUEST, mac, vip, 0L, vip);
        send(ifIndex, n);
    }

    /**
     * ICMP error about the IPv4 packet in {@code frame} (RFC 1812 §4.3.2.7: never about ICMP errors,
     * non-first fragments or link-level broadcasts). Returns whether one was sent.
     */
    boolean icmpError(long nowNs, int ifIndex, int sourceIp, EthernetFrame eth, Ipv4Packet ip, IcmpMessage icmpOrNull,
                      MemorySegment frame, int type, int code, int nextHopMtu) {
        if (sourceIp == 0 || eth.dst() == EthernetFrame.BROADCAST || !ip.carriesL4Header()
                || (icmpOrNull != null && icmpOrNull.isError()) || !errorBudget.tryTake(nowNs)) {
            return false;
        }
        int n = FrameBuilder.icmpError(scratch, eth.src(), interfaceMacs[ifIndex], sourceIp, ip.src(), type, code,
                frame, eth.payloadOffset(), ip.totalLength(), nextHopMtu);
        send(ifIndex, n);
        return true;
    }

    /** A TCP reset answering the segment in {@code tcp}, sent as if from its destination (like nftables' reject). */
    boolean tcpReset(long nowNs, int ifIndex, EthernetFrame eth, Ipv4Packet ip, TcpSegment tcp) {
        if ((tcp.flags() & TcpSegment.RST) != 0 || !errorBudget.tryTake(nowNs)) {
            return false;
        }
        int seq;
        int ack;
        int flags;
        if ((tcp.flags() & TcpSegment.ACK) != 0) {
            seq = tcp.ack();
            ack = 0;
            flags = TcpSegment.RST;
        } else {
            seq = 0;
            int consumed = tcp.payloadLength() + ((tcp.flags() & TcpSegment.SYN) != 0 ? 1 : 0)
                    + ((tcp.flags() & TcpSegment.FIN) != 0 ? 1 : 0);
            ack = tcp.seq() + consumed;
            flags = TcpSegment.RST | TcpSegment.ACK;
        }
        int n = FrameBuilder.tcp(scratch, eth.src(), interfaceMacs[ifIndex], ip.dst(), ip.src(), FrameBuilder.DEFAULT_TTL,
                tcp.dstPort(), tcp.srcPort(), seq, ack, flags, 0, null, null, 0);
        send(ifIndex, n);
        return true;
    }

    /** Turns an ICMP echo request to one of our addresses into the reply, in place, and sends it back. */
    void echoReply(int ifIndex, MemorySegment frame, int length, EthernetFrame eth, Ipv4Packet ip, IcmpMessage icmp) {
        long requester = eth.src();
        eth.setSrc(interfaceMacs[ifIndex]);
        eth.setDst(requester);
        int src = ip.src();
        int dst = ip.dst();
        ip.setSrc(dst);
        ip.setDst(src);
        icmp.setType(IcmpMessage.ECHO_REPLY);
        effects.sendFrame(ifIndex, frame, length, 0);
        counters.transmitted(ifIndex, length);
    }
}
