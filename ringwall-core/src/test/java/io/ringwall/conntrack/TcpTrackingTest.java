package io.ringwall.conntrack;

import static io.ringwall.conntrack.PacketFacts.TCP_ACK;
import static io.ringwall.conntrack.PacketFacts.TCP_FIN;
import static io.ringwall.conntrack.PacketFacts.TCP_RST;
import static io.ringwall.conntrack.PacketFacts.TCP_SYN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpTrackingTest {
    private final Conntrack ct = new Conntrack(ConntrackConfig.defaults().withCapacities(64, 64));
    private final TcpTestFlow flow = new TcpTestFlow(ct);

    @Test
    void handshakeReachesEstablished() {
        assertThat(flow.client(TCP_SYN, 1000, 0, 65535, 0)).isEqualTo(CtVerdict.NEW);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_SYN_SENT);
        assertThat(flow.server(TCP_SYN | TCP_ACK, 5000, 1001, 65535, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_SYN_RECV);
        assertThat(ct.lastFromOriginator()).isFalse();
        assertThat(flow.client(TCP_ACK, 1001, 5001, 65535, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(ct.lastFromOriginator()).isTrue();
        assertThat(ct.lastSlot()).isEqualTo(flow.slot());
        assertThat(flow.state()).isEqualTo(FlowState.TCP_ESTABLISHED);
        int s = flow.slot();
        assertThat(ct.active().packets(s, true)).isEqualTo(2);
        assertThat(ct.active().packets(s, false)).isEqualTo(1);
        assertThat(ct.active().bytes(s, true)).isEqualTo(80);
        assertThat(ct.active().replied(s)).isTrue();
        assertThat(ct.active().describe(s)).contains("ESTABLISHED", "src=10.0.0.1", "dport=80").doesNotContain("UNREPLIED");
    }

    @Test
    void packetWithoutFlowThatCannotStartOneIsInvalidAndCreatesNothing() {
        assertThat(flow.client(TCP_ACK, 1, 1, 1000, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(flow.client(TCP_SYN | TCP_ACK, 1, 1, 1000, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(ct.active().size()).isZero();
        assertThat(ct.lastSlot()).isEqualTo(-1);
        assertThat(ct.counters().invalidNoFlow()).isEqualTo(2);
    }

    @Test
    void retransmittedSynIsAccepted() {
        flow.client(TCP_SYN, 1000, 0, 65535, 0);
        assertThat(flow.client(TCP_SYN, 1000, 0, 65535, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_SYN_SENT);
        assertThat(ct.active().size()).isEqualTo(1);
    }

    @Test
    void ackBeforeSynAckIsABadTransition() {
        flow.client(TCP_SYN, 1000, 0, 65535, 0);
        assertThat(flow.client(TCP_ACK, 1001, 77, 65535, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_SYN_SENT);
        assertThat(ct.counters().invalidBadTransition()).isEqualTo(1);
    }

    @Test
    void outOfWindowDataIsInvalidAndChangesNothing() {
        flow.handshake();
        int s = flow.slot();
        int endBefore = ct.active().windowEnd(s, true);
        long packetsBefore = ct.active().packets(s, true);
        assertThat(flow.client(TCP_ACK, 1001 + 200_000, 5001, 65535, 100)).isEqualTo(CtVerdict.INVALID);
        assertThat(flow.client(TCP_ACK | TCP_FIN, 1001 + 200_000, 5001, 65535, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_ESTABLISHED);
        assertThat(ct.active().windowEnd(s, true)).isEqualTo(endBefore);
        assertThat(ct.active().packets(s, true)).isEqualTo(packetsBefore);
        assertThat(ct.counters().invalidOutOfWindow()).isEqualTo(2);
        assertThat(flow.client(TCP_ACK, 1001, 5001, 65535, 100)).isEqualTo(CtVerdict.ESTABLISHED);
    }

    @Test
    void dataFarBehindTheWindowIsInvalid() {
        flow.handshake();
        assertThat(flow.client(TCP_ACK, 1001 - 300_000, 5001, 65535, 100)).isEqualTo(CtVerdict.INVALID);
    }

    @Test
    void ackOfDataNeverSentIsInvalid() {
        flow.handshake();
        assertThat(flow.client(TCP_ACK, 1001, 5001 + 10, 65535, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(flow.client(TCP_ACK, 1001, 5001 - 100_000, 65535, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(flow.server(TCP_ACK, 5001, 1001 + 1, 65535, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_ESTABLISHED);
        assertThat(flow.client(TCP_ACK, 1001, 5001, 65535, 0)).isEqualTo(CtVerdict.ESTABLISHED);
    }

    @Test
    void rstIsAcceptedOnlyInWindow() {
        flow.handshake();
        assertThat(flow.server(TCP_RST, 5001 + 1_000_000, 0, 0, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_ESTABLISHED);
        assertThat(flow.server(TCP_RST, 5001, 0, 0, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_CLOSE);
    }

    @Test
    void rstAnsweringSynClosesTheFlow() {
        flow.client(TCP_SYN, 1000, 0, 65535, 0);
        assertThat(flow.server(TCP_RST | TCP_ACK, 0, 1001, 0, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_CLOSE);
    }

    @Test
    void windowScalingIsHonouredWhenBothSidesOfferIt() {
        flow.handshake(1000, 5000, 65535, 65535, 7, 7);
        int s = flow.slot();
        assertThat(ct.active().windowScale(s, true)).isEqualTo(7);
        assertThat(ct.active().windowScale(s, false)).isEqualTo(7);
        // server advertises 1000 << 7 = 128000 bytes
        assertThat(flow.server(TCP_ACK, 5001, 1001, 1000, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.client(TCP_ACK, 1001 + 100_000, 5001, 1000, 1000)).isEqualTo(CtVerdict.ESTABLISHED);
    }

    @Test
    void windowScalingIsIgnoredWhenOnlyOneSideOffersIt() {
        flow.handshake(1000, 5000, 65535, 65535, 7, -1);
        int s = flow.slot();
        assertThat(ct.active().windowScale(s, true)).isZero();
        assertThat(ct.active().windowScale(s, false)).isZero();
        assertThat(flow.server(TCP_ACK, 5001, 1001, 1000, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.client(TCP_ACK, 1001 + 100_000, 5001, 1000, 1000)).isEqualTo(CtVerdict.INVALID);
        assertThat(flow.client(TCP_ACK, 1001, 5001, 1000, 1000)).isEqualTo(CtVerdict.ESTABLISHED);
    }

    @Test
    void finSequenceReachesTimeWaitAndExpires() {
        flow.handshake();
        assertThat(flow.client(TCP_ACK | TCP_FIN, 1001, 5001, 65535, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_FIN_WAIT);
        assertThat(flow.server(TCP_ACK, 5001, 1002, 65535, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_CLOSE_WAIT);
        assertThat(flow.server(TCP_ACK | TCP_FIN, 5001, 1002, 65535, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_LAST_ACK);
        assertThat(flow.client(TCP_ACK, 1002, 5002, 65535, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_TIME_WAIT);

        long closedAt = flow.nowNs;
        assertThat(ct.expire(closedAt + 119_000_000_000L, 128)).isZero();
        assertThat(ct.active().size()).isEqualTo(1);
        assertThat(ct.expire(closedAt + 120_000_000_000L, 128)).isEqualTo(1);
        assertThat(ct.active().size()).isZero();
        assertThat(ct.counters().expiredActive()).isEqualTo(1);
    }

    @Test
    void synOnTimeWaitFlowReopensIt() {
        flow.handshake();
        flow.client(TCP_ACK | TCP_FIN, 1001, 5001, 65535, 0);
        flow.server(TCP_ACK | TCP_FIN, 5001, 1002, 65535, 0);
        flow.client(TCP_ACK, 1002, 5002, 65535, 0);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_TIME_WAIT);
        assertThat(flow.client(TCP_SYN, 900_000, 0, 65535, 0)).isEqualTo(CtVerdict.NEW);
        assertThat(flow.state()).isEqualTo(FlowState.TCP_SYN_SENT);
        assertThat(ct.counters().reopened()).isEqualTo(1);
        assertThat(ct.active().size()).isEqualTo(1);
    }

    @Test
    void establishedFlowOutlivesSynTimeoutButNotFiveDays() {
        flow.handshake();
        long t = flow.nowNs;
        assertThat(ct.expire(t + 3_600_000_000_000L, 128)).isZero();
        assertThat(ct.expire(t + 5L * 86_400_000_000_000L, 128)).isEqualTo(1);
    }

    @Test
    void flowPastItsTimeoutIsGoneForClassifyEvenBeforeExpiryRuns() {
        flow.client(TCP_SYN, 1000, 0, 65535, 0);
        flow.nowNs += 121_000_000_000L;
        assertThat(flow.server(TCP_SYN | TCP_ACK, 5000, 1001, 65535, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(ct.active().size()).isZero();
        assertThat(ct.counters().expiredActive()).isEqualTo(1);
    }

    @Test
    void sequenceNumbersWrapAround() {
        flow.handshake(-10, Integer.MAX_VALUE - 5, 65535, 65535, -1, -1);
        assertThat(flow.client(TCP_ACK, -9, Integer.MAX_VALUE - 4, 65535, 1000)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.server(TCP_ACK, Integer.MAX_VALUE - 4, -9 + 1000, 65535, 1000)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(flow.client(TCP_ACK, -9 + 1000, Integer.MAX_VALUE - 4 + 1000, 65535, 1000)).isEqualTo(CtVerdict.ESTABLISHED);
    }
}
