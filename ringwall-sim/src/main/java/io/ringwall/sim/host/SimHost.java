package io.ringwall.sim.host;

import io.ringwall.sim.FrameEndpoint;
import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.SimLink;
import io.ringwall.sim.SimSegment;
import io.ringwall.sim.Simulation;
import io.ringwall.sim.packet.Bytes;
import io.ringwall.sim.packet.FrameWriter;
import io.ringwall.sim.packet.ParsedFrame;
import io.ringwall.time.Prng;
import io.ringwall.wire.Ipv4Address;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A simulated client or server with one interface: ARP, ICMP echo (both ways) and errors, UDP
 * with per-port handlers, and {@link TcpConnection}s. It validates every checksum it receives and
 * drops (and counts) what fails, so a node that corrupts packets is caught.
 */
public final class SimHost implements FrameEndpoint {
    public static final int DEFAULT_TTL = 64;
    public static final int EPHEMERAL_PORT_FIRST = 40_000;
    public static final int PINGS_KEPT_MAX = 100_000;
    public static final int ICMP_ERRORS_KEPT_MAX = 10_000;

    /** Receives UDP datagrams addressed to a bound port. */
    @FunctionalInterface
    public interface UdpHandler {
        void onDatagram(SimHost host, int srcIp, int srcPort, int dstPort, byte[] payload);
    }

    private record ConnectionKey(int localPort, int remoteIp, int remotePort) {
    }

    private final Simulation sim;
    private final String name;
    private final long mac;
    private final int address, prefixLength, gateway;
    private final SimLink link;
    private final Prng prng;
    private final ArpCache arp = new ArpCache();
    private final Map<Integer, UdpHandler> udpHandlers = new HashMap<>();
    private final Map<Integer, TcpApp> listeners = new HashMap<>();
    private final Map<ConnectionKey, TcpConnection> connections = new HashMap<>();
    private final List<TcpConnection> allConnections = new ArrayList<>();
    private final Map<Integer, PingProbe> pingsBySequence = new HashMap<>();
    private final List<PingProbe> pings = new ArrayList<>();
    private final List<IcmpError> icmpErrors = new ArrayList<>();
    private final int pingIdentifier;
    private int nextPingSequence, nextEphemeralPort = EPHEMERAL_PORT_FIRST, nextIpId;
    private long framesBadChecksum, framesMalformed, framesIn, udpReceived, rstsSent;

    public SimHost(Simulation sim, String name, long mac, int address, int prefixLength, int gateway,
                   SimSegment segment, LinkProfile profile) {
        this.sim = sim;
        this.name = name;
        this.mac = mac;
        this.address = address;
        this.prefixLength = prefixLength;
        this.gateway = gateway;
        this.prng = sim.forkPrng();
        this.pingIdentifier = prng.nextInt(0x10000);
        this.link = segment.attach(this, profile);
    }

    @Override
    public String name() {
        return name;
    }

    public long mac() {
        return mac;
    }

    public int address() {
        return address;
    }

    public SimLink link() {
        return link;
    }

    long nowNs() {
        return sim.nowNs();
    }

    void schedule(long delayNs, Runnable action) {
        sim.after(delayNs, action);
    }

    // ---- ICMP -------------------------------------------------------------------------------

    /** Sends one echo request with the given IP TTL; the returned probe fills in when an answer comes. */
    public PingProbe ping(int dstIp, int ttl) {
        int sequence = nextPingSequence++ & 0xFFFF;
        PingProbe probe = new PingProbe(dstIp, ttl, pingIdentifier, sequence, sim.nowNs());
        if (pings.size() < PINGS_KEPT_MAX) {
            pings.add(probe);
        }
        pingsBySequence.put(sequence, probe);
        byte[] icmp = FrameWriter.icmp(8, 0, (pingIdentifier << 16) | sequence, new byte[32]);
        sendIp(dstIp, FrameWriter.PROTO_ICMP, ttl, icmp);
        return probe;
    }

    public List<PingProbe> pings() {
        return List.copyOf(pings);
    }

    public List<IcmpError> icmpErrors() {
        return List.copyOf(icmpErrors);
    }

    // ---- UDP --------------------------------------------------------------------------------

    public void bindUdp(int port, UdpHandler handler) {
        udpHandlers.put(port, handler);
    }

    /** Binds a port that sends every datagram straight back. */
    public void udpEcho(int port) {
        bindUdp(port, (host, srcIp, srcPort, dstPort, payload) -> host.sendUdp(dstPort, srcIp, srcPort, payload));
    }

    public void sendUdp(int srcPort, int dstIp, int dstPort, byte[] payload) {
        sendIp(dstIp, FrameWriter.PROTO_UDP, DEFAULT_TTL, FrameWriter.udp(address, dstIp, srcPort, dstPort, payload));
    }

    // ---- TCP --------------------------------------------------------------------------------

