package io.ringwall.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.wire.FrameBuilder;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Neighbours another cluster member resolved (its shared table) are learned only where they are safe: on one of this
 * node's links, not its own address or VIP, a unicast MAC, and never over an entry this node resolved itself; a frame
 * waiting for such a neighbour leaves as soon as the peer's entry arrives.
 */
class NeighbourFromPeerTest {
    private static final long WAN_MAC = TwoSubnetPipeline.WAN_MAC;
    private static final long CLIENT_MAC = MacAddress.parse("02:00:00:00:01:10");
    private static final long SERVER_MAC = MacAddress.parse("02:00:00:00:02:10");
    private static final long OTHER_MAC = MacAddress.parse("02:00:00:00:02:99");
    private static final int CLIENT = Ipv4Address.parse("10.1.0.10");
    private static final int SERVER = Ipv4Address.parse("10.2.0.10");
    private static final int LAN_VIP = Ipv4Address.parse("10.2.0.1");

    private final List<Integer> sentOn = new ArrayList<>();
    private final ForwardingPipeline pipeline;

    NeighbourFromPeerTest() {
        pipeline = TwoSubnetPipeline.create(List.of(Ipv4Address.parse("10.1.0.1")), List.of(LAN_VIP), sentOn);
    }

    @Test
    void aPeersEntryIsLearnedOnlyOnOwnLinksForOthersAndUnicastMacs() {
        assertThat(pipeline.learnNeighbourFromPeer(0, SERVER, SERVER_MAC)).isTrue();
        assertThat(pipeline.neighbours().lookup(SERVER)).isEqualTo(SERVER_MAC);
        assertThat(pipeline.learnNeighbourFromPeer(0, Ipv4Address.parse("10.9.0.10"), OTHER_MAC))
                .as("not on any of this node's links").isFalse();
        assertThat(pipeline.learnNeighbourFromPeer(0, LAN_VIP, OTHER_MAC)).as("a VIP of this node").isFalse();
        assertThat(pipeline.learnNeighbourFromPeer(0, Ipv4Address.parse("10.2.0.100"), OTHER_MAC))
                .as("this node's own address").isFalse();
        assertThat(pipeline.learnNeighbourFromPeer(0, CLIENT, 0xFFFF_FFFF_FFFFL)).as("broadcast MAC").isFalse();
        assertThat(pipeline.learnNeighbourFromPeer(0, CLIENT, MacAddress.parse("01:00:5e:00:00:01")))
                .as("multicast MAC").isFalse();
        assertThat(pipeline.neighbours().lookup(CLIENT)).isEqualTo(-1);
    }

    @Test
    void thisNodesOwnAnswerWinsOverAPeersEntry() {
        assertThat(pipeline.learnNeighbourFromPeer(0, SERVER, SERVER_MAC)).isTrue();
        assertThat(pipeline.learnNeighbourFromPeer(1, SERVER, OTHER_MAC)).isFalse();
        assertThat(pipeline.neighbours().lookup(SERVER)).isEqualTo(SERVER_MAC);
    }

    @Test
    void aFrameWaitingForTheNeighbourLeavesWhenThePeersEntryArrives() {
        MemorySegment frame = MemorySegment.ofArray(new byte[200]);
        int n = FrameBuilder.udp(frame, WAN_MAC, CLIENT_MAC, CLIENT, SERVER, 64, 40000, 53,
                MemorySegment.ofArray(new byte[20]), 20);
        pipeline.onFrame(0, 0, frame, n, 0);
        assertThat(sentOn).as("only an ARP request for the server").containsExactly(1);
        assertThat(pipeline.neighbours().incompleteCount()).isEqualTo(1);
        assertThat(pipeline.learnNeighbourFromPeer(1, SERVER, SERVER_MAC)).isTrue();
        assertThat(sentOn).as("the ARP request, then the frame that waited").containsExactly(1, 1);
        assertThat(pipeline.neighbours().incompleteCount()).isZero();
    }

    @Test
    void theCacheListsOnlyAnsweredNeighboursAndCountsMacChanges() {
        ArpCache cache = new ArpCache(64, 4);
        cache.learn(SERVER, SERVER_MAC, 1, 0, true);
        cache.learn(SERVER, SERVER_MAC, 1, 1, true); // confirmed, unchanged
        cache.enqueue(CLIENT, 0, MemorySegment.ofArray(new byte[60]), 60, 0, 0); // asked, not answered yet
        assertThat(cache.macChanges()).isEqualTo(1);
        int[] ips = new int[8];
        long[] macs = new long[8];
        assertThat(cache.resolved(ips, macs, 2)).isEqualTo(1);
        assertThat(ips[0]).isEqualTo(SERVER);
        assertThat(macs[0]).isEqualTo(SERVER_MAC);
        cache.learn(SERVER, OTHER_MAC, 1, 3, true);
        assertThat(cache.macChanges()).isEqualTo(2);
        assertThat(cache.resolved(ips, macs, ArpCache.REACHABLE_NS + 3)).as("too old to vouch for").isZero();
    }
}
