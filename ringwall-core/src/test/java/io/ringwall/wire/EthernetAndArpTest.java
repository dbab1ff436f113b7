package io.ringwall.wire;

import static io.ringwall.wire.SampleFrames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EthernetAndArpTest {
    private final EthernetFrame eth = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();

    @Test
    void capturedArpRequestParsesFieldByField() {
        MemorySegment s = segment(ARP_REQUEST);
        assertThat(eth.wrap(s, (int) s.byteSize())).isEqualTo(ParseError.OK);
        assertThat(eth.dst()).isEqualTo(EthernetFrame.BROADCAST);
        assertThat(eth.isBroadcast()).isTrue();
        assertThat(eth.src()).isEqualTo(MacAddress.parse("00:07:0d:af:f4:54"));
        assertThat(eth.etherType()).isEqualTo(EthernetFrame.ETHERTYPE_ARP);
        assertThat(eth.vlanId()).isEqualTo(-1);
        assertThat(eth.payloadOffset()).isEqualTo(14);

        assertThat(arp.wrap(s, eth.payloadOffset(), eth.payloadLength())).isEqualTo(ParseError.OK);
        assertThat(arp.operation()).isEqualTo(ArpPacket.OP_REQUEST);
        assertThat(arp.senderMac()).isEqualTo(MacAddress.parse("00:07:0d:af:f4:54"));
        assertThat(arp.senderIp()).isEqualTo(ip("24.166.172.1"));
        assertThat(arp.targetMac()).isZero();
        assertThat(arp.targetIp()).isEqualTo(ip("24.166.173.159"));
        assertThat(arp.isGratuitous()).isFalse();
    }

    @Test
    void vlanTaggedFrameExposesInnerTypeAndVlanId() {
        // The ARP request with an 802.1Q tag (PCP 3, VLAN 100) inserted after the MACs.
        String tagged = ARP_REQUEST.substring(0, 24) + "8100" + "6064" + ARP_REQUEST.substring(24);
        MemorySegment s = segment(tagged);
        assertThat(eth.wrap(s, (int) s.byteSize())).isEqualTo(ParseError.OK);
        assertThat(eth.etherType()).isEqualTo(EthernetFrame.ETHERTYPE_ARP);
        assertThat(eth.vlanId()).isEqualTo(100);
        assertThat(eth.payloadOffset()).isEqualTo(18);
        assertThat(arp.wrap(s, eth.payloadOffset(), eth.payloadLength())).isEqualTo(ParseError.OK);
        assertThat(arp.targetIp()).isEqualTo(ip("24.166.173.159"));
    }

    @Test
    void doubleTaggedFrameIsRefused() {
        String qinq = ARP_REQUEST.substring(0, 24) + "81000064" + "81000065" + ARP_REQUEST.substring(24);
        MemorySegment s = segment(qinq);
        assertThat(eth.wrap(s, (int) s.byteSize())).isEqualTo(ParseError.ETH_BAD_VLAN);
    }

    @Test
    void lengthBeyondSegmentIsTruncatedNotAnException() {
        MemorySegment s = segment(ARP_REQUEST);
        assertThat(eth.wrap(s, (int) s.byteSize() + 1)).isEqualTo(ParseError.TRUNCATED);
        assertThat(eth.wrap(s, 13)).isEqualTo(ParseError.TRUNCATED);
        assertThat(arp.wrap(s, 14, 29)).isEqualTo(ParseError.TRUNCATED);
        assertThat(arp.wrap(s, -1, 28)).isEqualTo(ParseError.TRUNCATED);
    }

    @Test
    void nonEthernetOrNonIpv4ArpIsUnsupported() {
        byte[] b = bytes(ARP_REQUEST);
        b[14 + 1] = 6; // hardware type 6 (IEEE 802)
        assertThat(arp.wrap(MemorySegment.ofArray(b), 14, 28)).isEqualTo(ParseError.ARP_UNSUPPORTED);
        b = bytes(ARP_REQUEST);
        b[14 + 7] = 3; // RARP request
        assertThat(arp.wrap(MemorySegment.ofArray(b), 14, 28)).isEqualTo(ParseError.ARP_UNSUPPORTED);
    }

    @Test
    void settingMacsRewritesTheFrameInPlace() {
        MemorySegment s = segment(ARP_REQUEST);
        eth.wrap(s, (int) s.byteSize());
        eth.setDst(0x0200_0000_0001L);
        eth.setSrc(0x0200_0000_0002L);
        assertThat(HexFormat.of().formatHex(s.asSlice(0, 12).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)))
                .isEqualTo("020000000001020000000002");
    }

    @Test
    void writtenArpReplyIsReadBackFromNativeMemory() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(64);
            int len = FrameBuilder.arp(s, 0x00070daff454L, 0x020000000001L, ArpPacket.OP_REPLY,
                    0x020000000001L, ip("24.166.173.159"), 0x00070daff454L, ip("24.166.172.1"));
            assertThat(len).isEqualTo(42);
            assertThat(eth.wrap(s, len)).isEqualTo(ParseError.OK);
            assertThat(eth.dst()).isEqualTo(0x00070daff454L);
            assertThat(eth.etherType()).isEqualTo(EthernetFrame.ETHERTYPE_ARP);
            assertThat(arp.wrap(s, 14, len - 14)).isEqualTo(ParseError.OK);
            assertThat(arp.operation()).isEqualTo(ArpPacket.OP_REPLY);
            assertThat(arp.senderMac()).isEqualTo(0x020000000001L);
            assertThat(arp.senderIp()).isEqualTo(ip("24.166.173.159"));
            assertThat(arp.targetIp()).isEqualTo(ip("24.166.172.1"));
        }
    }
}
