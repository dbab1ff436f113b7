package io.ringwall.linux;

import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.Ipv4Packet;
import io.ringwall.wire.ParseError;
import io.ringwall.wire.TcpSegment;
import io.ringwall.wire.UdpDatagram;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Where the time of one loop cycle went, and a log line when a cycle took long enough to delay the token (a cycle
 * runs without waiting; a token or ack that arrives meanwhile waits for the next one). The fast timer profile's
 * ack timeout is 5 ms, so a cycle of {@link #SLOW_CYCLE_NS} is worth knowing about. Reported at most
 * {@link #REPORTS_PER_INTERVAL} times per {@link #REPORT_INTERVAL_NS} (one slow cycle at start-up must not hide the one
 * a moment later that delayed a token), with the number of slow cycles not reported since. Written by the loop thread
 * only; pure apart from the times the driver passes in.
 */
final class CycleProfile {
    static final long SLOW_CYCLE_NS = 3_000_000L;
    static final long REPORT_INTERVAL_NS = 1_000_000_000L;
    static final int REPORTS_PER_INTERVAL = 4;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final List<String> portNames;
    /** Views held for the loop's life: reading the longest frame's headers allocates nothing. */
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final UdpDatagram udp = new UdpDatagram();
    private final TcpSegment tcp = new TcpSegment();
    private final long[] rxNs;
    private final int[] rxFrames;
    private long startNs;
    private long commandsNs;
    private long ticksNs;
    private int ticks;
    private long sendNs;
    private int sends;
    private long maxSendNs;
    private long maxFrameNs;
    private int maxFramePort = -1;
    /** What the longest frame was (read from its headers when it became the longest; -1: not known). */
    private int maxFrameEtherType;
    private int maxFrameProtocol;
    private int maxFrameSrcPort;
    private int maxFrameDstPort;
    private int maxFrameLength;
    /** Time in the cycle that was not work: the ppoll(2) wait, a breather. */
    private long idleNs;
    /** Start of the current report interval and the reports made in it. */
    private long intervalStartNs;
    private int reportsInInterval;
    private long slowCycles;
    private long unreported;

    CycleProfile(List<String> portNames) {
        this.portNames = List.copyOf(portNames);
        this.rxNs = new long[portNames.size()];
        this.rxFrames = new int[portNames.size()];
    }

    /** A cycle's work begins (after its wait, or at its start if it does not wait). */
    void begin(long nowNs) {
        startNs = nowNs;
        commandsNs = 0;
        ticksNs = 0;
        ticks = 0;
        sendNs = 0;
        sends = 0;
        maxSendNs = 0;
        maxFrameNs = 0;
        maxFramePort = -1;
        idleNs = 0;
        java.util.Arrays.fill(rxNs, 0);
        java.util.Arrays.fill(rxFrames, 0);
    }

    void commands(long ns) {
        commandsNs += ns;
    }

    void tick(long ns) {
        ticksNs += ns;
        ticks++;
    }

    /**
     * One frame handed to the node on {@code port}, {@code ns} from its read to the node's return; {@code frame} holds
     * it still (the node rewrites addresses at most), so the longest one's headers can say what it was: a cluster
     * packet or forwarded traffic.
     */
    void frame(int port, long ns, MemorySegment frame, int length) {
        rxNs[port] += ns;
        rxFrames[port]++;
        if (ns > maxFrameNs) {
            maxFrameNs = ns;
            maxFramePort = port;
            noteHeaders(frame, length);
        }
    }

    /**
     * Ethernet type, and for IPv4 its protocol and, when the packet carries the TCP/UDP header, its ports; -1 where the
     * frame is too short to say. The IPv4 header is read leniently (no checksum or length check): this only describes.
     */
    private void noteHeaders(MemorySegment frame, int length) {
        maxFrameLength = length;
        maxFrameProtocol = -1;
        maxFrameSrcPort = -1;
        maxFrameDstPort = -1;
        if (ethernet.wrap(frame, length) != ParseError.OK) {
            // A runt, or a VLAN tag the data plane refuses: the outer type is all there is to say.
            maxFrameEtherType = length >= EthernetFrame.HEADER_LENGTH
                    ? Short.toUnsignedInt(frame.get(U16, EthernetFrame.TYPE_OFFSET)) : -1;
            return;
        }
        maxFrameEtherType = ethernet.etherType();
        if (maxFrameEtherType != EthernetFrame.ETHERTYPE_IPV4
                || ipv4.wrapQuoted(frame, ethernet.payloadOffset(), ethernet.payloadLength()) != ParseError.OK) {
            return;
        }
        maxFrameProtocol = ipv4.protocol();
        if (!ipv4.carriesL4Header()) {
            return;
        }
        if (maxFrameProtocol == Ipv4Packet.PROTO_UDP
                && udp.wrap(frame, ipv4.payloadOffset(), ipv4.payloadLength()) == ParseError.OK) {
            maxFrameSrcPort = udp.srcPort();
            maxFrameDstPort = udp.dstPort();
        } else if (maxFrameProtocol == Ipv4Packet.PROTO_TCP
                && tcp.wrap(frame, ipv4.payloadOffset(), ipv4.payloadLength()) == ParseError.OK) {
            maxFrameSrcPort = tcp.srcPort();
            maxFrameDstPort = tcp.dstPort();
        }
    }

    /** " (IPv4 UDP 7946 > 7946, 1214 bytes)": what the longest frame was. */
    private void describeLongestFrame(StringBuilder s) {
        s.append(" (");
        if (maxFrameEtherType == EthernetFrame.ETHERTYPE_IPV4 && maxFrameProtocol >= 0) {
            s.append("IPv4 ").append(maxFrameProtocol == Ipv4Packet.PROTO_TCP ? "TCP"
                    : maxFrameProtocol == Ipv4Packet.PROTO_UDP ? "UDP" : "protocol " + maxFrameProtocol);
            if (maxFrameSrcPort >= 0) {
                s.append(' ').append(maxFrameSrcPort).append(" > ").append(maxFrameDstPort);
            }
        } else if (maxFrameEtherType >= 0) {
            s.append("ethertype 0x").append(Integer.toHexString(maxFrameEtherType));
        } else {
            s.append("runt");
        }
        s.append(", ").append(maxFrameLength).append(" bytes)");
    }

    /** One sendmsg(2) (it may run the kernel's pending packet processing before it returns). */
    void send(long ns) {
        sendNs += ns;
        sends++;
        maxSendNs = Math.max(maxSendNs, ns);
    }

    void idle(long ns) {
        idleNs += ns;
    }

    long slowCycles() {
        return slowCycles;
    }

    /** The cycle's work ended at {@code endNs}: a description if it was slow and a report is due, else null. */
    String end(long endNs) {
        long workNs = endNs - startNs - idleNs;
        if (workNs < SLOW_CYCLE_NS) {
            return null;
        }
        slowCycles++;
        if (reportsInInterval == 0 || endNs - intervalStartNs >= REPORT_INTERVAL_NS) {
            intervalStartNs = endNs;
            reportsInInterval = 0;
        }
        if (reportsInInterval >= REPORTS_PER_INTERVAL) {
            unreported++;
            return null;
        }
        reportsInInterval++;
        StringBuilder s = new StringBuilder("cycle took ").append(ms(workNs)).append(" ms: commands ")
                .append(ms(commandsNs)).append(" ms, timers ").append(ms(ticksNs)).append(" ms (").append(ticks)
                .append(')');
        for (int p = 0; p < rxNs.length; p++) {
            if (rxFrames[p] > 0) {
                s.append(", rx ").append(portNames.get(p)).append(' ').append(ms(rxNs[p])).append(" ms (")
                        .append(rxFrames[p]).append(" frames)");
            }
        }
        s.append(", of that sendmsg ").append(ms(sendNs)).append(" ms (").append(sends).append(", longest ")
                .append(ms(maxSendNs)).append(" ms)");
        if (maxFramePort >= 0) {
            s.append(", longest frame ").append(ms(maxFrameNs)).append(" ms on ").append(portNames.get(maxFramePort));
            describeLongestFrame(s);
        }
        if (unreported > 0) {
            s.append("; ").append(unreported).append(" more slow cycles since the last report");
            unreported = 0;
        }
        return s.toString();
    }

    /** Milliseconds with two decimals, without String.format (whose first use loads classes on the loop thread). */
    static String ms(long ns) {
        long hundredths = Math.max(0, ns) / 10_000;
        long frac = hundredths % 100;
        return hundredths / 100 + (frac < 10 ? ".0" : ".") + frac;
    }
}
