package io.ringwall.sim.packet;

import static io.ringwall.sim.packet.Bytes.i32;
import static io.ringwall.sim.packet.Bytes.mac;
import static io.ringwall.sim.packet.Bytes.u16;
import static io.ringwall.sim.packet.Bytes.u32;
import static io.ringwall.sim.packet.Bytes.u8;

/**
 * A received frame decoded by a simulated host. {@link #parse} never throws: malformed input
 * yields {@link Kind#MALFORMED}, a wrong checksum {@link Kind#BAD_CHECKSUM} (hosts are honest and
 * drop such frames, so a node that corrupts a checksum shows up as lost traffic).
 */
public final class ParsedFrame {
    public enum Kind { ARP, ICMP, UDP, TCP, OTHER_IP, OTHER, MALFORMED, BAD_CHECKSUM }

    public Kind kind;
    public long dstMac, srcMac;
    // ARP
    public int arpOp, arpSenderIp, arpTargetIp;
    public long arpSenderMac;
    // IPv4
    public int srcIp, dstIp, ttl, protocol, l4Offset, l4Length;
    // TCP / UDP
    public int srcPort, dstPort;
    public long seq, ack;
    public int tcpFlags, window, tcpHeaderLength;
    // ICMP
    public int icmpType, icmpCode, icmpRest;
    public byte[] bytes;

    private ParsedFrame() {
    }

    public static ParsedFrame parse(byte[] f) {
        ParsedFrame p = new ParsedFrame();
        p.bytes = f;
        p.kind = p.decode(f);
        return p;
    }

    private Kind decode(byte[] f) {
        if (f.length < FrameWriter.ETH_HEADER) {
            return Kind.MALFORMED;
        }
        dstMac = mac(f, 0);
        srcMac = mac(f, 6);
        int etherType = u16(f, 12);
        if (etherType == FrameWriter.ETHERTYPE_ARP) {
            return decodeArp(f, FrameWriter.ETH_HEADER);
        }
        if (etherType != FrameWriter.ETHERTYPE_IPV4) {
            return Kind.OTHER;
        }
        return decodeIpv4(f, FrameWriter.ETH_HEADER);
    }

    private Kind decodeArp(byte[] f, int a) {
        if (f.length < a + 28 || u16(f, a) != 1 || u16(f, a + 2) != FrameWriter.ETHERTYPE_IPV4) {
            return Kind.MALFORMED;
        }
        arpOp = u16(f, a + 6);
        arpSenderMac = mac(f, a + 8);
        arpSenderIp = i32(f, a + 14);
        arpTargetIp = i32(f, a + 24);
        return Kind.ARP;
    }

    private Kind decodeIpv4(byte[] f, int ip) {
        if (f.length < ip + FrameWriter.IPV4_HEADER || (u8(f, ip) >>> 4) != 4) {
            return Kind.MALFORMED;
        }
        int headerLength = (u8(f, ip) & 0xF) * 4;
        int totalLength = u16(f, ip + 2);
        if (headerLength < 20 || totalLength < headerLength || ip + totalLength > f.length) {
            return Kind.MALFORMED;
        }
        if (InternetChecksum.finish(InternetChecksum.add(0, f, ip, headerLength)) != 0) {
            return Kind.BAD_CHECKSUM;
        }
        if ((u16(f, ip + 6) & 0x3FFF) != 0) {
            return Kind.OTHER_IP; // fragments: simulated hosts never fragment, so they never reassemble
        }
        ttl = u8(f, ip + 8);
        protocol = u8(f, ip + 9);
        srcIp = i32(f, ip + 12);
        dstIp = i32(f, ip + 16);
        l4Offset = ip + headerLength;
        l4Length = totalLength - headerLength;
        return switch (protocol) {
            case FrameWriter.PROTO_ICMP -> decodeIcmp(f);
            case FrameWriter.PROTO_UDP -> decodeUdp(f);
            case FrameWriter.PROTO_TCP -> decodeTcp(f);
            default -> Kind.OTHER_IP;
        };
    }

    private Kind decodeIcmp(byte[] f) {
        if (l4Length < 8) {
            return Kind.MALFORMED;
        }
        if (InternetChecksum.finish(InternetChecksum.add(0, f, l4Offset, l4Length)) != 0) {
            return Kind.BAD_CHECKSUM;
        }
        icmpType = u8(f, l4Offset);
        icmpCode = u8(f, l4Offset + 1);
        icmpRest = i32(f, l4Offset + 4);
        return Kind.ICMP;
    }

    private Kind decodeUdp(byte[] f) {
        if (l4Length < 8 || u16(f, l4Offset + 4) != l4Length) {
            return Kind.MALFORMED;
        }
        if (u16(f, l4Offset + 6) != 0 && !l4ChecksumOk(f)) {
            return Kind.BAD_CHECKSUM;
        }
        srcPort = u16(f, l4Offset);
        dstPort = u16(f, l4Offset + 2);
        return Kind.UDP;
    }

    private Kind decodeTcp(byte[] f) {
        if (l4Length < 20) {
            return Kind.MALFORMED;
        }
        tcpHeaderLength = (u8(f, l4Offset + 12) >>> 4) * 4;
        if (tcpHeaderLength < 20 || tcpHeaderLength > l4Length) {
            return Kind.MALFORMED;
        }
        if (!l4ChecksumOk(f)) {
            return Kind.BAD_CHECKSUM;
        }
        srcPort = u16(f, l4Offset);
        dstPort = u16(f, l4Offset + 2);
        seq = u32(f, l4Offset + 4);
        ack = u32(f, l4Offset + 8);
        tcpFlags = u8(f, l4Offset + 13);
        window = u16(f, l4Offset + 14);
        return Kind.TCP;
    }

    private boolean l4ChecksumOk(byte[] f) {
        long sum = InternetChecksum.pseudoHeader(srcIp, dstIp, protocol, l4Length);
        return InternetChecksum.finish(InternetChecksum.add(sum, f, l4Offset, l4Length)) == 0;
    }

    /** Offset of the UDP payload or the TCP data. */
    public int payloadOffset() {
        return l4Offset + (kind == Kind.TCP ? tcpHeaderLength : 8);
    }

    public int payloadLength() {
        return l4Length - (kind == Kind.TCP ? tcpHeaderLength : 8);
    }
}
