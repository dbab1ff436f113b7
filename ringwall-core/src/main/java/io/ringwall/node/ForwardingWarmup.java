package io.ringwall.node;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.ConntrackConfig;
import io.ringwall.conntrack.FlowRecord;
import io.ringwall.conntrack.FlowTable;
import io.ringwall.time.Prng;
import io.ringwall.wire.ArpPacket;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.FrameBuilder;
import io.ringwall.wire.IcmpMessage;
import io.ringwall.wire.ParseError;
import io.ringwall.wire.TcpSegment;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs synthetic connections through a throwaway node built from this node's configuration, before the real node
 * starts. A standby never forwards, so without this the first packets it forwards after a failover or a drain run
 * in the interpreter while the JIT compiles the forwarding path — on real nodes that cost 10–20 ms of extra gap.
 * <p>The throwaway node has this node's interfaces, addresses, VIPs and rules (plus a final catch-all accept, so
 * traffic the rules would drop still reaches the forwarding code) and, for a cluster member, a cluster of one with the
 * same timers and distribution, so the same code paths (bucket owner checks, sync recording) run as they will. Its
 * frames go nowhere and its time is virtual: the warm-up sends nothing and does not touch the real node's state.
 */
public final class ForwardingWarmup {
    /** Default number of synthetic connections: enough for the JIT's top tier on the per-packet path. */
    public static final int DEFAULT_FLOWS = 20_000;
    private static final int DATA_ROUNDS = 3;
    private static final int PAYLOAD = 100;
    /** A TSO super-frame's payload, as a local TCP sender hands it to a veth: 8 segments of 1448 bytes. */
    private static final int BULK_PAYLOAD = 8 * 1448;
    private static final int FRAME_BYTES = 16_384;
    /**
     * The offload states frames arrive in, one per connection in turn: none, checksum not yet computed (every frame
     * from a local sender on a veth), checksum verified (a NIC's). Real traffic takes all three branches.
     */
    private static final int[] OFFLOADS = {0, Offload.CSUM_PARTIAL, Offload.CSUM_VALID};
    private static final long FRAME_NS = 20_000L;
    private static final long START_NS = 1_000_000_000L;
    private static final int WARMUP_MAX_FLOWS = 16_384;
    /** A replication batch as a peer sends it: one unfragmented cluster message (FlowSync). */
    private static final int REPLICA_BATCH_BYTES = 1_200;
    /** Flow-table entries one synthetic connection leaves behind: its TCP, UDP and ICMP flows. */
    private static final int FLOWS_PER_CONNECTION = 3;
    /** Longer than the longest timeout a closed synthetic flow is in (TIME_WAIT, replied UDP: 120 s). */
    private static final long IDLE_BETWEEN_BATCHES_NS = 130_000_000_000L;
    private static final long IDLE_STEP_NS = 10_000_000L;
    /** Every this many connections continue as flows taken over from another node (widened window checks). */
    private static final int TAKEN_OVER_EVERY = 4;
    private static final int TCP_PORT = 443;
    private static final int UDP_PORT = 53;
    /** Every this many connections, the server answers the UDP datagram with an ICMP port unreachable instead. */
    private static final int UNREACHABLE_EVERY = 8;
    /** What Linux offers on a SYN: MSS 1460, SACK permitted, timestamps, window scale 7 (real traffic's branches). */
    private static final byte[] SYN_OPTIONS = {2, 4, 0x05, (byte) 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
    /** Timestamps on every later segment, as Linux sends them. */
    private static final byte[] TS_OPTIONS = {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1};
    /**
     * Options of a receiver that lost a segment: timestamps and a SACK block (one block, then three: the longest
     * that fit), and an option no parser knows (kind 253, experimental), skipped by its length. Untrained, the parser's
     * SACK branch trapped to the interpreter on a new owner's first lossy segments after a failover, taking the
     * compiled forwarding path with it (deoptimisation logs of real nodes).
     */
    private static final byte[][] LOSS_OPTIONS = {
            {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1, 1, 1, 5, 10, 0, 0, 0x10, 0, 0, 0, 0x20, 0},
            {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1, 1, 1, 5, 26, 0, 0, 0x10, 0, 0, 0, 0x20, 0, 0, 0, 0x30, 0, 0, 0, 0x40,
                    0, 0, 0, 0x50, 0, 0, 0, 0x60, 0},
            {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1, (byte) 253, 4, 0x12, 0x34}};

    /**
     * What the warm-up did: connections run, frames fed to the node and frames it sent (forwarded or answered), and
     * flows it moved to the standby store and back.
     */
    public record Result(int flows, long framesIn, long framesOut, boolean ownedVips, long flowsHandedOver,
                         long recordsReplicated) {
        public String describe() {
            return flows + " synthetic connections, " + framesIn + " frames in, " + framesOut + " out, "
                    + flowsHandedOver + " flows handed over and back, " + recordsReplicated
                    + " replication records imported"
                    + (ownedVips ? "" : " (the throwaway node never owned its VIPs)");
        }
    }

    private final NodeConfig config;
    private final MemorySegment frame;
    private final MemorySegment payload;
    /** An ICMP error is built here, quoting the datagram in {@link #frame}. */
    private final MemorySegment quote;
    /** Offload flags of the frames of the current connection. */
    private int offload;
    /** ARP requests of the throwaway node for a synthetic host, answered after the frame that caused them. */
    private final ArrayDeque<ArpAsk> asks = new ArrayDeque<>();
    private final EthernetFrame sentEth = new EthernetFrame();
    private final ArpPacket sentArp = new ArpPacket();
    private final List<Host> hosts = new ArrayList<>();
    private long handedOver;
    private long replicated;
    private final byte[] replicaBatch = new byte[REPLICA_BATCH_BYTES];
    private GatewayNode node;
    private long nowNs = START_NS;
    private long framesIn;
    private long framesOut;

    /** The node asked {@code host} for its MAC, from {@code askerIp}. */
    private record ArpAsk(Host host, int askerIp) {
    }

    /** A synthetic host on one interface's subnet. */
    private record Host(int ifIndex, int ip, long mac, long gatewayMac) {
    }

    private ForwardingWarmup(NodeConfig config, Arena arena) {
        this.config = config;
        this.frame = arena.allocate(FRAME_BYTES);
        this.payload = arena.allocate(BULK_PAYLOAD);
        this.quote = arena.allocate(FRAME_BYTES);
    }

    /**
     * Runs {@code flows} synthetic TCP connections (plus a UDP exchange and a ping each) between hosts on every
     * pair of this node's subnets. Nothing leaves the process; returns what happened. A configuration with fewer
     * than two subnets has nothing to forward: returns at once.
     */
    public static Result run(NodeConfig config, int flows) {
        try (Arena arena = Arena.ofConfined()) {
            return new ForwardingWarmup(throwaway(config), arena).go(flows);
        }
    }

    /** The same node with a small flow table, a catch-all accept after its rules and, if clustered, a ring of one. */
    static NodeConfig throwaway(NodeConfig config) {
        NodeConfig.RulesSource rules = new NodeConfig.RulesSource(config.rules().fileName(),
                config.rules().text() + "\naccept proto tcp\naccept proto udp\naccept proto icmp\n");
        ClusterSettings c = config.cluster();
        ClusterSettings alone = c == null ? null : new ClusterSettings(0,
                List.of(new ClusterSettings.Member(0, c.self().name(), c.self().addressByInterface())), c.udpPort(),
                c.secret(), c.tokenHopNs(), c.tokenAckTimeoutNs(), c.tokenLossNs(), "none", c.configDigest(),
                c.bootEpoch(), c.deferTimeoutNs(), null, c.strictTcpByDefault(), c.distribution(), c.freshNodeNs());
        return new NodeConfig(config.nodeName(), config.interfaces(), config.routes(), rules, config.limits(), alone)
                .withMaxFlowsAtMost(WARMUP_MAX_FLOWS);
    }

    private Result go(int flows) {
        for (NodeConfig.InterfaceConfig itf : config.interfaces()) {
            int ip = freeHostAddress(itf);
            if (ip != 0) {
                hosts.add(new Host(itf.index(), ip, 0x02_57_41_52_4d_00L | itf.index(), itf.mac()));
            }
        }
        if (hosts.size() < 2 || flows <= 0) {
            return new Result(0, 0, 0, false, 0, 0);
        }
        // One node per sink class: the node's calls into its Effects see three receiver types, so the JIT compiles
        // them as plain interface calls. Trained on one type, it would inline that type behind a guard, and the real
        // driver's Effects would fail the guard on the first forwarded packet: deoptimisation, just when speed counts.
        Sink[] sinks = {new Sink(), new OtherSink(), new ThirdSink()};
        boolean owned = true;
        int run = 0;
        int batch = Math.max(1, config.limits().maxFlows() / FLOWS_PER_CONNECTION / 2);
        int perNode = Math.max(1, (flows + sinks.length - 1) / sinks.length);
        for (int i = 0; i < flows; i++) {
            if (i % perNode == 0) {
                node = new GatewayNode(config, sinks[i / perNode], new Prng(i));
                owned &= settle();
            } else if (i % batch == 0) {
                handOverAndBack();
                idle(IDLE_BETWEEN_BATCHES_NS); // the closed connections expire, as on a real node: the table never fills
            }
            int from = i % hosts.size(), step = 1 + (i / hosts.size()) % (hosts.size() - 1);
            Host client = hosts.get(from);
            Host server = hosts.get((from + step) % hosts.size());
            int port = 1024 + i % 60_000;
            tcpConnection(client, server, port, i);
            udpExchange(client, server, port, i);
            ping(client, server, i);
            run++;
        }
        return new Result(run, framesIn, framesOut, owned, handedOver, replicated);
    }

    /**
     * Every flow to the standby store and back, as when this node hands its buckets on and later takes buckets over
     * (a drain's target promotes the drained node's flows). Why: the scenarios of the cluster warm-up move a few dozen
     * flows, too few for the JIT, and a node restarted seconds before a drain promoted ~1,000 flows interpreted: its
     * bucket-map notice took 3–5 ms, a token waited past the fast profile's ack timeout, the ring removed the node.
     */
    private void handOverAndBack() {
        node.conntrack().demote(hash -> true);
        handedOver += node.conntrack().promote(hash -> true);
        replicateToAFreshNode();
    }

    /**
     * Every active flow, as the replication records a peer sends and in batches of a peer's size, imported by the
     * store of a node that has none of them yet, then the same batches again (stale: the receiver has those versions).
     * Why: a restarted node imports its bulk transfer first thing after joining, and the simulated join of the cluster
     * warm-up moves a few dozen records, too few for the JIT. A real joiner took about 0.45 ms per 1.1 KB batch,
     * interpreted; its socket held 17 of them in front of a token, which waited 7 ms for its ack, and the VIP owner's
     * quorum window lapsed (docs/benchmarks.md, "The joiner's bulk import").
     */
    private void replicateToAFreshNode() {
        Conntrack from = node.conntrack();
        Conntrack fresh = new Conntrack(ConntrackConfig.defaults().withCapacities(WARMUP_MAX_FLOWS, WARMUP_MAX_FLOWS));
        FlowTable active = from.active();
        for (int pass = 0; pass < 2; pass++) {
            int length = 0;
            for (int slot = active.nextUsed(0); slot < active.capacity(); slot = active.nextUsed(slot + 1)) {
                if (length > 0 && length + FlowRecord.MAX_BYTES > replicaBatch.length) {
                    replicated += fresh.importBatch(replicaBatch, length, nowNs);
                    length = 0;
                }
                if (length == 0) {
                    replicaBatch[length++] = FlowRecord.FORMAT;
                }
                int n = from.exportRecord(active, slot, FlowRecord.KIND_FULL, nowNs, replicaBatch, length);
                length += Math.max(n, 0);
            }
            if (length > 1) {
                replicated += fresh.importBatch(replicaBatch, length, nowNs);
            }
        }
    }

    /** Lets virtual time pass until the node owns its VIPs (a cluster of one forms its ring, lifts its fence). */
    private boolean settle() {
        long until = nowNs + 5_000_000_000L;
        while (nowNs - until < 0) {
            tickTo(nowNs + 1_000_000L);
            if (ownsEveryVip()) {
                return true;
            }
        }
        return ownsEveryVip();
    }

    private boolean ownsEveryVip() {
        for (NodeConfig.InterfaceConfig itf : config.interfaces()) {
            for (int vip : itf.vips()) {
                if (!node.ownsVip(itf.index(), vip)) {
                    return false;
                }
            }
        }
        return true;
    }

    private void tcpConnection(Host c, Host s, int port, int n) {
        int cs = n * 7919, ss = n * 104_729;
        int ack = TcpSegment.ACK;
        offload = OFFLOADS[n % OFFLOADS.length];
        tcp(c, s, port, TCP_PORT, cs, 0, TcpSegment.SYN, 0, SYN_OPTIONS);
        tcp(s, c, TCP_PORT, port, ss, cs + 1, TcpSegment.SYN | ack, 0, SYN_OPTIONS);
        cs++;
        ss++;
        tcp(c, s, port, TCP_PORT, cs, ss, ack, 0);
        if (n % TAKEN_OVER_EVERY == 1) {
            // What a takeover or a return to the ring does to a flow: widened window checks for its next
            // segments. Untrained, that branch trapped to the interpreter on the first packets after a drain.
            node.conntrack().markTakenOver(node.conntrack().lastSlot()); // the slot of the handshake's last segment
        }
        if (offload == Offload.CSUM_PARTIAL) { // a bulk sender's TSO super-frame, to be segmented on transmit
            offload = Offload.CSUM_PARTIAL | Offload.GSO;
            tcp(c, s, port, TCP_PORT, cs, ss, ack, BULK_PAYLOAD);
            offload = Offload.CSUM_PARTIAL;
            cs += BULK_PAYLOAD;
        }
        for (int r = 0; r < DATA_ROUNDS; r++) {
            tcp(c, s, port, TCP_PORT, cs, ss, TcpSegment.PSH | ack, PAYLOAD);
            cs += PAYLOAD;
            tcp(s, c, TCP_PORT, port, ss, cs, TcpSegment.PSH | ack, PAYLOAD);
            ss += PAYLOAD;
        }
        tcp(c, s, port, TCP_PORT, cs, ss, ack, 0, LOSS_OPTIONS[n % LOSS_OPTIONS.length]); // a duplicate ACK
        tcp(c, s, port, TCP_PORT, cs, ss, TcpSegment.FIN | ack, 0);
        cs++;
        tcp(s, c, TCP_PORT, port, ss, cs, TcpSegment.FIN | ack, 0);
        ss++;
        tcp(c, s, port, TCP_PORT, cs, ss, ack, 0);
    }

    private void tcp(Host from, Host to, int sport, int dport, int seq, int ack, int flags, int payloadLen) {
        tcp(from, to, sport, dport, seq, ack, flags, payloadLen, TS_OPTIONS);
    }

    private void tcp(Host from, Host to, int sport, int dport, int seq, int ack, int flags, int payloadLen,
                     byte[] options) {
        int window = (flags & TcpSegment.SYN) != 0 ? 64_240 : 502; // a SYN's is unscaled; later ones << 7 = 64,256
        int len = FrameBuilder.tcp(frame, from.gatewayMac(), from.mac(), from.ip(), to.ip(), FrameBuilder.DEFAULT_TTL,
                sport, dport, seq, ack, flags, window, options, payload, payloadLen);
        feed(from.ifIndex(), len);
    }

    private void udpExchange(Host c, Host s, int port, int n) {
        int sent = FrameBuilder.udp(frame, c.gatewayMac(), c.mac(), c.ip(), s.ip(), FrameBuilder.DEFAULT_TTL,
                port, UDP_PORT, payload, PAYLOAD);
        feed(c.ifIndex(), sent);
        if (n % UNREACHABLE_EVERY == 0) {
            // The server's port is closed: an ICMP error quoting the datagram as it arrived (forwarded in place in
            // frame), which the node matches to the flow as related. Untrained, parsing a quoted IP header trapped to
            // the interpreter on real nodes after start (Ipv4Packet.wrap, deoptimisation logs).
            int len = FrameBuilder.icmpError(quote, s.gatewayMac(), s.mac(), s.ip(), c.ip(),
                    IcmpMessage.DEST_UNREACHABLE, IcmpMessage.UNREACH_PORT, frame, EthernetFrame.HEADER_LENGTH,
                    sent - EthernetFrame.HEADER_LENGTH, 0);
            feed(s.ifIndex(), quote, len);
            return;
        }
        feed(s.ifIndex(), FrameBuilder.udp(frame, s.gatewayMac(), s.mac(), s.ip(), c.ip(), FrameBuilder.DEFAULT_TTL,
                UDP_PORT, port, payload, PAYLOAD));
    }

    private void ping(Host c, Host s, int n) {
        int id = n & 0xFFFF;
        feed(c.ifIndex(), FrameBuilder.icmpEcho(frame, c.gatewayMac(), c.mac(), c.ip(), s.ip(), FrameBuilder.DEFAULT_TTL,
                IcmpMessage.ECHO_REQUEST, id, 1, 56));
        feed(s.ifIndex(), FrameBuilder.icmpEcho(frame, s.gatewayMac(), s.mac(), s.ip(), c.ip(), FrameBuilder.DEFAULT_TTL,
                IcmpMessage.ECHO_REPLY, id, 1, 56));
    }

    /** One frame in, then the ARP answers it asked for, then any timers that came due. */
    private void feed(int ifIndex, int length) {
        feed(ifIndex, frame, length);
    }

    /** One frame in from {@code in} (then the ARP answers and timers; the answers are built in {@link #frame}). */
    private void feed(int ifIndex, MemorySegment in, int length) {
        nowNs += FRAME_NS;
        node.onFrame(nowNs, ifIndex, in, length, offload);
        framesIn++;
        for (ArpAsk ask; (ask = asks.poll()) != null; ) {
            Host h = ask.host();
            int len = FrameBuilder.arp(frame, h.gatewayMac(), h.mac(), ArpPacket.OP_REPLY, h.mac(), h.ip(),
                    h.gatewayMac(), ask.askerIp());
            nowNs += FRAME_NS;
            node.onFrame(nowNs, h.ifIndex(), frame, len, 0);
            framesIn++;
        }
        tickTo(nowNs);
    }

    private void idle(long ns) {
        long end = nowNs + ns;
        while (nowNs < end) {
            tickTo(Math.min(end, nowNs + IDLE_STEP_NS));
        }
    }

    private void tickTo(long t) {
        nowNs = t;
        while (node.nextDeadlineNs() <= nowNs) { // virtual time stays far from overflow; MIN_VALUE: not started
            node.onTick(nowNs);
        }
    }

    /** An address on the interface's subnet that is not the node's, a VIP or a member's (0 if the subnet is full). */
    private static int freeHostAddress(NodeConfig.InterfaceConfig itf) {
        if (itf.prefixLength() > 29 || itf.subnetAddress() == 0) {
            return 0;
        }
        long size = 1L << (32 - itf.prefixLength());
        for (long offset = size - 2; offset > 0; offset--) {
            int ip = (int) (itf.subnetAddress() + offset);
            if (ip != itf.ownAddress() && !itf.vips().contains(ip)) {
                return ip;
            }
        }
        return 0;
    }

    /** Swallows the node's frames; answers its ARP requests for the synthetic hosts (fed after the current frame). */
    private class Sink implements Effects {
        @Override
        public void sendFrame(int ifIndex, MemorySegment out, int length, int offloadFlags) {
            framesOut++;
            if (sentEth.wrap(out, length) != ParseError.OK || sentEth.etherType() != EthernetFrame.ETHERTYPE_ARP
                    || sentArp.wrap(out, sentEth.payloadOffset(), sentEth.payloadLength()) != ParseError.OK
                    || sentArp.operation() != ArpPacket.OP_REQUEST) {
                return;
            }
            for (Host h : hosts) {
                if (h.ifIndex() == ifIndex && h.ip() == sentArp.targetIp()) {
                    asks.add(new ArpAsk(h, sentArp.senderIp()));
                }
            }
        }

        @Override
        public void log(String event, String detail) {
            // the throwaway node's VIP takeovers and ring events are not this node's: nothing to report
        }
    }

    private final class OtherSink extends Sink {
    }

    private final class ThirdSink extends Sink {
    }
}
