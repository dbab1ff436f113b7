package io.ringwall.wire;

import java.lang.foreign.MemorySegment;

/**
 * Writes complete, valid Ethernet frames (untagged, IPv4 without options, correct checksums)
 * for tests, simulated hosts and packets the node generates itself. Each method returns the
 * frame length; the segment must be large enough.
 */
public final class FrameBuilder {
    /** TTL used for frames whose method takes no TTL (ICMP errors, as Linux's default). */
    public static final int DEFAULT_TTL = 64;
    /** Generated datagrams are small and never fragmented, so their identification carries no meaning (RFC 6864). */
    private static final int GENERATED_IP_ID = 0;
    private static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;
    private static final int L4_OFFSET = IP_OFFSET + Ipv4Packet.MIN_HEADER_LENGTH;
    /** Where a built UDP datagram's payload starts in its frame (no VLAN tag, no IP options). */
    public static final int UDP_PAYLOAD_OFFSET = L4_OFFSET + UdpDatagram.HEADER_LENGTH;
    private static final int TCP_MAX_OPTIONS_LENGTH = 40;

    private FrameBuilder() {}

    /** A TCP segment; {@code options} (may be null) is padded with EOL to a 4-byte boundary. */
    public static int tcp(MemorySegment s, long dstMac, long srcMac, int srcIp, int dstIp, int ttl,
                          int srcPort, int dstPort, int seq, int ack, int flags, int window,
                          byte[] options, MemorySegment payload, int payloadLen) {
        int optionsLength = options == null ? 0 : options.length;
        if (optionsLength > TCP_MAX_OPTIONS_LENGTH) {
            throw new IllegalArgumentException("TCP options longer than 40 bytes: " + optionsLength);
        }
        int paddedOptions = (optionsLength + 3) & ~3;
        int tcpLength = TcpSegment.MIN_HEADER_LENGTH + paddedOptions + payloadLen;
        EthernetFrame.write(s, dstMac, srcMac, EthernetFrame.ETHERTYPE_IPV4);
        Ipv4Packet.writeHeader(s, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH + tcpLength, GENERATED_IP_ID, ttl,
                Ipv4Packet.PROTO_TCP, srcIp, dstIp);
        int t = L4_OFFSET;
        BigEndian.setU16(s, t + TcpSegment.SRC_PORT_OFFSET, srcPort);
        BigEndian.setU16(s, t + TcpSegment.DST_PORT_OFFSET, dstPort);
        BigEndian.setI32(s, t + TcpSegment.SEQ_OFFSET, seq);
        BigEndian.setI32(s, t + TcpSegment.ACK_OFFSET, ack);
        BigEndian.setU8(s, t + TcpSegment.DATA_OFFSET_OFFSET, ((TcpSegment.MIN_HEADER_LENGTH + paddedOptions) / 4) << 4);
        BigEndian.setU8(s, t + TcpSegment.FLAGS_OFFSET, flags);
        BigEndian.setU16(s, t + TcpSegment.WINDOW_OFFSET, window);
        BigEndian.setU16(s, t + TcpSegment.URGENT_OFFSET, 0);
        int optionsAt = t + TcpSegment.MIN_HEADER_LENGTH;
        for (int i = 0; i < paddedOptions; i++) {
            BigEndian.setU8(s, optionsAt + i, i < optionsLength ? options[i] : TcpSegment.OPT_EOL);
        }
        copyPayload(s, optionsAt + paddedOptions, payload, payloadLen);
        TcpSegment.fillChecksum(s, t, tcpLength, srcIp, dstIp);
        return L4_OFFSET + tcpLength;
    }

    public static int udp(MemorySegment s, long dstMac, long srcMac, int srcIp, int dstIp, int ttl,
                          int srcPort, int dstPort, MemorySegment payload, int payloadLen) {
        copyPayload(s, UDP_PAYLOAD_OFFSET, payload, payloadLen);
        return udpAroundPayload(s, dstMac, srcMac, srcIp, dstIp, ttl, srcPort, dstPort, payloadLen);
    }

