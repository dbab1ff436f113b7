package io.ringwall.wire;

import static io.ringwall.wire.SampleFrames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class FrameBuilderTest {
    private static final long HOST_MAC = 0x3c22fb1a2b3cL;
    private static final long ROUTER_MAC = 0x00163e5a7b01L;
    private final Dissector d = new Dissector();

    @Test
    void builtSynMatchesTheLiteralSynByteForByteExceptIpId() {
        byte[] options = bytes("020405b40402080a0009a3f10000000001030307");
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.tcp(s, ROUTER_MAC, HOST_MAC, ip("192.168.1.10"), ip("93.184.216.34"), 64,
                51234, 443, 0x3b9aca07, 0, TcpSegment.SYN, 64240, options, null, 0);
        byte[] expected = bytes(TCP_SYN);
        assertThat(len).isEqualTo(expected.length);
        assertThat(d.frame(s, len)).isEqualTo(ParseError.OK);
        assertThat(d.tcp.checksumValid(d.ip.src(), d.ip.dst())).isTrue();
        // The literal has IP id 0x1c46 and DF; the builder writes id 0 and no DF, so the IP
        // checksum differs too: compare everything after the IP header.
        byte[] built = s.asSlice(34, len - 34).toArray(ValueLayout.JAVA_BYTE);
        assertThat(built).isEqualTo(java.util.Arrays.copyOfRange(expected, 34, expected.length));
    }

    @Test
    void unalignedTcpOptionsArePaddedToAWordBoundary() {
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        MemorySegment payload = MemorySegment.ofArray("hello".getBytes());
        int len = FrameBuilder.tcp(s, ROUTER_MAC, HOST_MAC, ip("10.0.0.1"), ip("10.0.0.2"), 64,
                1, 2, 3, 4, TcpSegment.SYN, 1000, bytes("030306"), payload, 5);
        assertThat(d.frame(s, len)).isEqualTo(ParseError.OK);
        assertThat(d.tcp.headerLength()).isEqualTo(24);
        assertThat(d.tcp.windowScale()).isEqualTo(6);
        assertThat(d.tcp.payloadLength()).isEqualTo(5);
        assertThat(s.asSlice(d.tcp.payloadOffset(), 5).toArray(ValueLayout.JAVA_BYTE)).isEqualTo("hello".getBytes());
    }

    @Test
    void builtUdpInNativeMemoryValidates() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(256);
            MemorySegment payload = MemorySegment.ofArray(new byte[]{9, 8, 7});
            int len = FrameBuilder.udp(s, ROUTER_MAC, HOST_MAC, ip("10.0.0.5"), ip("8.8.8.8"), 3, 5000, 53, payload, 3);
            assertThat(len).isEqualTo(14 + 20 + 8 + 3);
            assertThat(d.frame(s, len)).isEqualTo(ParseError.OK);
            assertThat(d.ip.ttl()).isEqualTo(3);
            assertThat(d.udp.dstPort()).isEqualTo(53);
            assertThat(d.udp.checksum()).isNotZero();
            assertThat(d.udp.checksumValid(d.ip.src(), d.ip.dst())).isTrue();
        }
    }

    /** A payload written in place first, then the headers around it: the very bytes {@code udp} builds. */
    @Test
    void udpAroundAPayloadInPlaceIsTheSameFrameAsUdp() {
        byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        MemorySegment built = NativeFrames.allocate(128);
        MemorySegment inPlace = NativeFrames.allocate(128);
        int a = FrameBuilder.udp(built, ROUTER_MAC, HOST_MAC, ip("10.0.0.5"), ip("10.0.0.9"), 64, 7400, 7400,
                MemorySegment.ofArray(payload), payload.length);
        NativeFrames.copyIn(payload, 0, inPlace, FrameBuilder.UDP_PAYLOAD_OFFSET, payload.length);
        int b = FrameBuilder.udpAroundPayload(inPlace, ROUTER_MAC, HOST_MAC, ip("10.0.0.5"), ip("10.0.0.9"), 64,
                7400, 7400, payload.length);
        assertThat(b).isEqualTo(a);
        assertThat(inPlace.asSlice(0, b).toArray(ValueLayout.JAVA_BYTE))
                .isEqualTo(built.asSlice(0, a).toArray(ValueLayout.JAVA_BYTE));
        assertThat(d.frame(inPlace, b)).isEqualTo(ParseError.OK);
        assertThat(d.udp.checksumValid(d.ip.src(), d.ip.dst())).isTrue();
    }

    @Test
    void builtEchoCarriesIdSequenceAndPattern() {
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.icmpEcho(s, ROUTER_MAC, HOST_MAC, ip("10.0.0.5"), ip("10.0.0.1"), 64,
                IcmpMessage.ECHO_REPLY, 0x1f2e, 7, 16);
        assertThat(d.frame(s, len)).isEqualTo(ParseError.OK);
        assertThat(d.icmp.type()).isEqualTo(IcmpMessage.ECHO_REPLY);
        assertThat(d.icmp.identifier()).isEqualTo(0x1f2e);
        assertThat(d.icmp.sequence()).isEqualTo(7);
        assertThat(d.icmp.embeddedLength()).isEqualTo(16);
        assertThat(d.icmp.checksumValid()).isTrue();
        assertThat(s.get(ValueLayout.JAVA_BYTE, d.icmp.embeddedOffset() + 15)).isEqualTo((byte) 15);
    }

    @Test
    void icmpErrorQuotesTheOriginalHeaderAndEightBytes() {
        MemorySegment original = segment(UDP_DNS);
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.icmpError(s, HOST_MAC, ROUTER_MAC, ip("10.0.0.1"), ip("10.0.0.5"),
                IcmpMessage.DEST_UNREACHABLE, IcmpMessage.UNREACH_PORT, original, 14, (int) original.byteSize() - 14, 0);
        assertThat(len).isEqualTo(14 + 20 + 8 + 20 + 8);
        assertThat(d.frame(s, len)).isEqualTo(ParseError.OK);
        assertThat(d.icmp.isError()).isTrue();
        assertThat(d.icmp.code()).isEqualTo(IcmpMessage.UNREACH_PORT);
        assertThat(d.icmp.checksumValid()).isTrue();
        assertThat(s.asSlice(d.icmp.embeddedOffset(), 28).toArray(ValueLayout.JAVA_BYTE))
                .isEqualTo(original.asSlice(14, 28).toArray(ValueLayout.JAVA_BYTE));
        assertThat(d.quoted.wrapQuoted(s, d.icmp.embeddedOffset(), d.icmp.embeddedLength())).isEqualTo(ParseError.OK);
        assertThat(d.quoted.dst()).isEqualTo(ip("8.8.8.8"));
    }

    @Test
    void fragmentationNeededCarriesTheNextHopMtu() {
        MemorySegment original = segment(UDP_DNS);
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.icmpError(s, HOST_MAC, ROUTER_MAC, ip("10.0.0.1"), ip("10.0.0.5"),
                IcmpMessage.DEST_UNREACHABLE, IcmpMessage.UNREACH_FRAG_NEEDED, original, 14,
                (int) original.byteSize() - 14, 1400);
        assertThat(d.frame(s, len)).isEqualTo(ParseError.OK);
        assertThat(d.icmp.nextHopMtu()).isEqualTo(1400);
        assertThat(d.icmp.identifier()).isZero();
        assertThat(d.icmp.checksumValid()).isTrue();
    }

    @Test
    void icmpErrorAboutAShortDatagramQuotesWhatThereIs() {
        MemorySegment original = MemorySegment.ofArray(new byte[24]);
        Ipv4Packet.writeHeader(original, 0, 24, 1, 1, 99, ip("10.0.0.5"), ip("10.9.9.9"));
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.icmpError(s, HOST_MAC, ROUTER_MAC, ip("10.0.0.1"), ip("10.0.0.5"),
                IcmpMessage.TIME_EXCEEDED, IcmpMessage.TIME_EXCEEDED_TTL, original, 0, 24, 0);
        assertThat(len).isEqualTo(14 + 20 + 8 + 24);
        assertThat(d.frame(s, len)).isEqualTo(ParseError.OK);
    }
}
