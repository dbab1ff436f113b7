package io.ringwall.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameTunnelTest {
    private static final int NODES = 3;
    private static final int INTERFACES = 3;
    private static final int MAX_FRAME = 1518;
    /** The default cluster packet (1200) less the message layer's overhead and datagram header. */
    private static final int MAX_PART = 1160;
    private static final long MS = 1_000_000L;

    private record Part(int node, int ifIndex, byte[] bytes) {
    }

    private record Joined(int ifIndex, byte[] frame, int offload) {
    }

    private final List<Part> sent = new ArrayList<>();
    private final List<Joined> joined = new ArrayList<>();
    private boolean refuse;
    private final FrameTunnel sender = new FrameTunnel(NODES, INTERFACES, MAX_FRAME, MAX_PART, (node, itf, part, len) -> {
        if (refuse) {
            return false;
        }
        sent.add(new Part(node, itf, java.util.Arrays.copyOf(part, len)));
        return true;
    });
    private final FrameTunnel receiver = new FrameTunnel(NODES, INTERFACES, MAX_FRAME, MAX_PART, (n, i, p, l) -> true);

    private static byte[] frame(int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i * 7 + 3);
        }
        return f;
    }

    private void send(byte[] frame, int ifIndex, int offload) {
        assertThat(sender.send(2, ifIndex, MemorySegment.ofArray(frame), frame.length, offload)).isTrue();
    }

    private void receive(long nowNs, int peer, byte[] part) {
        receiver.onPart(nowNs, peer, part, 0, part.length);
    }

    private void drain() {
        receiver.drain(0, (now, itf, frame, length, offload) ->
                joined.add(new Joined(itf, frame.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), offload)));
    }

    @Test
    void aSmallFrameTravelsInOnePartWithThisHeader() {
        byte[] frame = frame(60);
        send(frame, 1, 4);
        assertThat(sent).hasSize(1);
        Part p = sent.getFirst();
        assertThat(p.node()).isEqualTo(2);
        assertThat(p.ifIndex()).isEqualTo(1);
        assertThat(HexFormat.of().formatHex(p.bytes(), 0, FrameTunnel.HEADER))
                // version 1, interface 1, part 0 of 1, frame id 0, length 60, offset 0, offload flags 4
                .isEqualTo("01" + "01" + "00" + "01" + "00000000" + "003c" + "0000" + "00000004");
        assertThat(p.bytes()).hasSize(FrameTunnel.HEADER + 60);
        assertThat(java.util.Arrays.copyOfRange(p.bytes(), FrameTunnel.HEADER, p.bytes().length)).isEqualTo(frame);
        assertThat(sender.encapsulated()).isEqualTo(1);
        assertThat(sender.partsSent()).isEqualTo(1);
    }

    @Test
    void aFullSizeFrameIsSplitInTwoPartsAndJoinedWhole() {
        byte[] frame = frame(1514);
        send(frame, 0, 0);
        assertThat(sent).hasSize(2);
        int firstBytes = MAX_PART - FrameTunnel.HEADER;
        assertThat(HexFormat.of().formatHex(sent.get(1).bytes(), 0, FrameTunnel.HEADER))
                // version 1, interface 0, part 1 of 2, frame id 0, length 1514, offset 1144
                .isEqualTo("01" + "00" + "01" + "02" + "00000000" + "05ea" + String.format("%04x", firstBytes) + "00000000");
        assertThat(sent.get(0).bytes()).hasSize(MAX_PART);
        assertThat(sent.get(1).bytes()).hasSize(FrameTunnel.HEADER + 1514 - firstBytes);
        receive(0, 1, sent.get(0).bytes());
        drain();
        assertThat(joined).as("half a frame is not delivered").isEmpty();
        receive(0, 1, sent.get(1).bytes());
        drain();
        assertThat(joined).hasSize(1);
        assertThat(joined.getFirst().ifIndex()).isZero();
        assertThat(joined.getFirst().frame()).isEqualTo(frame);
        assertThat(receiver.decapsulated()).isEqualTo(1);
        assertThat(receiver.readyFrames()).isZero();
    }

    @Test
    void partsArrivingOutOfOrderAndInterleavedWithAnotherFrameAreJoined() {
        byte[] a = frame(1514);
        byte[] b = frame(1400);
        b[20] = 99;
        send(a, 0, 0);
        send(b, 1, 1);
        receive(0, 1, sent.get(3).bytes());
        receive(0, 1, sent.get(1).bytes());
        receive(0, 1, sent.get(2).bytes());
        receive(0, 1, sent.get(0).bytes());
        drain();
        assertThat(joined).extracting(Joined::ifIndex).containsExactly(1, 0);
        assertThat(joined.get(0).frame()).isEqualTo(b);
        assertThat(joined.get(0).offload()).isEqualTo(1);
        assertThat(joined.get(1).frame()).isEqualTo(a);
    }

    @Test
    void aDuplicatePartIsDroppedAndCounted() {
        send(frame(1514), 0, 0);
        receive(0, 1, sent.get(0).bytes());
        receive(0, 1, sent.get(0).bytes());
        receive(0, 1, sent.get(1).bytes());
        receive(0, 1, sent.get(1).bytes()); // after the frame completed: starts a new one that never completes
        drain();
        assertThat(joined).hasSize(1);
        assertThat(receiver.partsDropped()).isEqualTo(1);
    }

    @Test
    void badPartsAreDroppedAndCountedWithoutThrowing() {
        send(frame(1514), 0, 0);
        byte[] good = sent.get(0).bytes();
        List<byte[]> bad = new ArrayList<>();
        bad.add(java.util.Arrays.copyOf(good, FrameTunnel.HEADER)); // header only, no bytes
        bad.add(new byte[3]); // truncated header
        byte[] version = good.clone();
        version[0] = 2;
        bad.add(version);
        byte[] itf = good.clone();
        itf[1] = (byte) INTERFACES; // an interface this node does not have
        bad.add(itf);
        byte[] index = good.clone();
        index[2] = 2; // part 2 of 2
        bad.add(index);
        byte[] count = good.clone();
        count[3] = (byte) (FrameTunnel.MAX_PARTS + 1);
        bad.add(count);
        byte[] noCount = good.clone();
        noCount[3] = 0;
        bad.add(noCount);
        byte[] huge = good.clone();
        huge[8] = (byte) 0xFF; // frame length 65 k: more than this node's interfaces carry
        bad.add(huge);
        byte[] tiny = good.clone();
        tiny[8] = 0;
        tiny[9] = 13; // shorter than an Ethernet header
        bad.add(tiny);
        byte[] beyond = good.clone();
        beyond[10] = 0x05; // offset 1280 + 1144 bytes > 1514
        bad.add(beyond);
        for (byte[] b : bad) {
            receive(0, 1, b);
        }
        receiver.onPart(0, 1, good, good.length - 2, 10); // a slice past the end of the array
        receiver.onPart(0, NODES, good, 0, good.length); // a node outside the cluster
        receiver.onPart(0, 1, null, 0, 0);
        drain();
        assertThat(joined).isEmpty();
        assertThat(receiver.partsDropped()).isEqualTo(bad.size() + 3);
        // nothing was taken: the real frame still joins
        receive(0, 1, sent.get(0).bytes());
        receive(0, 1, sent.get(1).bytes());
        drain();
        assertThat(joined).hasSize(1);
    }

    @Test
    void aPartContradictingItsFramesFirstPartIsDropped() {
        send(frame(1514), 0, 0);
        receive(0, 1, sent.get(0).bytes());
        byte[] other = sent.get(1).bytes().clone();
        other[1] = 2; // same frame id, another interface
        receive(0, 1, other);
        drain();
        assertThat(joined).isEmpty();
        assertThat(receiver.partsDropped()).isEqualTo(1);
    }

    @Test
    void aFrameWithAPartMissingIsGivenUpAfterTheTimeout() {
        send(frame(1514), 0, 0);
        receive(0, 1, sent.get(0).bytes());
        receive(FrameTunnel.REASSEMBLY_TIMEOUT_NS + MS, 1, sent.get(1).bytes());
        drain();
        assertThat(joined).as("the late part alone is no frame").isEmpty();
        assertThat(receiver.incomplete()).isEqualTo(1);
        receive(2 * FrameTunnel.REASSEMBLY_TIMEOUT_NS + 3 * MS, 1, sent.get(0).bytes()); // sweeps the late part's slot
        assertThat(receiver.incomplete()).isEqualTo(2);
    }

    @Test
    void slotsAreBoundedPerPeerAndTheOldestIncompleteFrameIsEvicted() {
        for (int i = 0; i <= FrameTunnel.SLOTS_PER_PEER; i++) {
            send(frame(1514), 0, 0);
        }
        for (int i = 0; i <= FrameTunnel.SLOTS_PER_PEER; i++) {
            receive(i * MS, 1, sent.get(2 * i).bytes()); // first halves only: one more frame than slots
        }
        assertThat(receiver.incomplete()).as("the oldest made room").isEqualTo(1);
        receive(10 * MS, 2, sent.get(1).bytes()); // another peer's slots are its own
        for (int i = 1; i <= FrameTunnel.SLOTS_PER_PEER; i++) {
            receive(10 * MS, 1, sent.get(2 * i + 1).bytes());
        }
        drain();
        assertThat(joined).as("every frame but the evicted first").hasSize(FrameTunnel.SLOTS_PER_PEER);
        assertThat(receiver.partsDropped()).isZero();
    }

    @Test
    void aFrameLargerThanThePartsCarryIsNotSent() {
        FrameTunnel small = new FrameTunnel(NODES, INTERFACES, 9018, 200, (n, i, p, l) -> true);
        assertThat(small.maxFrameBytes()).isEqualTo((200 - FrameTunnel.HEADER) * FrameTunnel.MAX_PARTS);
        byte[] big = frame(small.maxFrameBytes() + 1);
        assertThat(small.send(1, 0, MemorySegment.ofArray(big), big.length, 0)).isFalse();
        assertThat(small.tooLarge()).isEqualTo(1);
        assertThat(small.encapsulated()).isZero();
    }

    @Test
    void aPartTheClusterCannotSendFailsTheFrame() {
        refuse = true;
        assertThat(sender.send(1, 0, MemorySegment.ofArray(frame(100)), 100, 0)).isFalse();
        assertThat(sender.encapsulated()).isZero();
    }
}
