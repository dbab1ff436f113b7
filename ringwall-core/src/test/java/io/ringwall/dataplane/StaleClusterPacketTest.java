package io.ringwall.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.wire.ArpPacket;
import io.ringwall.wire.FrameBuilder;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster packet waits for its peer's MAC at most the time its sender gives it (a token ack timeout): a token
 * held in the ARP queue while the peer was down must not reach it seconds later, after it restarted, as if it were
 * current. Forwarded frames keep waiting as long as the neighbour's resolution takes.
 */
class StaleClusterPacketTest {
    private static final long MS = 1_000_000L;
    private static final int WAN = 0;
    private static final int OWN_WAN = Ipv4Address.parse("10.1.0.100");
    private static final int PEER = Ipv4Address.parse("10.1.0.20");
    private static final long PEER_MAC = MacAddress.parse("02:00:00:00:01:20");
    private static final long MAX_WAIT_NS = 30 * MS;

    private final List<Integer> sentOn = new ArrayList<>();
    private final DataplaneCounters counters = new DataplaneCounters(2);
    private final ForwardingPipeline pipeline = TwoSubnetPipeline.create(List.of(), List.of(), sentOn, counters);

    StaleClusterPacketTest() {
        pipeline.enableCluster(7946, MAX_WAIT_NS, (nowNs, ifIndex, srcIp, frame, offset, length) -> { });
    }

    @Test
    void aClusterPacketWhosePeerAnswersInTimeIsSent() {
        assertThat(pipeline.sendClusterUdp(0, WAN, PEER, new byte[40], 40)).isTrue();
        assertThat(sentOn).as("an ARP request for the peer").containsExactly(WAN);
        peerAnswers(MAX_WAIT_NS - 1);
        assertThat(sentOn).as("the ARP request, then the packet").containsExactly(WAN, WAN);
        assertThat(counters.drops(WAN, DropReason.CLUSTER_PACKET_STALE)).isZero();
    }

    @Test
    void aClusterPacketThatWaitedLongerThanItsSenderAllowedIsDroppedAndCounted() {
        assertThat(pipeline.sendClusterUdp(0, WAN, PEER, new byte[40], 40)).isTrue();
        peerAnswers(2_000 * MS); // the peer was down for two seconds and answers after its restart
        assertThat(sentOn).as("only the ARP request").containsExactly(WAN);
        assertThat(counters.drops(WAN, DropReason.CLUSTER_PACKET_STALE)).isEqualTo(1);
        assertThat(pipeline.neighbours().lookup(PEER)).as("the answer is still learned").isEqualTo(PEER_MAC);
        assertThat(pipeline.neighbours().pendingBytes()).isZero();
    }

    @Test
    void aForwardedFrameStillLeavesWhenItsNextHopAnswersLate() {
        MemorySegment frame = MemorySegment.ofArray(new byte[200]);
        int server = Ipv4Address.parse("10.2.0.10");
        int n = FrameBuilder.udp(frame, TwoSubnetPipeline.WAN_MAC, MacAddress.parse("02:00:00:00:01:10"),
                Ipv4Address.parse("10.1.0.10"), server, 64, 40000, 53, MemorySegment.ofArray(new byte[20]), 20);
        pipeline.onFrame(0, WAN, frame, n, 0);
        assertThat(sentOn).as("an ARP request for the server").containsExactly(1);
        answer(2_000 * MS, 1, server, MacAddress.parse("02:00:00:00:02:10"), Ipv4Address.parse("10.2.0.100"),
                TwoSubnetPipeline.LAN_MAC);
        assertThat(sentOn).as("the ARP request, then the forwarded frame").containsExactly(1, 1);
    }

    private void peerAnswers(long atNs) {
        answer(atNs, WAN, PEER, PEER_MAC, OWN_WAN, TwoSubnetPipeline.WAN_MAC);
    }

    private void answer(long atNs, int ifIndex, int senderIp, long senderMac, int targetIp, long targetMac) {
        MemorySegment reply = MemorySegment.ofArray(new byte[64]);
        int n = FrameBuilder.arp(reply, targetMac, senderMac, ArpPacket.OP_REPLY, senderMac, senderIp, targetMac,
                targetIp);
        pipeline.onFrame(atNs, ifIndex, reply, n, 0);
    }
}
