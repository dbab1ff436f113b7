package io.ringwall.sim;

import io.ringwall.sim.packet.FrameWriter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinkAndSegmentTest {
    /** Records what arrives; frames carry a 32-bit sequence number at offset 14. */
    static final class Recorder implements FrameEndpoint {
        final String name;
        final List<byte[]> frames = new ArrayList<>();

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void receive(long nowNs, byte[] frame) {
            frames.add(frame);
        }
    }

    static byte[] frame(long dst, long src, int sequence) {
        byte[] f = new byte[64];
        io.ringwall.sim.packet.Bytes.putMac(f, 0, dst);
        io.ringwall.sim.packet.Bytes.putMac(f, 6, src);
        io.ringwall.sim.packet.Bytes.put32(f, 14, sequence);
        return f;
    }

    @Test
    void unknownDestinationIsFloodedThenLearnedMacIsSwitchedToOnePort() {
        Simulation sim = new Simulation(7);
        SimSegment seg = new SimSegment(sim, "s");
        Recorder a = new Recorder("a"), b = new Recorder("b"), c = new Recorder("c");
        SimLink la = seg.attach(a, LinkProfile.ideal());
        SimLink lb = seg.attach(b, LinkProfile.ideal());
        seg.attach(c, LinkProfile.ideal());

        la.transmit(frame(0xB, 0xA, 1), 64); // b unknown yet: flooded to b and c
        sim.runFor(1_000_000);
        assertThat(b.frames).hasSize(1);
        assertThat(c.frames).hasSize(1);
        assertThat(a.frames).isEmpty();

        lb.transmit(frame(0xA, 0xB, 2), 64); // a was learned: only a gets it
        sim.runFor(1_000_000);
        assertThat(a.frames).hasSize(1);
        assertThat(c.frames).hasSize(1);
        assertThat(seg.portOf(0xA)).isEqualTo(0);
        assertThat(seg.portOf(0xB)).isEqualTo(1);
        assertThat(seg.framesSwitched()).isEqualTo(1);
        assertThat(seg.framesFlooded()).isEqualTo(1);
    }

    @Test
    void isolatedPortsDoNotReachEachOtherButStillReachTheRestUntilRejoined() {
        Simulation sim = new Simulation(7);
        SimSegment seg = new SimSegment(sim, "s");
        Recorder a = new Recorder("a"), b = new Recorder("b"), c = new Recorder("c");
        SimLink la = seg.attach(a, LinkProfile.ideal());
        SimLink lb = seg.attach(b, LinkProfile.ideal());
        SimLink lc = seg.attach(c, LinkProfile.ideal());
        seg.isolate(la, lb);
        la.transmit(frame(FrameWriter.BROADCAST_MAC, 0xA, 1), 64); // flooded: c only
        lc.transmit(frame(0xA, 0xC, 2), 64);
        sim.runFor(1_000_000);
        lb.transmit(frame(0xA, 0xB, 3), 64); // switched to a's port: isolated
        sim.runFor(1_000_000);
        assertThat(b.frames).isEmpty();
        assertThat(c.frames).hasSize(1);
        assertThat(a.frames).hasSize(1);
        assertThat(seg.framesIsolated()).isEqualTo(2);
        seg.rejoin(lb, la);
        lb.transmit(frame(0xA, 0xB, 4), 64);
        sim.runFor(1_000_000);
        assertThat(a.frames).hasSize(2);
    }

    @Test
    void macSeenOnAnotherPortMovesThere() {
        Simulation sim = new Simulation(7);
        SimSegment seg = new SimSegment(sim, "s");
        Recorder a = new Recorder("a"), b = new Recorder("b"), c = new Recorder("c");
        SimLink la = seg.attach(a, LinkProfile.ideal());
        seg.attach(b, LinkProfile.ideal());
        SimLink lc = seg.attach(c, LinkProfile.ideal());
        la.transmit(frame(FrameWriter.BROADCAST_MAC, 0x1234, 1), 64);
        sim.runFor(1_000_000);
        lc.transmit(frame(FrameWriter.BROADCAST_MAC, 0x1234, 2), 64); // e.g. a VIP's gratuitous ARP from a new owner
        sim.runFor(1_000_000);
        assertThat(seg.portOf(0x1234)).isEqualTo(2);
        assertThat(b.frames).hasSize(2);
    }

    @Test
    void lossDuplicationAndReorderingMatchTheProfileOverManyFrames() {
        Simulation sim = new Simulation(42);
        SimSegment seg = new SimSegment(sim, "s");
        Recorder a = new Recorder("a"), b = new Recorder("b");
        LinkProfile lossy = LinkProfile.ideal().withLoss(0.10).withDuplicate(0.05).withReorder(0.05, 1_000_000);
        SimLink la = seg.attach(a, lossy);
        seg.attach(b, LinkProfile.ideal());
        seg.attach(new Recorder("learn"), LinkProfile.ideal());
        int frames = 20_000;
        for (int i = 0; i < frames; i++) {
            int seq = i;
            sim.schedule(i * 10_000L, () -> la.transmit(frame(FrameWriter.BROADCAST_MAC, 0xA, seq), 64));
        }
        sim.runFor(1_000_000_000L);

        assertThat(la.framesLost()).isBetween((long) (frames * 0.09), (long) (frames * 0.11));
        assertThat(la.framesDuplicated()).isBetween((long) (frames * 0.9 * 0.04), (long) (frames * 0.9 * 0.06));
        assertThat(la.framesReordered()).isBetween((long) (frames * 0.9 * 0.04), (long) (frames * 0.9 * 0.06));
        assertThat(b.frames).hasSize((int) (frames - la.framesLost() + la.framesDuplicated()));
        int outOfOrder = 0;
        int highest = -1;
        for (byte[] f : b.frames) {
            int seq = io.ringwall.sim.packet.Bytes.i32(f, 14);
            if (seq < highest) {
                outOfOrder++;
            }
            highest = Math.max(highest, seq);
        }
        // a held-back frame is overtaken, so it arrives below the highest seen; duplicates add a few
        assertThat(outOfOrder).isGreaterThanOrEqualTo((int) (la.framesReordered() * 0.9));
    }

    @Test
    void downLinkDropsEverythingAndCountsIt() {
        Simulation sim = new Simulation(3);
        SimSegment seg = new SimSegment(sim, "s");
        Recorder a = new Recorder("a"), b = new Recorder("b");
        SimLink la = seg.attach(a, LinkProfile.ideal());
        SimLink lb = seg.attach(b, LinkProfile.ideal());
        Partition partition = new Partition(List.of(lb));
        partition.apply();
        la.transmit(frame(FrameWriter.BROADCAST_MAC, 0xA, 1), 64);
        sim.runFor(1_000_000);
        assertThat(b.frames).isEmpty();
        assertThat(lb.framesDroppedDown()).isEqualTo(1);
        partition.heal();
        la.transmit(frame(FrameWriter.BROADCAST_MAC, 0xA, 2), 64);
        sim.runFor(1_000_000);
        assertThat(b.frames).hasSize(1);
    }
}
