package io.ringwall.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TruncationTest {
    private final Dissector dissector = new Dissector();

    @Test
    void everySampleParsesCompletely() {
        for (String hex : SampleFrames.ALL) {
            byte[] b = SampleFrames.bytes(hex);
            assertThat(dissector.frame(MemorySegment.ofArray(b), b.length)).as(hex).isEqualTo(ParseError.OK);
        }
    }

    @Test
    void everyTruncationOfEverySampleIsReportedAsTruncatedWithoutThrowing() {
        for (String hex : SampleFrames.ALL) {
            byte[] full = SampleFrames.bytes(hex);
            for (int length = 0; length < full.length; length++) {
                // A segment of exactly `length` bytes, so any read past the end would throw.
                MemorySegment s = MemorySegment.ofArray(Arrays.copyOf(full, length));
                assertThat(dissector.frame(s, length)).as("%s cut to %d bytes", hex, length).isEqualTo(ParseError.TRUNCATED);
            }
        }
    }

    @Test
    void lengthsLargerThanTheSegmentAreTruncatedNotExceptions() {
        byte[] b = SampleFrames.bytes(SampleFrames.TCP_SYN);
        MemorySegment s = MemorySegment.ofArray(b);
        assertThat(new EthernetFrame().wrap(s, Integer.MAX_VALUE)).isEqualTo(ParseError.TRUNCATED);
        assertThat(new Ipv4Packet().wrap(s, 14, Integer.MAX_VALUE)).isEqualTo(ParseError.TRUNCATED);
        assertThat(new TcpSegment().wrap(s, Integer.MAX_VALUE, 20)).isEqualTo(ParseError.TRUNCATED);
        assertThat(new UdpDatagram().wrap(s, 34, -5)).isEqualTo(ParseError.TRUNCATED);
        assertThat(new IcmpMessage().wrap(s, -1, 8)).isEqualTo(ParseError.TRUNCATED);
        assertThat(new ArpPacket().wrap(null, 0, 28)).isEqualTo(ParseError.TRUNCATED);
    }
}
