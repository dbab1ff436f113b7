package io.ringwall.wire;

import static io.ringwall.wire.SampleFrames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Ipv4PacketTest {
    private static final int IP = 14;
    private final Ipv4Packet ip = new Ipv4Packet();

    @Test
    void synHeaderParsesFieldByField() {
        MemorySegment s = segment(TCP_SYN);
        assertThat(ip.wrap(s, IP, (int) s.byteSize() - IP)).isEqualTo(ParseError.OK);
        assertThat(ip.headerLength()).isEqualTo(20);
        assertThat(ip.totalLength()).isEqualTo(60);
        assertThat(ip.identification()).isEqualTo(0x1c46);
        assertThat(ip.dontFragment()).isTrue();
        assertThat(ip.moreFragments()).isFalse();
        assertThat(ip.fragmentOffset()).isZero();
        assertThat(ip.isFragment()).isFalse();
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.protocol()).isEqualTo(Ipv4Packet.PROTO_TCP);
        assertThat(ip.checksum()).isEqualTo(0x26e9);
        assertThat(ip.src()).isEqualTo(ip("192.168.1.10"));
        assertThat(ip.dst()).isEqualTo(ip("93.184.216.34"));
        assertThat(ip.payloadOffset()).isEqualTo(34);
        assertThat(ip.payloadLength()).isEqualTo(40);
    }

    @Test
    void trailingEthernetPaddingIsIgnored() {
        MemorySegment s = segment(UDP_DNS + "000000000000");
        assertThat(ip.wrap(s, IP, (int) s.byteSize() - IP)).isEqualTo(ParseError.OK);
        assertThat(ip.totalLength()).isEqualTo(0x39);
        assertThat(ip.payloadLength()).isEqualTo(0x39 - 20);
    }

    @Test
    void wrongVersionIsRefused() {
        assertThat(wrapMutated(b -> b[IP] = 0x65)).isEqualTo(ParseError.IP_BAD_VERSION);
    }

    @Test
    void headerLengthBelowFiveWordsIsRefused() {
        assertThat(wrapMutated(b -> b[IP] = 0x44)).isEqualTo(ParseError.IP_BAD_HEADER_LENGTH);
    }

    @Test
    void totalLengthSmallerThanHeaderIsRefused() {
        assertThat(wrapMutated(b -> { b[IP + 2] = 0; b[IP + 3] = 19; })).isEqualTo(ParseError.IP_BAD_TOTAL_LENGTH);
    }

    @Test
    void totalLengthBeyondTheBytesPresentIsTruncated() {
        assertThat(wrapMutated(b -> b[IP + 3] = 0x3d)).isEqualTo(ParseError.TRUNCATED);
    }

    @Test
    void corruptedHeaderFailsTheChecksum() {
        byte[] b = bytes(TCP_SYN);
        b[IP + 8] = 63; // TTL changed without fixing the checksum
        assertThat(ip.wrap(MemorySegment.ofArray(b), IP, b.length - IP)).isEqualTo(ParseError.IP_BAD_CHECKSUM);
    }

    @Test
    void wellFormedOptionsAreAccepted() {
        // Router alert (RFC 2113): 94 04 00 00 -> IHL 6.
        assertThat(wrapWithOptions("94040000")).isEqualTo(ParseError.OK);
        assertThat(ip.headerLength()).isEqualTo(24);
        assertThat(ip.payloadOffset()).isEqualTo(IP + 24);
        // NOPs then EOL followed by padding garbage is fine.
        assertThat(wrapWithOptions("010100ff")).isEqualTo(ParseError.OK);
    }

    @Test
    void optionsRunningPastTheHeaderAreRefused() {
        assertThat(wrapWithOptions("94080000")).isEqualTo(ParseError.IP_BAD_OPTIONS); // length 8 in a 4-byte area
        assertThat(wrapWithOptions("94010000")).isEqualTo(ParseError.IP_BAD_OPTIONS); // length below 2
        assertThat(wrapWithOptions("01010194")).isEqualTo(ParseError.IP_BAD_OPTIONS); // no room for the length byte
    }

    @Test
    void tinyFirstTcpFragmentIsBogus() {
        // First fragment (MF) of TCP carrying only 8 bytes: the flags would arrive in a later fragment.
        assertThat(wrapFragment(Ipv4Packet.PROTO_TCP, 0x2000, 8)).isEqualTo(ParseError.IP_BOGUS_FRAGMENT);
        assertThat(wrapFragment(Ipv4Packet.PROTO_TCP, 0x2000, 24)).isEqualTo(ParseError.OK);
        assertThat(ip.isFragment()).isTrue();
        assertThat(ip.moreFragments()).isTrue();
        assertThat(wrapFragment(Ipv4Packet.PROTO_UDP, 0x2000, 8)).isEqualTo(ParseError.OK);
    }

    @Test
    void tcpFragmentAtOffsetOneIsBogus() {
        assertThat(wrapFragment(Ipv4Packet.PROTO_TCP, 0x0001, 12)).isEqualTo(ParseError.IP_BOGUS_FRAGMENT);
        assertThat(wrapFragment(Ipv4Packet.PROTO_UDP, 0x0001, 12)).isEqualTo(ParseError.OK);
        assertThat(ip.fragmentOffset()).isEqualTo(8);
    }

    @Test
    void fragmentEndingBeyond64KibIsBogus() {
        assertThat(wrapFragment(Ipv4Packet.PROTO_UDP, 0x1FFF, 16)).isEqualTo(ParseError.IP_BOGUS_FRAGMENT); // 65528 + 16
        assertThat(wrapFragment(Ipv4Packet.PROTO_UDP, 0x1FFF, 7)).isEqualTo(ParseError.OK);
        assertThat(ip.fragmentOffset()).isEqualTo(65528);
    }

    @Test
    void nonLastFragmentNotMultipleOfEightIsBogus() {
        assertThat(wrapFragment(Ipv4Packet.PROTO_UDP, 0x2000 | 4, 12)).isEqualTo(ParseError.IP_BOGUS_FRAGMENT);
    }

    @Test
    void decrementTtlKeepsTheChecksumEqualToAFullRecompute() {
        MemorySegment s = segment(TCP_SYN);
        ip.wrap(s, IP, (int) s.byteSize() - IP);
        ip.decrementTtl();
        assertThat(ip.ttl()).isEqualTo(63);
        assertThat(ip.checksum()).isEqualTo(fullRecompute(s));
        assertThat(new Ipv4Packet().wrap(s, IP, (int) s.byteSize() - IP)).isEqualTo(ParseError.OK);
    }

    @Test
    void rewritingAddressesKeepsTheChecksumEqualToAFullRecompute() {
        MemorySegment s = segment(UDP_DNS);
        ip.wrap(s, IP, (int) s.byteSize() - IP);
        ip.setSrc(ip("198.51.100.77"));
        ip.setDst(ip("203.0.113.250"));
        assertThat(ip.src()).isEqualTo(ip("198.51.100.77"));
        assertThat(ip.dst()).isEqualTo(ip("203.0.113.250"));
        assertThat(ip.checksum()).isEqualTo(fullRecompute(s));
    }

    @Test
    void writtenHeaderValidates() {
        MemorySegment s = MemorySegment.ofArray(new byte[40]);
        assertThat(Ipv4Packet.writeHeader(s, 0, 40, 0xbeef, 5, Ipv4Packet.PROTO_UDP, ip("10.1.2.3"), ip("10.3.2.1"))).isEqualTo(20);
        assertThat(ip.wrap(s, 0, 40)).isEqualTo(ParseError.OK);
        assertThat(ip.identification()).isEqualTo(0xbeef);
        assertThat(ip.ttl()).isEqualTo(5);
        assertThat(ip.dontFragment()).isFalse();
        assertThat(ip.src()).isEqualTo(ip("10.1.2.3"));
    }

    private static int fullRecompute(MemorySegment s) {
        byte[] copy = s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        copy[IP + 10] = 0;
        copy[IP + 11] = 0;
        return Checksums.fold(Checksums.sum(MemorySegment.ofArray(copy), IP, 20, 0));
    }

    /** Applies the mutation, fixes the header checksum so only the mutation is wrong, and wraps. */
    private ParseError wrapMutated(java.util.function.Consumer<byte[]> mutation) {
        byte[] b = bytes(TCP_SYN);
        mutation.accept(b);
        fixChecksum(b, IP, 20);
        return ip.wrap(MemorySegment.ofArray(b), IP, b.length - IP);
    }

    private ParseError wrapWithOptions(String optionsHex) {
        byte[] options = bytes(optionsHex);
        byte[] syn = bytes(TCP_SYN);
        byte[] b = new byte[syn.length + options.length];
        System.arraycopy(syn, 0, b, 0, IP + 20);
        System.arraycopy(options, 0, b, IP + 20, options.length);
        System.arraycopy(syn, IP + 20, b, IP + 20 + options.length, syn.length - IP - 20);
        int hl = 20 + options.length;
        b[IP] = (byte) (0x40 | hl / 4);
        b[IP + 3] = (byte) (b[IP + 3] + options.length);
        fixChecksum(b, IP, hl);
        return ip.wrap(MemorySegment.ofArray(b), IP, b.length - IP);
    }

    private ParseError wrapFragment(int protocol, int flagsAndOffset, int payloadLength) {
        MemorySegment s = MemorySegment.ofArray(new byte[20 + payloadLength]);
        Ipv4Packet.writeHeader(s, 0, 20 + payloadLength, 0x1234, 64, protocol, ip("10.0.0.1"), ip("10.0.0.2"));
        byte[] b = s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        b[6] = (byte) (flagsAndOffset >>> 8);
        b[7] = (byte) flagsAndOffset;
        fixChecksum(b, 0, 20);
        return ip.wrap(MemorySegment.ofArray(b), 0, b.length);
    }

    static void fixChecksum(byte[] b, int offset, int headerLength) {
        b[offset + 10] = 0;
        b[offset + 11] = 0;
        int c = Checksums.fold(Checksums.sum(MemorySegment.ofArray(b), offset, headerLength, 0));
        b[offset + 10] = (byte) (c >>> 8);
        b[offset + 11] = (byte) c;
    }
}
