package io.ringwall.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.ConntrackConfig;
import io.ringwall.conntrack.FlowRecord;
import io.ringwall.wire.FrameBuilder;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A frame this node handles although its map names another member the owner of the frame's bucket (that member,
 * whose map is older, passed it here: the loop guard keeps it here) goes through on this node's replica of the flow.
 * In a drain this is the moment between the drained node's new map and the target's: before, such a frame had no
 * active flow here and was dropped as INVALID, and a TCP connection lost a segment.
 */
class ForwardedOnReplicaTest {
    private static final long CLIENT_MAC = MacAddress.parse("02:00:00:00:01:10");
    private static final long SERVER_MAC = MacAddress.parse("02:00:00:00:02:10");
    private static final int CLIENT = Ipv4Address.parse("10.1.0.10");
    private static final int SERVER = Ipv4Address.parse("10.2.0.10");
    private static final String RULES = "policy drop\naccept state established,related\naccept in wan out lan\n";
    private static final int SELF = 0;
    private static final int OWNER = 1;

    private record Part(int node, int ifIndex, byte[] bytes) {
    }

    private final List<Integer> sentOn = new ArrayList<>();
    private final List<Part> parts = new ArrayList<>();
    private final Conntrack conntrack = new Conntrack(ConntrackConfig.defaults());
    private final DataplaneCounters counters = new DataplaneCounters(2);
    private final FrameTunnel tunnel = new FrameTunnel(2, 2, 1518, 1160, (node, itf, part, len) ->
            parts.add(new Part(node, itf, java.util.Arrays.copyOf(part, len))));
    private final ForwardingPipeline pipeline =
            TwoSubnetPipeline.create(List.of(), List.of(), sentOn, counters, conntrack, RULES);

    ForwardedOnReplicaTest() {
        FlowDistribution distribution = new FlowDistribution(SELF, new int[][] {
                {Ipv4Address.parse("10.1.0.100"), Ipv4Address.parse("10.1.0.101")},
                {Ipv4Address.parse("10.2.0.100"), Ipv4Address.parse("10.2.0.101")}}, 1);
        distribution.install(1, new int[] {OWNER}, new int[] {1 << SELF | 1 << OWNER}); // the other node owns all
        pipeline.enableDistribution(distribution);
        pipeline.enableTunnel(tunnel);
    }

    /** The client's flow as the owner holds it: created there by the client's first datagram, this node's replica. */
    private void holdReplicaOfTheClientsFlow() {
        List<Integer> ownerSent = new ArrayList<>();
        Conntrack owners = new Conntrack(ConntrackConfig.defaults());
        ForwardingPipeline owner = TwoSubnetPipeline.create(List.of(), List.of(), ownerSent, new DataplaneCounters(2),
                owners, RULES);
        owner.onFrame(0, 0, udp(TwoSubnetPipeline.WAN_MAC, CLIENT_MAC, CLIENT, SERVER, 40000, 53), 62, 0);
        assertThat(owners.active().size()).isEqualTo(1);
        byte[] record = new byte[FlowRecord.MAX_BYTES];
        int slot = owners.active().nextUsed(0);
        int n = owners.exportRecord(owners.active(), slot, FlowRecord.KIND_FULL, 0, record, 0);
        assertThat(conntrack.importReplica(record, 0, n, 0)).isGreaterThanOrEqualTo(0);
    }

    /** The server's answer arrives on lan, is passed towards the owner and comes back from it, as in a hand-over. */
    private void answerPassedBackFromTheOwner() {
        pipeline.onFrame(1_000, 1, udp(TwoSubnetPipeline.LAN_MAC, SERVER_MAC, SERVER, CLIENT, 53, 40000), 62, 0);
        assertThat(parts).as("passed towards the owner").hasSize(1);
        Part part = parts.removeFirst();
        tunnel.onPart(1_000, OWNER, part.bytes(), 0, part.bytes().length);
        pipeline.deliverTunnelled(1_000);
    }

    @Test
    void aFrameTheOwnerPassedBackGoesThroughOnTheReplica() {
        holdReplicaOfTheClientsFlow();
        answerPassedBackFromTheOwner();
        assertThat(sentOn).as("routed to the client's side (an ARP request first)").containsExactly(0);
        assertThat(conntrack.counters().forwardedOnReplica()).isEqualTo(1);
        assertThat(conntrack.active().size()).as("no flow of its own for a bucket it does not own").isZero();
    }

    @Test
    void withoutAReplicaTheRuleSetDecidesAsBefore() {
        answerPassedBackFromTheOwner();
        assertThat(sentOn).as("a new flow from lan to wan: the policy drops it").isEmpty();
        assertThat(conntrack.counters().forwardedOnReplica()).isZero();
    }

    private static MemorySegment udp(long dstMac, long srcMac, int src, int dst, int srcPort, int dstPort) {
        MemorySegment frame = MemorySegment.ofArray(new byte[200]);
        FrameBuilder.udp(frame, dstMac, srcMac, src, dst, 64, srcPort, dstPort, MemorySegment.ofArray(new byte[20]), 20);
        return frame;
    }
}
