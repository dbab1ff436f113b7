package io.ringwall.sim;

import io.ringwall.node.Effects;
import io.ringwall.node.NodeConfig;
import io.ringwall.node.NodeMachine;
import io.ringwall.sim.packet.Bytes;
import io.ringwall.sim.packet.FrameWriter;
import io.ringwall.sim.packet.InternetChecksum;
import io.ringwall.sim.packet.ParsedFrame;
import io.ringwall.time.Prng;
import io.ringwall.wire.Ipv4Address;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only stand-in for GatewayNode: a stateless router. Answers ARP for its VIPs and own
 * addresses, forwards IPv4 between connected subnets (TTL decrement, ICMP time exceeded),
 * resolves next hops with ARP (a few frames held per neighbour, requests retried every tick),
 * and ticks every 100 ms.
 */
public final class TestRouterNode implements NodeMachine {
    static final long TICK_PERIOD_NS = 100_000_000L;
    static final int PENDING_MAX = 8;

    private final NodeConfig config;
    private final Effects effects;
    private final Map<Integer, Long> neighbours = new HashMap<>();
    private final Map<Integer, ArrayDeque<byte[]>> pending = new HashMap<>();
    /** Unresolved next hops and the interface to ask on, retried every tick (sorted: deterministic order). */
    private final TreeMap<Integer, Integer> unresolved = new TreeMap<>();
    private long nextTickNs = TICK_PERIOD_NS;
    long ticks;

    public TestRouterNode(NodeConfig config, Effects effects, Prng prng) {
        this.config = config;
        this.effects = effects;
        effects.log("start", config.nodeName());
    }

    @Override
    public void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags) {
        byte[] f = frame.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        ParsedFrame p = ParsedFrame.parse(f);
        var itf = config.interfaces().get(ifIndex);
        if (p.kind == ParsedFrame.Kind.ARP) {
            onArp(ifIndex, itf, p);
        } else if (p.dstMac == itf.mac() && p.kind != ParsedFrame.Kind.MALFORMED
                && p.kind != ParsedFrame.Kind.BAD_CHECKSUM && p.kind != ParsedFrame.Kind.OTHER) {
            forward(ifIndex, p, f);
        }
    }

    private boolean owns(NodeConfig.InterfaceConfig itf, int ip) {
        return itf.ownAddress() == ip || itf.vips().contains(ip);
    }

    private void onArp(int ifIndex, NodeConfig.InterfaceConfig itf, ParsedFrame p) {
        neighbours.put(p.arpSenderIp, p.arpSenderMac);
        unresolved.remove(p.arpSenderIp);
        ArrayDeque<byte[]> waiting = pending.remove(p.arpSenderIp);
        if (waiting != null) {
            for (byte[] w : waiting) {
                Bytes.putMac(w, 0, p.arpSenderMac);
                send(ifIndex, w);
            }
        }
        if (p.arpOp == 1 && owns(itf, p.arpTargetIp)) {
            send(ifIndex, FrameWriter.arp(itf.mac(), p.arpSenderMac, 2, itf.mac(), p.arpTargetIp,
                    p.arpSenderMac, p.arpSenderIp));
        }
    }

    private void forward(int inIf, ParsedFrame p, byte[] f) {
        int out = -1;
        for (var itf : config.interfaces()) {
            if (Ipv4Address.inSubnet(p.dstIp, itf.subnetAddress(), itf.prefixLength())) {
                out = itf.index();
            }
        }
        if (out < 0 || owns(config.interfaces().get(out), p.dstIp)) {
            return;
        }
        var inItf = config.interfaces().get(inIf);
        if (p.ttl <= 1) {
            byte[] quote = java.util.Arrays.copyOfRange(f, 14, Math.min(f.length, p.l4Offset + 8));
            byte[] icmp = FrameWriter.icmp(11, 0, 0, quote);
            send(inIf, FrameWriter.ipv4(inItf.mac(), p.srcMac, inItf.vips().getFirst(), p.srcIp,
                    FrameWriter.PROTO_ICMP, 64, 0, icmp));
            return;
        }
        f[14 + 8] = (byte) (p.ttl - 1);
        Bytes.put16(f, 14 + 10, 0);
        Bytes.put16(f, 14 + 10, InternetChecksum.finish(InternetChecksum.add(0, f, 14, p.l4Offset - 14)));
        var outItf = config.interfaces().get(out);
        Bytes.putMac(f, 6, outItf.mac());
        Long mac = neighbours.get(p.dstIp);
        if (mac != null) {
            Bytes.putMac(f, 0, mac);
            send(out, f);
            return;
        }
        ArrayDeque<byte[]> q = pending.computeIfAbsent(p.dstIp, k -> new ArrayDeque<>());
        if (q.size() < PENDING_MAX) {
            q.add(f);
        }
        if (q.size() == 1) {
            unresolved.put(p.dstIp, out);
            requestArp(out, p.dstIp);
        }
    }

    private void requestArp(int ifIndex, int ip) {
        var itf = config.interfaces().get(ifIndex);
        send(ifIndex, FrameWriter.arp(itf.mac(), FrameWriter.BROADCAST_MAC, 1, itf.mac(), itf.vips().getFirst(), 0, ip));
    }

    private void send(int ifIndex, byte[] frame) {
        effects.sendFrame(ifIndex, MemorySegment.ofArray(frame), frame.length, 0);
    }

    @Override
    public void onTick(long nowNs) {
        ticks++;
        unresolved.forEach((ip, ifIndex) -> requestArp(ifIndex, ip));
        while (nextTickNs - nowNs <= 0) {
            nextTickNs += TICK_PERIOD_NS;
        }
    }

    @Override
    public long nextDeadlineNs() {
        return nextTickNs;
    }
}
