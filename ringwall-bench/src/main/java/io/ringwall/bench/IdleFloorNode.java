package io.ringwall.bench;

import io.ringwall.linux.LinuxDriver;
import io.ringwall.node.Effects;
import io.ringwall.node.NodeMachine;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.MacAddress;
import io.ringwall.wire.ParseError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The floor under bench/idle.sh: a node that does nothing but the token ring's I/O pattern, on the real
 * {@link LinuxDriver}. Three of them in a ring (bench/idle-floor.sh) pass a token frame every {@link #HOP_NS}: the
 * receiver acks it at once to the sender, holds it one hop and passes it to its successor, which arms a
 * retransmission timer that the ack cancels — the same wake-ups (arrival, hop timer, ack), the same system calls
 * (ppoll over three packet sockets, recvmsg until EAGAIN, one sendmsg per frame) and the same thread priority as a
 * real node with the default timers, and none of the node's work (no sealing, no codec, no roles, no policy).
 * What this costs is what the platform (kernel, emulated switch, JVM, driver) charges for that pattern; what a real
 * node costs above it is ours.
 *
 * <p>Frames: Ethernet to the peer's cluster-device MAC, EtherType {@link #ETHERTYPE} (IEEE local experimental), one
 * type byte ('T' token, 'A' ack) and zero padding to {@link #FRAME_BYTES}, about a sealed token's size.
 *
 * <p>Usage: {@code IdleFloorNode WAN LAN CLUSTER SELF_MAC PREV_MAC NEXT_MAC START} (devices of this node; MACs as
 * aa:bb:cc:dd:ee:ff; START true on exactly one node, which sends the first token after {@link #START_DELAY_NS}).
 */
public final class IdleFloorNode implements NodeMachine {
    static final long HOP_NS = 10_000_000L;
    /** A real node resends an unacked token every third of its 30 ms ack timeout. */
    static final long RETRANSMIT_NS = 10_000_000L;
    static final long START_DELAY_NS = 2_000_000_000L;
    static final int ETHERTYPE = 0x88b5;
    static final int FRAME_BYTES = 320;
    static final int CLUSTER_IF = 2;
    static final byte TOKEN = 'T';
    static final byte ACK = 'A';

    private final Effects effects;
    private final long selfMac;
    private final long prevMac;
    private final long nextMac;
    private final MemorySegment out = Arena.ofAuto().allocate(FRAME_BYTES);
    private final EthernetFrame received = new EthernetFrame();
    private long passAtNs = Long.MAX_VALUE;
    private long retransmitAtNs = Long.MAX_VALUE;

    IdleFloorNode(Effects effects, long selfMac, long prevMac, long nextMac, boolean starter, long nowNs) {
        this.effects = effects;
        this.selfMac = selfMac;
        this.prevMac = prevMac;
        this.nextMac = nextMac;
        if (starter) {
            passAtNs = nowNs + START_DELAY_NS;
        }
    }

    @Override
    public void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags) {
        if (ifIndex != CLUSTER_IF || received.wrap(frame, length) != ParseError.OK
                || received.etherType() != ETHERTYPE || received.payloadLength() < 1) {
            return;
        }
        byte type = frame.get(ValueLayout.JAVA_BYTE, received.payloadOffset());
        if (type == TOKEN) {
            send(prevMac, ACK);
            passAtNs = nowNs + HOP_NS;
        } else if (type == ACK) {
            retransmitAtNs = Long.MAX_VALUE;
        }
    }

    @Override
    public void onTick(long nowNs) {
        if (nowNs - passAtNs >= 0 || nowNs - retransmitAtNs >= 0) {
            passAtNs = Long.MAX_VALUE;
            send(nextMac, TOKEN);
            retransmitAtNs = nowNs + RETRANSMIT_NS;
        }
    }

    @Override
    public long nextDeadlineNs() {
        return Math.min(passAtNs, retransmitAtNs);
    }

    private void send(long dstMac, byte type) {
        int header = EthernetFrame.write(out, dstMac, selfMac, ETHERTYPE);
        out.set(ValueLayout.JAVA_BYTE, header, type);
        effects.sendFrame(CLUSTER_IF, out, FRAME_BYTES, 0);
    }

    public static void main(String[] args) {
        if (args.length != 7) {
            System.err.println("usage: IdleFloorNode WAN LAN CLUSTER SELF_MAC PREV_MAC NEXT_MAC START(true|false)");
            System.exit(2);
        }
        long self = MacAddress.parse(args[3]);
        long prev = MacAddress.parse(args[4]);
        long next = MacAddress.parse(args[5]);
        boolean starter = Boolean.parseBoolean(args[6]);
        try (LinuxDriver driver = LinuxDriver.open(List.of(args[0], args[1], args[2]))) {
            driver.withPriority(LinuxDriver.LoopPriority.FIFO).run(
                    effects -> new IdleFloorNode(effects, self, prev, next, starter, System.nanoTime()), () -> false);
        }
    }
}