    public void listen(int port, TcpApp app) {
        listeners.put(port, app);
    }

    public TcpConnection connect(int dstIp, int dstPort, TcpApp app) {
        int port = nextEphemeralPort++;
        if (nextEphemeralPort > 65_535) {
            nextEphemeralPort = EPHEMERAL_PORT_FIRST;
        }
        TcpConnection c = new TcpConnection(this, app, port, dstIp, dstPort, prng.nextLong() & 0xFFFF_FFFFL,
                TcpConnection.State.SYN_SENT);
        connections.put(new ConnectionKey(port, dstIp, dstPort), c);
        allConnections.add(c);
        c.open();
        return c;
    }

    /** Every connection this host ever had, open or closed, in creation order. */
    public List<TcpConnection> tcpConnections() {
        return List.copyOf(allConnections);
    }

    void sendTcpSegment(TcpConnection c, long seq, long ack, int flags, int window, byte[] options,
                        byte[] data, int offset, int length) {
        sendIp(c.remoteIp(), FrameWriter.PROTO_TCP, DEFAULT_TTL, FrameWriter.tcp(address, c.remoteIp(),
                c.localPort(), c.remotePort(), seq, ack, flags, window, options, data, offset, length));
    }

    /** RST in answer to a segment that matches no connection (RFC 9293 §3.10.7.1). */
    void sendRst(ParsedFrame p) {
        rstsSent++;
        boolean hasAck = (p.tcpFlags & TcpConnection.ACK) != 0;
        long seq = hasAck ? p.ack : 0;
        long ack = (p.seq + p.payloadLength() + ((p.tcpFlags & TcpConnection.SYN) != 0 ? 1 : 0)
                + ((p.tcpFlags & TcpConnection.FIN) != 0 ? 1 : 0)) & 0xFFFF_FFFFL;
        int flags = hasAck ? TcpConnection.RST : TcpConnection.RST | TcpConnection.ACK;
        sendIp(p.srcIp, FrameWriter.PROTO_TCP, DEFAULT_TTL, FrameWriter.tcp(address, p.srcIp, p.dstPort, p.srcPort,
                seq, ack, flags, 0, new byte[0], new byte[0], 0, 0));
    }

    void forget(TcpConnection c) {
        connections.remove(new ConnectionKey(c.localPort(), c.remoteIp(), c.remotePort()));
        traceTcp(c, "closed");
    }

    void traceTcp(TcpConnection c, String event) {
        sim.trace().record(sim.nowNs(), name, "tcp-" + event, c.localPort() + "-" + c.remotePort());
    }

    // ---- receive path -----------------------------------------------------------------------

    @Override
    public void receive(long nowNs, byte[] frame) {
        ParsedFrame p = ParsedFrame.parse(frame);
        if (p.kind == ParsedFrame.Kind.BAD_CHECKSUM) {
            framesBadChecksum++;
            sim.trace().record(nowNs, name, "drop-bad-checksum", frame, frame.length);
            return;
        }
        if (p.kind == ParsedFrame.Kind.MALFORMED) {
            framesMalformed++;
            return;
        }
        if (p.dstMac != mac && p.dstMac != FrameWriter.BROADCAST_MAC) {
            return; // flooded unicast for someone else
        }
        framesIn++;
        switch (p.kind) {
            case ARP -> onArp(p);
            case ICMP -> onIcmp(p);
            case UDP -> onUdp(p);
            case TCP -> onTcp(p);
            default -> { }
        }
    }

    private void onArp(ParsedFrame p) {
        // Refresh any entry we hold (this is how gratuitous ARP moves a VIP), learn the asker if it asks for us
        if (arp.isKnownOrPending(p.arpSenderIp) || p.arpTargetIp == address) {
            for (LongFunction<byte[]> waiting : arp.learn(p.arpSenderIp, p.arpSenderMac)) {
                transmit(waiting.apply(p.arpSenderMac));
            }
        }
        if (p.arpOp == 1 && p.arpTargetIp == address) {
            transmit(FrameWriter.arp(mac, p.arpSenderMac, 2, mac, address, p.arpSenderMac, p.arpSenderIp));
        }
    }

    private void onIcmp(ParsedFrame p) {
        if (p.dstIp != address) {
            return;
        }
        byte[] b = p.bytes;
        if (p.icmpType == 8) {
            byte[] data = java.util.Arrays.copyOfRange(b, p.l4Offset + 8, p.l4Offset + p.l4Length);
            sendIp(p.srcIp, FrameWriter.PROTO_ICMP, DEFAULT_TTL, FrameWriter.icmp(0, 0, p.icmpRest, data));
        } else if (p.icmpType == 0 && (p.icmpRest >>> 16) == pingIdentifier) {
            PingProbe probe = pingsBySequence.get(p.icmpRest & 0xFFFF);
            if (probe != null) {
                probe.replied(sim.nowNs());
            }
        } else if (p.icmpType == IcmpError.DEST_UNREACHABLE || p.icmpType == IcmpError.TIME_EXCEEDED) {
            onIcmpError(p);
        }
    }

