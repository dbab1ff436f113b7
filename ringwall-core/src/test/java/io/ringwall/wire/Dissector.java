package io.ringwall.wire;

import java.lang.foreign.MemorySegment;

/**
 * Walks a frame through the views the way the data plane does and touches every accessor of
 * each view that said OK, so tests and fuzzers can check that nothing throws. Returns the first
 * error met (OK if the whole frame parsed).
 */
final class Dissector {
    final EthernetFrame eth = new EthernetFrame();
    final ArpPacket arp = new ArpPacket();
    final Ipv4Packet ip = new Ipv4Packet();
    final Ipv4Packet quoted = new Ipv4Packet();
    final TcpSegment tcp = new TcpSegment();
    final UdpDatagram udp = new UdpDatagram();
    final IcmpMessage icmp = new IcmpMessage();
    long sink; // accessor results go here so the JIT cannot drop the calls

    ParseError frame(MemorySegment s, int length) {
        ParseError e = eth.wrap(s, length);
        if (e != ParseError.OK) {
            return e;
        }
        touchEthernet();
        return switch (eth.etherType()) {
            case EthernetFrame.ETHERTYPE_ARP -> arp(s, eth.payloadOffset(), eth.payloadLength());
            case EthernetFrame.ETHERTYPE_IPV4 -> ipv4(s, eth.payloadOffset(), eth.payloadLength());
            default -> ParseError.OK;
        };
    }

    ParseError arp(MemorySegment s, int offset, int length) {
        ParseError e = arp.wrap(s, offset, length);
        if (e == ParseError.OK) {
            sink += arp.operation() + arp.senderMac() + arp.senderIp() + arp.targetMac() + arp.targetIp()
                    + (arp.isGratuitous() ? 1 : 0);
        }
        return e;
    }

    ParseError ipv4(MemorySegment s, int offset, int length) {
        ParseError e = ip.wrap(s, offset, length);
        if (e != ParseError.OK) {
            return e;
        }
        touchIpv4(ip);
        if (!ip.carriesL4Header()) {
            return ParseError.OK;
        }
        return switch (ip.protocol()) {
            case Ipv4Packet.PROTO_TCP -> tcp(s, ip.payloadOffset(), ip.payloadLength(), ip.src(), ip.dst());
            case Ipv4Packet.PROTO_UDP -> udp(s, ip.payloadOffset(), ip.payloadLength(), ip.src(), ip.dst());
            case Ipv4Packet.PROTO_ICMP -> icmp(s, ip.payloadOffset(), ip.payloadLength());
            default -> ParseError.OK;
        };
    }

    ParseError tcp(MemorySegment s, int offset, int length, int src, int dst) {
        ParseError e = tcp.wrap(s, offset, length);
        if (e == ParseError.OK) {
            sink += tcp.srcPort() + tcp.dstPort() + tcp.seq() + tcp.ack() + tcp.flags() + tcp.window()
                    + tcp.checksum() + tcp.urgentPointer() + tcp.headerLength() + tcp.payloadOffset()
                    + tcp.payloadLength() + tcp.mss() + tcp.windowScale() + tcp.tsVal() + tcp.tsEcr()
                    + (tcp.sackPermitted() ? 1 : 0) + (tcp.hasTimestamps() ? 1 : 0) + (tcp.checksumValid(src, dst) ? 1 : 0);
            for (int i = 0; i < tcp.sackBlockCount(); i++) {
                sink += tcp.sackLeft(i) + tcp.sackRight(i);
            }
        }
        return e;
    }

    ParseError udp(MemorySegment s, int offset, int length, int src, int dst) {
        ParseError e = udp.wrap(s, offset, length);
        if (e == ParseError.OK) {
            sink += udp.srcPort() + udp.dstPort() + udp.checksum() + udp.length() + udp.payloadOffset()
                    + udp.payloadLength() + (udp.checksumValid(src, dst) ? 1 : 0);
        }
        return e;
    }

    ParseError icmp(MemorySegment s, int offset, int length) {
        ParseError e = icmp.wrap(s, offset, length);
        if (e != ParseError.OK) {
            return e;
        }
        sink += icmp.type() + icmp.code() + icmp.checksum() + icmp.identifier() + icmp.sequence() + icmp.nextHopMtu()
                + icmp.embeddedOffset() + icmp.embeddedLength() + icmp.length() + (icmp.checksumValid() ? 1 : 0);
        if (icmp.isError() && quoted.wrapQuoted(s, icmp.embeddedOffset(), icmp.embeddedLength()) == ParseError.OK) {
            touchIpv4(quoted);
        }
        return ParseError.OK;
    }

    private void touchEthernet() {
        sink += eth.dst() + eth.src() + eth.etherType() + eth.vlanId() + eth.payloadOffset() + eth.payloadLength()
                + eth.length() + (eth.isBroadcast() ? 1 : 0);
    }

    private void touchIpv4(Ipv4Packet p) {
        sink += p.headerLength() + p.totalLength() + p.tos() + p.ttl() + p.protocol() + p.src() + p.dst()
                + p.identification() + p.checksum() + p.fragmentOffset() + p.payloadOffset() + p.payloadLength()
                + (p.moreFragments() ? 1 : 0) + (p.dontFragment() ? 1 : 0) + (p.isFragment() ? 1 : 0);
    }
}
