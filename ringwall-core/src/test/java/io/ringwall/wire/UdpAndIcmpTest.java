package io.ringwall.wire;

import static io.ringwall.wire.SampleFrames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class UdpAndIcmpTest {
    private static final int L4 = 34;
    private final Ipv4Packet ip = new Ipv4Packet();
    private final UdpDatagram udp = new UdpDatagram();
    private final IcmpMessage icmp = new IcmpMessage();

    @Test
    void dnsQueryParsesFieldByField() {
        MemorySegment s = segment(UDP_DNS);
        assertThat(ip.wrap(s, 14, (int) s.byteSize() - 14)).isEqualTo(ParseError.OK);
        assertThat(ip.protocol()).isEqualTo(Ipv4Packet.PROTO_UDP);
        assertThat(udp.wrap(s, ip.payloadOffset(), ip.payloadLength())).isEqualTo(ParseError.OK);
        assertThat(udp.srcPort()).isEqualTo(53001);
        assertThat(udp.dstPort()).isEqualTo(53);
        assertThat(udp.length()).isEqualTo(37);
        assertThat(udp.payloadOffset()).isEqualTo(L4 + 8);
        assertThat(udp.payloadLength()).isEqualTo(29);
        assertThat(udp.checksum()).isEqualTo(0x9b15);
        assertThat(udp.checksumValid(ip.src(), ip.dst())).isTrue();
        assertThat(udp.checksumValid(ip.src(), ip("8.8.4.4"))).isFalse();
    }

    @Test
    void zeroUdpChecksumMeansNoneAndIsValid() {
        byte[] b = bytes(UDP_DNS);
        b[L4 + 6] = 0;
        b[L4 + 7] = 0;
        assertThat(udp.wrap(MemorySegment.ofArray(b), L4, b.length - L4)).isEqualTo(ParseError.OK);
        assertThat(udp.checksumValid(ip("10.0.0.5"), ip("8.8.8.8"))).isTrue();
        udp.setDstPort(5353); // must not invent a checksum
        assertThat(udp.checksum()).isZero();
    }

    @Test
    void udpLengthOutsideHeaderAndPayloadIsRefused() {
        byte[] b = bytes(UDP_DNS);
        b[L4 + 5] = 7;
        assertThat(udp.wrap(MemorySegment.ofArray(b), L4, b.length - L4)).isEqualTo(ParseError.UDP_BAD_LENGTH);
        b[L4 + 5] = 38; // one more than the IP payload
        assertThat(udp.wrap(MemorySegment.ofArray(b), L4, b.length - L4)).isEqualTo(ParseError.UDP_BAD_LENGTH);
    }

    @Test
    void rewritingUdpPortsKeepsTheChecksumValid() {
        MemorySegment s = segment(UDP_DNS);
        udp.wrap(s, L4, (int) s.byteSize() - L4);
        udp.setSrcPort(40000);
        assertThat(udp.srcPort()).isEqualTo(40000);
        assertThat(udp.checksumValid(ip("10.0.0.5"), ip("8.8.8.8"))).isTrue();
    }

    @Test
    void echoRequestParsesFieldByField() {
        MemorySegment s = segment(ICMP_ECHO);
        assertThat(ip.wrap(s, 14, (int) s.byteSize() - 14)).isEqualTo(ParseError.OK);
        assertThat(icmp.wrap(s, ip.payloadOffset(), ip.payloadLength())).isEqualTo(ParseError.OK);
        assertThat(icmp.type()).isEqualTo(IcmpMessage.ECHO_REQUEST);
        assertThat(icmp.code()).isZero();
        assertThat(icmp.identifier()).isEqualTo(0x1f2e);
        assertThat(icmp.sequence()).isEqualTo(1);
        assertThat(icmp.isError()).isFalse();
        assertThat(icmp.length()).isEqualTo(56);
        assertThat(icmp.checksumValid()).isTrue();
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, s.byteSize() - 1, (byte) 0);
        assertThat(icmp.checksumValid()).isFalse();
    }

    @Test
    void timeExceededExposesTheQuotedDatagram() {
        MemorySegment s = segment(ICMP_TIME_EXCEEDED);
        assertThat(ip.wrap(s, 14, (int) s.byteSize() - 14)).isEqualTo(ParseError.OK);
        assertThat(icmp.wrap(s, ip.payloadOffset(), ip.payloadLength())).isEqualTo(ParseError.OK);
        assertThat(icmp.type()).isEqualTo(IcmpMessage.TIME_EXCEEDED);
        assertThat(icmp.code()).isEqualTo(IcmpMessage.TIME_EXCEEDED_TTL);
        assertThat(icmp.isError()).isTrue();
        assertThat(icmp.checksumValid()).isTrue();
        assertThat(icmp.embeddedOffset()).isEqualTo(L4 + 8);
        assertThat(icmp.embeddedLength()).isEqualTo(28);

        // The quoted header declares 60 bytes but only 28 are quoted: wrap() refuses, wrapQuoted() reads it.
        Ipv4Packet quoted = new Ipv4Packet();
        assertThat(quoted.wrap(s, icmp.embeddedOffset(), icmp.embeddedLength())).isEqualTo(ParseError.TRUNCATED);
        assertThat(quoted.wrapQuoted(s, icmp.embeddedOffset(), icmp.embeddedLength())).isEqualTo(ParseError.OK);
        assertThat(quoted.src()).isEqualTo(ip("10.0.0.5"));
        assertThat(quoted.dst()).isEqualTo(ip("203.0.113.9"));
        assertThat(quoted.protocol()).isEqualTo(Ipv4Packet.PROTO_UDP);
        assertThat(quoted.ttl()).isEqualTo(1);
        assertThat(quoted.payloadLength()).isEqualTo(8);
        int q = quoted.payloadOffset();
        assertThat(s.get(BigEndian.U16, q) & 0xFFFF).isEqualTo(33434);
        assertThat(s.get(BigEndian.U16, q + 2) & 0xFFFF).isEqualTo(33435);
    }

    @Test
    void errorWithoutAQuotedIpHeaderIsTruncated() {
        byte[] b = bytes(ICMP_TIME_EXCEEDED);
        assertThat(icmp.wrap(MemorySegment.ofArray(b), L4, 8 + 19)).isEqualTo(ParseError.ICMP_TRUNCATED);
        b[L4 + 8] = 0x65; // quoted "header" is not IPv4
        assertThat(icmp.wrap(MemorySegment.ofArray(b), L4, b.length - L4)).isEqualTo(ParseError.ICMP_TRUNCATED);
        assertThat(icmp.wrap(MemorySegment.ofArray(b), L4, 7)).isEqualTo(ParseError.ICMP_TRUNCATED);
    }
}