    private void onIcmpError(ParsedFrame p) {
        byte[] b = p.bytes;
        int quoted = p.l4Offset + 8;
        if (p.l4Length < 8 + 20 + 8) {
            return; // must quote the IP header and 8 bytes of the original
        }
        int quotedHeaderLength = (b[quoted] & 0xF) * 4;
        int originalProtocol = b[quoted + 9] & 0xFF;
        int originalDst = Bytes.i32(b, quoted + 16);
        IcmpError error = new IcmpError(sim.nowNs(), p.icmpType, p.icmpCode, p.srcIp, originalDst, originalProtocol);
        if (icmpErrors.size() < ICMP_ERRORS_KEPT_MAX) {
            icmpErrors.add(error);
        }
        int inner = quoted + quotedHeaderLength;
        if (originalProtocol == FrameWriter.PROTO_ICMP && inner + 8 <= p.l4Offset + p.l4Length
                && Bytes.u16(b, inner + 4) == pingIdentifier) {
            PingProbe probe = pingsBySequence.get(Bytes.u16(b, inner + 6));
            if (probe != null) {
                probe.failed(error);
            }
        }
    }

    private void onUdp(ParsedFrame p) {
        if (p.dstIp != address) {
            return;
        }
        udpReceived++;
        UdpHandler handler = udpHandlers.get(p.dstPort);
        if (handler == null) {
            byte[] quote = java.util.Arrays.copyOfRange(p.bytes, FrameWriter.ETH_HEADER,
                    Math.min(p.l4Offset + 8, p.bytes.length));
            sendIp(p.srcIp, FrameWriter.PROTO_ICMP, DEFAULT_TTL, FrameWriter.icmp(3, 3, 0, quote));
            return;
        }
        byte[] payload = java.util.Arrays.copyOfRange(p.bytes, p.payloadOffset(), p.payloadOffset() + p.payloadLength());
        handler.onDatagram(this, p.srcIp, p.srcPort, p.dstPort, payload);
    }

    private void onTcp(ParsedFrame p) {
        if (p.dstIp != address) {
            return;
        }
        TcpConnection c = connections.get(new ConnectionKey(p.dstPort, p.srcIp, p.srcPort));
        if (c != null) {
            c.onSegment(p);
            return;
        }
        int flags = p.tcpFlags;
        if ((flags & TcpConnection.RST) != 0) {
            return;
        }
        TcpApp app = listeners.get(p.dstPort);
        if (app != null && (flags & TcpConnection.SYN) != 0 && (flags & TcpConnection.ACK) == 0) {
            c = new TcpConnection(this, app, p.dstPort, p.srcIp, p.srcPort, prng.nextLong() & 0xFFFF_FFFFL,
                    TcpConnection.State.SYN_RECEIVED);
            connections.put(new ConnectionKey(p.dstPort, p.srcIp, p.srcPort), c);
            allConnections.add(c);
            c.accept(p);
            return;
        }
        sendRst(p);
    }

    // ---- IP output with ARP -----------------------------------------------------------------

    private void sendIp(int dstIp, int protocol, int ttl, byte[] l4) {
        int nextHop = Ipv4Address.inSubnet(dstIp, address, prefixLength) ? dstIp : gateway;
        int id = nextIpId++ & 0xFFFF;
        LongFunction<byte[]> build = dstMac -> FrameWriter.ipv4(mac, dstMac, address, dstIp, protocol, ttl, id, l4);
        long known = arp.lookup(nextHop);
        if (known >= 0) {
            transmit(build.apply(known));
        } else if (arp.enqueue(nextHop, build)) {
            requestArp(nextHop, 1);
        }
    }

    private void requestArp(int ip, int attempt) {
        transmit(FrameWriter.arp(mac, FrameWriter.BROADCAST_MAC, 1, mac, address, 0, ip));
        sim.after(ArpCache.REQUEST_RETRY_NS, () -> {
            if (arp.isPending(ip)) {
                if (attempt < ArpCache.REQUEST_ATTEMPTS_MAX) {
                    requestArp(ip, attempt + 1);
                } else {
                    arp.giveUp(ip);
                }
            }
        });
    }

    private void transmit(byte[] frame) {
        link.transmit(frame, frame.length);
    }

    public long arpLookup(int ip) {
        return arp.lookup(ip);
    }

    public long framesBadChecksum() {
        return framesBadChecksum;
    }

    public long framesMalformed() {
        return framesMalformed;
    }

    public long framesIn() {
        return framesIn;
    }

    public long udpReceived() {
        return udpReceived;
    }

    public long rstsSent() {
        return rstsSent;
    }
}