    /**
     * The same datagram as {@link #udp}, for a payload of {@code payloadLen} bytes its caller already wrote at
     * {@link #UDP_PAYLOAD_OFFSET} of {@code s}: headers and checksum around it, no copy.
     */
    public static int udpAroundPayload(MemorySegment s, long dstMac, long srcMac, int srcIp, int dstIp, int ttl,
                                       int srcPort, int dstPort, int payloadLen) {
        int udpLength = UdpDatagram.HEADER_LENGTH + payloadLen;
        EthernetFrame.write(s, dstMac, srcMac, EthernetFrame.ETHERTYPE_IPV4);
        Ipv4Packet.writeHeader(s, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH + udpLength, GENERATED_IP_ID, ttl,
                Ipv4Packet.PROTO_UDP, srcIp, dstIp);
        int u = L4_OFFSET;
        BigEndian.setU16(s, u + UdpDatagram.SRC_PORT_OFFSET, srcPort);
        BigEndian.setU16(s, u + UdpDatagram.DST_PORT_OFFSET, dstPort);
        BigEndian.setU16(s, u + UdpDatagram.LENGTH_OFFSET, udpLength);
        UdpDatagram.fillChecksum(s, u, udpLength, srcIp, dstIp);
        return L4_OFFSET + udpLength;
    }

    /** An echo request or reply ({@code type}) whose payload bytes count up from 0, like ping's pattern. */
    public static int icmpEcho(MemorySegment s, long dstMac, long srcMac, int srcIp, int dstIp, int ttl,
                               int type, int id, int seq, int payloadLen) {
        int icmpLength = IcmpMessage.HEADER_LENGTH + payloadLen;
        EthernetFrame.write(s, dstMac, srcMac, EthernetFrame.ETHERTYPE_IPV4);
        Ipv4Packet.writeHeader(s, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH + icmpLength, GENERATED_IP_ID, ttl,
                Ipv4Packet.PROTO_ICMP, srcIp, dstIp);
        int c = L4_OFFSET;
        BigEndian.setU8(s, c + IcmpMessage.TYPE_OFFSET, type);
        BigEndian.setU8(s, c + IcmpMessage.CODE_OFFSET, 0);
        BigEndian.setU16(s, c + IcmpMessage.IDENTIFIER_OFFSET, id);
        BigEndian.setU16(s, c + IcmpMessage.SEQUENCE_OFFSET, seq);
        for (int i = 0; i < payloadLen; i++) {
            BigEndian.setU8(s, c + IcmpMessage.HEADER_LENGTH + i, i);
        }
        IcmpMessage.fillChecksum(s, c, icmpLength);
        return L4_OFFSET + icmpLength;
    }

    /**
     * An ICMP error quoting the original datagram's IP header plus its first 8 data bytes (RFC 792),
     * or less if the original is shorter. {@code original} may be the very segment being replied to
     * only if it is not {@code s}. {@code nextHopMtu} goes into the low half of the otherwise unused
     * word, as "fragmentation needed" carries it (RFC 1191); 0 for every other error.
     */
    public static int icmpError(MemorySegment s, long dstMac, long srcMac, int srcIp, int dstIp, int type, int code,
                                MemorySegment original, int originalIpOffset, int originalIpLength, int nextHopMtu) {
        int originalHeaderLength = (BigEndian.u8(original, originalIpOffset) & 0x0F) * 4;
        int quoted = Math.min(originalIpLength, originalHeaderLength + IcmpMessage.QUOTED_DATA_LENGTH);
        int icmpLength = IcmpMessage.HEADER_LENGTH + quoted;
        EthernetFrame.write(s, dstMac, srcMac, EthernetFrame.ETHERTYPE_IPV4);
        Ipv4Packet.writeHeader(s, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH + icmpLength, GENERATED_IP_ID, DEFAULT_TTL,
                Ipv4Packet.PROTO_ICMP, srcIp, dstIp);
        int c = L4_OFFSET;
        BigEndian.setU8(s, c + IcmpMessage.TYPE_OFFSET, type);
        BigEndian.setU8(s, c + IcmpMessage.CODE_OFFSET, code);
        BigEndian.setI32(s, c + IcmpMessage.IDENTIFIER_OFFSET, nextHopMtu & 0xFFFF);
        MemorySegment.copy(original, originalIpOffset, s, c + IcmpMessage.HEADER_LENGTH, quoted);
        IcmpMessage.fillChecksum(s, c, icmpLength);
        return L4_OFFSET + icmpLength;
    }

    public static int arp(MemorySegment s, long dstMac, long srcMac, int op, long senderMac, int senderIp,
                          long targetMac, int targetIp) {
        EthernetFrame.write(s, dstMac, srcMac, EthernetFrame.ETHERTYPE_ARP);
        return EthernetFrame.HEADER_LENGTH
                + ArpPacket.write(s, EthernetFrame.HEADER_LENGTH, op, senderMac, senderIp, targetMac, targetIp);
    }

    private static void copyPayload(MemorySegment s, int at, MemorySegment payload, int payloadLen) {
        if (payloadLen > 0) {
            MemorySegment.copy(payload, 0, s, at, payloadLen);
        }
    }
}
