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
 * The pipeline's side of the SPEC §5.1 fallback: a frame whose bucket another node owns goes to that node through
 * the {@link FrameTunnel} when it cannot be passed on by MAC on its segment, and a frame that arrived through the
 * tunnel is processed as if it had come in on its interface, but never passed on again.
 */
class EncapsulatedRedirectTest {
    private static final long WAN_MAC = TwoSubnetPipeline.WAN_MAC;
    private static final long CLIENT_MAC = MacAddress.parse("02:00:00:00:01:10");
    private static final int CLIENT = Ipv4Address.parse("10.1.0.10");
    private static final int SERVER = Ipv4Address.parse("10.2.0.10");
    private static final int SELF = 0;
    private static final int OWNER = 1;

    private record Part(int node, int ifIndex, byte[] bytes) {
    }

    private final List<Integer> sentOn = new ArrayList<>();
    private final List<Part> parts = new ArrayList<>();
    private final FlowDistribution distribution;
    private final FrameTunnel tunnel;
    private final ForwardingPipeline pipeline;

    EncapsulatedRedirectTest() {
        pipeline = TwoSubnetPipeline.create(List.of(), List.of(), sentOn);
        distribution = new FlowDistribution(SELF, new int[][] {
                {Ipv4Address.parse("10.1.0.100"), Ipv4Address.parse("10.1.0.101")},
                {Ipv4Address.parse("10.2.0.100"), Ipv4Address.parse("10.2.0.101")}}, 1);
        distribution.install(1, new int[] {OWNER}, new int[] {1 << SELF | 1 << OWNER}); // the other node owns all
        pipeline.enableDistribution(distribution);
        tunnel = new FrameTunnel(2, 2, 1518, 1160, (node, itf, part, len) ->
                parts.add(new Part(node, itf, java.util.Arrays.copyOf(part, len))));
        pipeline.enableTunnel(tunnel);
    }

    private static MemorySegment clientFrame() {
        MemorySegment frame = MemorySegment.ofArray(new byte[200]);
        FrameBuilder.udp(frame, WAN_MAC, CLIENT_MAC, CLIENT, SERVER, 64, 40000, 53,
                MemorySegment.ofArray(new byte[20]), 20);
        return frame;
    }

    private void receiveFromClient() {
        MemorySegment frame = clientFrame();
        pipeline.onFrame(0, 0, frame, 14 + 20 + 8 + 20, 0);
    }

    @Test
    void aFrameForAnOwnerWhoseMacIsUnknownTravelsEncapsulated() {
        receiveFromClient();
        assertThat(parts).hasSize(1);
        assertThat(parts.getFirst().node()).isEqualTo(OWNER);
        assertThat(parts.getFirst().ifIndex()).as("the interface it came in on").isZero();
        assertThat(tunnel.encapsulated()).isEqualTo(1);
        assertThat(sentOn).as("not forwarded here").isEmpty();
        assertThat(distribution.redirected()).isZero();
        assertThat(distribution.handledForPeerUnreachable()).isZero();
    }

    @Test
    void withoutATunnelTheFrameIsHandledHereAsBefore() {
        pipeline.enableTunnel(null);
        receiveFromClient();
        assertThat(distribution.handledForPeerUnreachable()).isEqualTo(1);
        assertThat(sentOn).as("routed to the server side (an ARP request first)").containsExactly(1);
    }

    @Test
    void aSegmentMarkedDownForTheOwnerIsNotUsedAndClearingItIsHonoured() {
        distribution.setSegmentDown(0, OWNER, true);
        assertThat(distribution.segmentDown(0, OWNER)).isTrue();
        assertThat(distribution.segmentDown(1, OWNER)).isFalse();
        assertThat(distribution.segmentDown(5, OWNER)).as("out of range: not down").isFalse();
        receiveFromClient();
        assertThat(tunnel.encapsulated()).isEqualTo(1);
        distribution.setSegmentDown(0, OWNER, false);
        assertThat(distribution.segmentDown(0, OWNER)).isFalse();
    }

    @Test
    void anEncapsulatedFrameIsProcessedAsArrivedOnItsInterfaceAndNeverPassedOnAgain() {
        receiveFromClient();
        Part part = parts.getFirst();
        parts.clear();
        // the same node receives it back (its map still says the other node owns the bucket): it must handle it
        tunnel.onPart(0, OWNER, part.bytes(), 0, part.bytes().length);
        assertThat(tunnel.readyFrames()).isEqualTo(1);
        pipeline.deliverTunnelled(0);
        assertThat(parts).as("not encapsulated again").isEmpty();
        assertThat(distribution.redirectLoopsAvoided()).isEqualTo(1);
        assertThat(tunnel.decapsulated()).isEqualTo(1);
        assertThat(sentOn).as("routed from wan to lan like a frame that came in on wan").containsExactly(1);
    }
}
