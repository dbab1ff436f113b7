package io.ringwall.wire;

import static io.ringwall.wire.SampleFrames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class TcpSegmentTest {
    private static final int TCP = 34;
    private final TcpSegment tcp = new TcpSegment();

    @Test
    void synWithLinuxOptionsParsesFieldByField() {
        MemorySegment s = segment(TCP_SYN);
        assertThat(tcp.wrap(s, TCP, 40)).isEqualTo(ParseError.OK);
        assertThat(tcp.srcPort()).isEqualTo(51234);
        assertThat(tcp.dstPort()).isEqualTo(443);
        assertThat(tcp.seq()).isEqualTo(0x3b9aca07);
        assertThat(tcp.ack()).isZero();
        assertThat(tcp.flags()).isEqualTo(TcpSegment.SYN);
        assertThat(tcp.window()).isEqualTo(64240);
        assertThat(tcp.headerLength()).isEqualTo(40);
        assertThat(tcp.payloadLength()).isZero();
        assertThat(tcp.mss()).isEqualTo(1460);
        assertThat(tcp.sackPermitted()).isTrue();
        assertThat(tcp.hasTimestamps()).isTrue();
        assertThat(tcp.tsVal()).isEqualTo(0x0009a3f1);
        assertThat(tcp.tsEcr()).isZero();
        assertThat(tcp.windowScale()).isEqualTo(7);
        assertThat(tcp.sackBlockCount()).isZero();
        assertThat(tcp.checksumValid(ip("192.168.1.10"), ip("93.184.216.34"))).isTrue();
        assertThat(tcp.checksumValid(ip("192.168.1.11"), ip("93.184.216.34"))).isFalse();
    }

    @Test
    void segmentWithoutOptionsReportsNone() {
        MemorySegment s = MemorySegment.ofArray(new byte[80]);
        int len = FrameBuilder.tcp(s, 1, 2, ip("10.0.0.1"), ip("10.0.0.2"), 64, 1000, 2000, 7, 9,
                TcpSegment.ACK | TcpSegment.PSH, 512, null, MemorySegment.ofArray(new byte[]{1, 2, 3}), 3);
        assertThat(tcp.wrap(s, TCP, len - TCP)).isEqualTo(ParseError.OK);
        assertThat(tcp.mss()).isEqualTo(-1);
        assertThat(tcp.windowScale()).isEqualTo(-1);
        assertThat(tcp.sackPermitted()).isFalse();
        assertThat(tcp.hasTimestamps()).isFalse();
        assertThat(tcp.payloadLength()).isEqualTo(3);
        assertThat(tcp.hasFlags(TcpSegment.ACK | TcpSegment.PSH)).isTrue();
    }

    @Test
    void windowScaleAboveFourteenIsClampedToFourteen() {
        assertThat(wrapWithOptions("03030f00")).isEqualTo(ParseError.OK);
        assertThat(tcp.windowScale()).isEqualTo(14);
    }

    @Test
    void sackBlocksAreReadable() {
        assertThat(wrapWithOptions("0101050a000003e8000007d0")).isEqualTo(ParseError.OK);
        assertThat(tcp.sackBlockCount()).isEqualTo(1);
        assertThat(tcp.sackLeft(0)).isEqualTo(1000);
        assertThat(tcp.sackRight(0)).isEqualTo(2000);
    }

    @Test
    void unknownOptionsAreSkippedByLength() {
        assertThat(wrapWithOptions("fe06aabbccdd020405dc0000")).isEqualTo(ParseError.OK); // experimental kind 254 then MSS
        assertThat(tcp.mss()).isEqualTo(1500);
    }

    @Test
    void optionsWithWrongLengthsAreRefused() {
        assertThat(wrapWithOptions("02030000")).isEqualTo(ParseError.TCP_BAD_OPTIONS); // MSS length 3
        assertThat(wrapWithOptions("03040700")).isEqualTo(ParseError.TCP_BAD_OPTIONS); // WS length 4
        assertThat(wrapWithOptions("04030000")).isEqualTo(ParseError.TCP_BAD_OPTIONS); // SACK_PERM length 3
        assertThat(wrapWithOptions("0806000000000000")).isEqualTo(ParseError.TCP_BAD_OPTIONS); // TS length 6
        assertThat(wrapWithOptions("050700000000000000000000")).isEqualTo(ParseError.TCP_BAD_OPTIONS); // SACK not 2+8n
        assertThat(wrapWithOptions("fe010000")).isEqualTo(ParseError.TCP_BAD_OPTIONS); // length below 2
        assertThat(wrapWithOptions("0101fe08")).isEqualTo(ParseError.TCP_BAD_OPTIONS); // runs past the header
        assertThat(wrapWithOptions("01010102")).isEqualTo(ParseError.TCP_BAD_OPTIONS); // no room for a length
    }

    @Test
    void dataOffsetBelowFiveOrBeyondTheSegmentIsRefused() {
        byte[] b = bytes(TCP_SYN);
        b[TCP + 12] = 0x40;
        assertThat(tcp.wrap(MemorySegment.ofArray(b), TCP, 40)).isEqualTo(ParseError.TCP_BAD_OFFSET);
        b[TCP + 12] = (byte) 0xf0; // 60 bytes in a 40-byte segment
        assertThat(tcp.wrap(MemorySegment.ofArray(b), TCP, 40)).isEqualTo(ParseError.TCP_BAD_OFFSET);
    }

    @Test
    void synWithFinOrRstIsRefused() {
        byte[] b = bytes(TCP_SYN);
        b[TCP + 13] = TcpSegment.SYN | TcpSegment.FIN;
        assertThat(tcp.wrap(MemorySegment.ofArray(b), TCP, 40)).isEqualTo(ParseError.TCP_BAD_FLAGS);
        b[TCP + 13] = TcpSegment.SYN | TcpSegment.RST;
        assertThat(tcp.wrap(MemorySegment.ofArray(b), TCP, 40)).isEqualTo(ParseError.TCP_BAD_FLAGS);
    }

    @Test
    void rewritingPortsKeepsTheChecksumValid() {
        MemorySegment s = segment(TCP_SYN);
        tcp.wrap(s, TCP, 40);
        tcp.setSrcPort(61000);
        tcp.setDstPort(8443);
        assertThat(tcp.srcPort()).isEqualTo(61000);
        assertThat(tcp.dstPort()).isEqualTo(8443);
        assertThat(tcp.checksumValid(ip("192.168.1.10"), ip("93.184.216.34"))).isTrue();
        int incremental = tcp.checksum();
        TcpSegment.fillChecksum(s, TCP, 40, ip("192.168.1.10"), ip("93.184.216.34"));
        assertThat(tcp.checksum()).isEqualTo(incremental);
    }

    /** The SYN with its options replaced (the data offset and lengths adjusted). */
    private ParseError wrapWithOptions(String optionsHex) {
        byte[] options = bytes(optionsHex);
        assertThat(options.length % 4).as("test options must fill whole words").isZero();
        int hl = 20 + options.length;
        byte[] b = new byte[TCP + hl];
        System.arraycopy(bytes(TCP_SYN), 0, b, 0, TCP + 20);
        System.arraycopy(options, 0, b, TCP + 20, options.length);
        b[TCP + 12] = (byte) (hl / 4 << 4);
        return tcp.wrap(MemorySegment.ofArray(b), TCP, hl);
    }
}
