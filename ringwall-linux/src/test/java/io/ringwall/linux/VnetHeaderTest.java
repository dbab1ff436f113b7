package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.Offload;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class VnetHeaderTest {
    /** Ethernet + IPv4 (IHL 5) + TCP (data offset 8: 32-byte header with timestamps). */
    private static byte[] tcpFrame(int length) {
        byte[] frame = new byte[length];
        frame[12] = 0x08;
        frame[13] = 0x00;
        frame[14] = 0x45;
        frame[14 + 9] = 6;
        frame[34 + 12] = (byte) 0x80;
        return frame;
    }

    @Test
    void offloadFlagsFollowNeedsCsumAndGsoType() {
        VnetHeader header = new VnetHeader();
        header.set(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4, 66, 1448, 34, 16);
        assertThat(header.offloadFlags()).isEqualTo(Offload.CSUM_PARTIAL | Offload.GSO);
        header.set(VnetHeader.F_DATA_VALID, VnetHeader.GSO_NONE, 0, 0, 0, 0);
        assertThat(header.offloadFlags()).isZero();
    }

    @Test
    void onlyPlainAndTcpv4GsoAreForwardable() {
        VnetHeader header = new VnetHeader();
        header.set(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4 | VnetHeader.GSO_ECN, 66, 1448, 34, 16);
        assertThat(header.isForwardable()).isTrue();
        header.set(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV6, 86, 1428, 54, 16);
        assertThat(header.isForwardable()).isFalse();
        header.set(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_UDP_L4, 42, 1472, 34, 6);
        assertThat(header.isForwardable()).isFalse();
    }

    @Test
    void derivedTcpGsoHeaderFillsTheOutgoingMtu() {
        VnetHeader header = new VnetHeader();
        byte[] frame = tcpFrame(20_000);

        assertThat(header.deriveFrom(MemorySegment.ofArray(frame), frame.length, Offload.GSO | Offload.CSUM_PARTIAL,
                1500)).isTrue();
        assertThat(header.gsoType()).isEqualTo(VnetHeader.GSO_TCPV4);
        assertThat(header.csumStart()).isEqualTo(34);
        assertThat(header.csumOffset()).isEqualTo(16);
        assertThat(header.hdrLen()).isEqualTo(34 + 32);
        assertThat(header.gsoSize()).isEqualTo(1500 - 20 - 32);
    }

    @Test
    void nonIpFrameCannotGetAnOffloadHeader() {
        byte[] frame = new byte[60];
        frame[12] = 0x08;
        frame[13] = 0x06; // ARP
        assertThat(new VnetHeader().deriveFrom(MemorySegment.ofArray(frame), frame.length, Offload.CSUM_PARTIAL,
                1500)).isFalse();
    }
}
