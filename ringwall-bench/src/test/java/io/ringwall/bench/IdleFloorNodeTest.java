package io.ringwall.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringwall.node.Effects;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdleFloorNodeTest {
    private static final long SELF = 0x02_00_00_00_00_02L;
    private static final long PREV = 0x02_00_00_00_00_01L;
    private static final long NEXT = 0x02_00_00_00_00_03L;

    private record Sent(long dst, long src, byte type, int length) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final Effects effects = new Effects() {
        @Override
        public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
            assertThat(ifIndex).isEqualTo(IdleFloorNode.CLUSTER_IF);
            sent.add(new Sent(mac(frame, 0), mac(frame, 6), frame.get(ValueLayout.JAVA_BYTE, 14), length));
        }

        @Override
        public void log(String event, String detail) {
        }
    };

    @Test
    void aTokenIsAckedAtOnceHeldOneHopPassedOnAndResentUntilAcked() {
        IdleFloorNode node = new IdleFloorNode(effects, SELF, PREV, NEXT, false, 0);
        assertThat(node.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);

        node.onFrame(1_000, IdleFloorNode.CLUSTER_IF, frame(IdleFloorNode.TOKEN), 64, 0);
        assertThat(sent).containsExactly(new Sent(PREV, SELF, IdleFloorNode.ACK, IdleFloorNode.FRAME_BYTES));
        assertThat(node.nextDeadlineNs()).isEqualTo(1_000 + IdleFloorNode.HOP_NS);

        long passNs = 1_000 + IdleFloorNode.HOP_NS;
        node.onTick(passNs);
        assertThat(sent).last().isEqualTo(new Sent(NEXT, SELF, IdleFloorNode.TOKEN, IdleFloorNode.FRAME_BYTES));
        node.onTick(passNs + IdleFloorNode.RETRANSMIT_NS);
        assertThat(sent).hasSize(3).last().isEqualTo(new Sent(NEXT, SELF, IdleFloorNode.TOKEN, IdleFloorNode.FRAME_BYTES));

        node.onFrame(passNs + IdleFloorNode.RETRANSMIT_NS + 1, IdleFloorNode.CLUSTER_IF, frame(IdleFloorNode.ACK), 64, 0);
        assertThat(node.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void framesOfOtherTypesOrInterfacesAreIgnored() {
        IdleFloorNode node = new IdleFloorNode(effects, SELF, PREV, NEXT, false, 0);
        MemorySegment ipv4 = frame(IdleFloorNode.TOKEN);
        EthernetFrame.write(ipv4, SELF, PREV, EthernetFrame.ETHERTYPE_IPV4);
        node.onFrame(1, IdleFloorNode.CLUSTER_IF, ipv4, 64, 0);
        node.onFrame(1, 0, frame(IdleFloorNode.TOKEN), 64, 0);
        assertThat(sent).isEmpty();
        assertThat(node.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theStarterSendsTheFirstTokenAfterItsDelay() {
        IdleFloorNode node = new IdleFloorNode(effects, SELF, PREV, NEXT, true, 5);
        assertThat(node.nextDeadlineNs()).isEqualTo(5 + IdleFloorNode.START_DELAY_NS);
        node.onTick(5 + IdleFloorNode.START_DELAY_NS);
        assertThat(sent).containsExactly(new Sent(NEXT, SELF, IdleFloorNode.TOKEN, IdleFloorNode.FRAME_BYTES));
    }

    @Test
    void macAddressesAreParsedOrRejected() { // main() takes its MACs through MacAddress.parse
        assertThat(MacAddress.parse("02:00:00:00:00:0a")).isEqualTo(0x02_00_00_00_00_0aL);
        assertThatThrownBy(() -> MacAddress.parse("02:00:00:00:00")).hasMessageContaining("invalid MAC address");
    }

    private static MemorySegment frame(byte type) {
        MemorySegment f = MemorySegment.ofArray(new byte[64]);
        int header = EthernetFrame.write(f, SELF, PREV, IdleFloorNode.ETHERTYPE);
        f.set(ValueLayout.JAVA_BYTE, header, type);
        return f;
    }

    private static long mac(MemorySegment frame, int offset) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | (frame.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff);
        }
        return mac;
    }
}
