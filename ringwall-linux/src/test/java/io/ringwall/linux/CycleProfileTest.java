package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.wire.FrameBuilder;
import io.ringwall.wire.Ipv4Address;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slow-cycle report: what it counts as work, what it says, and how often. */
class CycleProfileTest {
    private static final long MS = 1_000_000L;

    @Test
    void aSlowCycleIsReportedWithWhereItsTimeWent() {
        CycleProfile p = new CycleProfile(List.of("g1w", "g1l", "g1c"));
        p.begin(0);
        p.commands(100_000);
        MemorySegment cluster = udp(7946, 7946, 100);
        p.frame(0, 500_000, udp(40000, 53, 20), 62);
        p.frame(0, 2_600_000, cluster, (int) cluster.byteSize());
        p.send(2_000_000);
        p.tick(300_000);
        String line = p.end(3_500_000);
        assertThat(line).isEqualTo("cycle took 3.50 ms: commands 0.10 ms, timers 0.30 ms (1), rx g1w 3.10 ms (2 frames),"
                + " of that sendmsg 2.00 ms (1, longest 2.00 ms), longest frame 2.60 ms on g1w (IPv4 UDP 7946 > 7946,"
                + " 142 bytes)");
        assertThat(p.slowCycles()).isEqualTo(1);
    }

    @Test
    void waitingIsNotWork() {
        CycleProfile p = new CycleProfile(List.of("g1c"));
        p.begin(0);
        p.idle(50 * MS);
        p.frame(0, 100_000, udp(1, 2, 0), 42);
        assertThat(p.end(50 * MS + 200_000)).isNull();
        assertThat(p.slowCycles()).isZero();
    }

    @Test
    void reportsAtMostFourTimesPerIntervalAndCountsTheRest() {
        CycleProfile p = new CycleProfile(List.of("g1c"));
        long t = 0;
        for (int i = 0; i < CycleProfile.REPORTS_PER_INTERVAL; i++) {
            p.begin(t);
            assertThat(p.end(t + 4 * MS)).isNotNull();
            t += 100 * MS;
        }
        for (int i = 0; i < 3; i++) {
            p.begin(t);
            assertThat(p.end(t + 4 * MS)).isNull();
            t += 100 * MS;
        }
        t += CycleProfile.REPORT_INTERVAL_NS;
        p.begin(t);
        assertThat(p.end(t + 4 * MS)).endsWith("; 3 more slow cycles since the last report");
        assertThat(p.slowCycles()).isEqualTo(CycleProfile.REPORTS_PER_INTERVAL + 4);
    }

    @Test
    void theLongestFrameIsDescribedByItsHeadersEvenWhenTheyAreNotIpv4OrAreCutShort() {
        CycleProfile p = new CycleProfile(List.of("g1c"));
        MemorySegment arp = MemorySegment.ofArray(new byte[60]);
        arp.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 12, (byte) 0x08);
        arp.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 13, (byte) 0x06);
        p.begin(0);
        p.frame(0, 4 * MS, arp, 42);
        assertThat(p.end(4 * MS)).endsWith("longest frame 4.00 ms on g1c (ethertype 0x806, 42 bytes)");
        p.begin(0);
        p.frame(0, 4 * MS, udp(7946, 7946, 100), 30); // read short: no IPv4 header to look into
        assertThat(p.end(4 * MS)).endsWith("longest frame 4.00 ms on g1c (ethertype 0x800, 30 bytes)");
        p.begin(0);
        p.frame(0, 4 * MS, arp, 10);
        assertThat(p.end(4 * MS)).endsWith("(runt, 10 bytes)");
    }

    @Test
    void aTcpFrameIsDescribedWithItsPorts() {
        CycleProfile p = new CycleProfile(List.of("g1l"));
        MemorySegment frame = MemorySegment.ofArray(new byte[54]);
        int length = FrameBuilder.tcp(frame, 0x0200_0000_0001L, 0x0200_0000_0002L, Ipv4Address.parse("10.0.0.1"),
                Ipv4Address.parse("10.0.0.2"), 64, 40000, 443, 1, 0, 2, 65535, null, null, 0);
        p.begin(0);
        p.frame(0, 4 * MS, frame, length);
        assertThat(p.end(4 * MS)).endsWith("longest frame 4.00 ms on g1l (IPv4 TCP 40000 > 443, 54 bytes)");
    }

    /** A UDP frame with {@code payload} bytes between two private addresses. */
    private static MemorySegment udp(int srcPort, int dstPort, int payload) {
        MemorySegment frame = MemorySegment.ofArray(new byte[42 + payload]);
        FrameBuilder.udp(frame, 0x0200_0000_0001L, 0x0200_0000_0002L, Ipv4Address.parse("10.0.0.1"),
                Ipv4Address.parse("10.0.0.2"), 64, srcPort, dstPort, MemorySegment.ofArray(new byte[payload]), payload);
        return frame;
    }

    @Test
    void millisecondsAreFormattedWithTwoDecimals() {
        assertThat(CycleProfile.ms(0)).isEqualTo("0.00");
        assertThat(CycleProfile.ms(1_050_000)).isEqualTo("1.05");
        assertThat(CycleProfile.ms(12_345_678)).isEqualTo("12.34");
    }
}
