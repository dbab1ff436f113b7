package io.ringwall.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Fuzz targets for every wrap(). Under plain {@code mvn test} Jazzer runs them in regression
 * mode over the seeds in src/test/resources/io/ringwall/wire/WireFuzzTestInputs/; see
 * FUZZING.md for a real fuzzing session. The property: no exception escapes a wrap(), and
 * the accessors of a view that said OK do not throw (the Dissector calls all of them).
 */
class WireFuzzTest {
    private final Dissector d = new Dissector();

    @FuzzTest(maxDuration = "10s")
    void wholeFrame(byte[] data) {
        ParseError e = d.frame(MemorySegment.ofArray(data), data.length);
        assertThat(e).isNotNull();
    }

    @FuzzTest(maxDuration = "10s")
    void ethernetWithArbitraryLength(FuzzedDataProvider in) {
        int length = in.consumeInt(-4, 2000);
        byte[] data = in.consumeRemainingAsBytes();
        assertThat(d.frame(MemorySegment.ofArray(data), length)).isNotNull();
    }

    @FuzzTest(maxDuration = "10s")
    void arpAtArbitraryOffset(FuzzedDataProvider in) {
        int offset = in.consumeInt(-4, 64);
        int length = in.consumeInt(-4, 128);
        byte[] data = in.consumeRemainingAsBytes();
        assertThat(d.arp(MemorySegment.ofArray(data), offset, length)).isNotNull();
    }

    @FuzzTest(maxDuration = "10s")
    void ipv4AtArbitraryOffset(FuzzedDataProvider in) {
        int offset = in.consumeInt(-4, 64);
        int length = in.consumeInt(-4, 70_000);
        boolean quoted = in.consumeBoolean();
        byte[] data = in.consumeRemainingAsBytes();
        MemorySegment s = MemorySegment.ofArray(data);
        if (quoted) {
            if (d.quoted.wrapQuoted(s, offset, length) == ParseError.OK) {
                assertThat(d.quoted.payloadOffset() + d.quoted.payloadLength()).isLessThanOrEqualTo(data.length);
            }
        } else {
            assertThat(d.ipv4(s, offset, length)).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "10s")
    void tcpAtArbitraryOffset(FuzzedDataProvider in) {
        int offset = in.consumeInt(-4, 64);
        int length = in.consumeInt(-4, 2000);
        int src = in.consumeInt();
        int dst = in.consumeInt();
        byte[] data = in.consumeRemainingAsBytes();
        ParseError e = d.tcp(MemorySegment.ofArray(data), offset, length, src, dst);
        if (e == ParseError.OK) {
            assertThat(d.tcp.windowScale()).isBetween(-1, TcpSegment.MAX_WINDOW_SCALE);
            assertThat(d.tcp.payloadLength()).isNotNegative();
        }
    }

    @FuzzTest(maxDuration = "10s")
    void udpAtArbitraryOffset(FuzzedDataProvider in) {
        int offset = in.consumeInt(-4, 64);
        int length = in.consumeInt(-4, 2000);
        byte[] data = in.consumeRemainingAsBytes();
        ParseError e = d.udp(MemorySegment.ofArray(data), offset, length, 0x0a000001, 0x0a000002);
        if (e == ParseError.OK) {
            assertThat(d.udp.payloadLength()).isNotNegative();
        }
    }

    @FuzzTest(maxDuration = "10s")
    void icmpAtArbitraryOffset(FuzzedDataProvider in) {
        int offset = in.consumeInt(-4, 64);
        int length = in.consumeInt(-4, 2000);
        byte[] data = in.consumeRemainingAsBytes();
        assertThat(d.icmp(MemorySegment.ofArray(data), offset, length)).isNotNull();
    }
}
