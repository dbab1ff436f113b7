package io.ringwall.node;

import static io.ringwall.node.NodeHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.dataplane.DropReason;
import io.ringwall.wire.ArpPacket;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.FrameBuilder;
import io.ringwall.wire.IcmpMessage;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.Ipv4Packet;
import io.ringwall.wire.ParseError;
import io.ringwall.wire.TcpSegment;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Single-node data-plane behaviour of SPEC §2, driven through the sans-I/O node interface. */
class GatewayNodeTest {
    private final NodeHarness h = new NodeHarness();
    private final MemorySegment buf = MemorySegment.ofArray(new byte[2048]);

    private int arpRequest(long senderMac, int senderIp, int targetIp) {
        return FrameBuilder.arp(buf, EthernetFrame.BROADCAST, senderMac, 1, senderMac, senderIp, 0L, targetIp);
    }

    private int tcpFromClient(int dport, int seq, int ack, int flags, int payload) {
        return FrameBuilder.tcp(buf, WAN_MAC, CLIENT_MAC, CLIENT, SERVER, 64, 40000, dport, seq, ack, flags, 65535,
                null, MemorySegment.ofArray(new byte[payload]), payload);
    }

    private int tcpFromServer(int sport, int seq, int ack, int flags, int payload) {
        return FrameBuilder.tcp(buf, LAN_MAC, SERVER_MAC, SERVER, CLIENT, 64, sport, 40000, seq, ack, flags, 65535,
                null, MemorySegment.ofArray(new byte[payload]), payload);
    }

    /** Teaches the node the server's MAC so forwarded frames leave at once. */
    private void serverAnswersArp() {
        int n = FrameBuilder.arp(buf, LAN_MAC, SERVER_MAC, 2, SERVER_MAC, SERVER, LAN_MAC, LAN_VIP);
        h.receive(1, buf, n);
        int m = arpRequest(CLIENT_MAC, CLIENT, WAN_VIP);
        h.receive(0, buf, m);
        h.sent.clear();
    }

    @Test
    void arpRequestForOwnedVipIsAnswered() {
        h.receive(0, buf, arpRequest(CLIENT_MAC, CLIENT, WAN_VIP));
        NodeHarness.Sent reply = h.poll();
        assertThat(reply).isNotNull();
        assertThat(reply.ifIndex()).isEqualTo(0);
        ArpPacket arp = new ArpPacket();
        EthernetFrame eth = new EthernetFrame();
        assertThat(eth.wrap(reply.segment(), reply.frame().length)).isEqualTo(ParseError.OK);
        assertThat(eth.dst()).isEqualTo(CLIENT_MAC);
        assertThat(arp.wrap(reply.segment(), eth.payloadOffset(), reply.frame().length - eth.payloadOffset()))
                .isEqualTo(ParseError.OK);
        assertThat(arp.operation()).isEqualTo(2);
        assertThat(arp.senderIp()).isEqualTo(WAN_VIP);
        assertThat(arp.senderMac()).isEqualTo(WAN_MAC);
        assertThat(arp.targetIp()).isEqualTo(CLIENT);
    }

    @Test
    void arpForUnownedAddressIsNotAnswered() {
        h.receive(0, buf, arpRequest(CLIENT_MAC, CLIENT, Ipv4Address.parse("10.1.0.99")));
        // the LAN VIP is owned, but not on the WAN segment
        h.receive(0, buf, arpRequest(CLIENT_MAC, CLIENT, LAN_VIP));
        assertThat(h.sent).isEmpty();
        assertThat(h.node.counters().drops(0, DropReason.ARP_NOT_OURS)).isEqualTo(2);
    }

    @Test
    void releasedVipIsNoLongerAnswered() {
        h.node.release(0, WAN_VIP);
        h.receive(0, buf, arpRequest(CLIENT_MAC, CLIENT, WAN_VIP));
        assertThat(h.sent).isEmpty();
    }

    @Test
    void takeoverSendsThreeSpacedGratuitousArps() {
        h.runForMs(2_000); // let the start-up announcements of both VIPs finish
        h.sent.clear();
        h.node.release(0, WAN_VIP);
        h.node.takeOver(0, WAN_VIP, h.nowNs);
        int announcements = 0;
        for (int i = 0; i < 20; i++) {
            h.advanceMs(100);
            for (NodeHarness.Sent s = h.poll(); s != null; s = h.poll()) {
                ArpPacket arp = new ArpPacket();
                assertThat(arp.wrap(s.segment(), 14, s.frame().length - 14)).isEqualTo(ParseError.OK);
                assertThat(arp.senderIp()).isEqualTo(WAN_VIP);
                assertThat(arp.targetIp()).isEqualTo(WAN_VIP);
                announcements++;
            }
        }
        assertThat(announcements).isEqualTo(3);
    }

    @Test
    void startAnnouncesEveryVipInAloneMode() {
        NodeHarness fresh = new NodeHarness();
        fresh.runForMs(2_000);
        // constructor cleared the first announcement of each VIP; two more per VIP follow
        assertThat(fresh.sent).hasSize(4);
        assertThat(fresh.logs).anyMatch(l -> l.startsWith("node-start"));
    }

    @Test
    void allowedTcpFlowWorksBothWaysAfterArpResolution() {
        h.receive(0, buf, arpRequest(CLIENT_MAC, CLIENT, WAN_VIP));
        h.sent.clear();
        h.receive(0, buf, tcpFromClient(80, 1000, 0, TcpSegment.SYN, 0));
        NodeHarness.Sent request = h.poll();
        assertThat(request.ifIndex()).isEqualTo(1);
        ArpPacket arp = new ArpPacket();
        assertThat(arp.wrap(request.segment(), 14, request.frame().length - 14)).isEqualTo(ParseError.OK);
        assertThat(arp.operation()).isEqualTo(1);
        assertThat(arp.targetIp()).isEqualTo(SERVER);
        assertThat(h.sent).as("the SYN waits for the neighbour").isEmpty();

        h.receive(1, buf, FrameBuilder.arp(buf, LAN_MAC, SERVER_MAC, 2, SERVER_MAC, SERVER, LAN_MAC, LAN_VIP));
        NodeHarness.Sent syn = h.poll();
        assertForwarded(syn, 1, SERVER_MAC, LAN_MAC, 63);

        h.receive(1, buf, tcpFromServer(80, 5000, 1001, TcpSegment.SYN | TcpSegment.ACK, 0));
        assertForwarded(h.poll(), 0, CLIENT_MAC, WAN_MAC, 63);
        h.receive(0, buf, tcpFromClient(80, 1001, 5001, TcpSegment.ACK, 100));
        assertForwarded(h.poll(), 1, SERVER_MAC, LAN_MAC, 63);
        h.receive(1, buf, tcpFromServer(80, 5001, 1101, TcpSegment.ACK, 200));
        assertForwarded(h.poll(), 0, CLIENT_MAC, WAN_MAC, 63);
        assertThat(h.node.conntrack().active().size()).isEqualTo(1);
    }

    private static void assertForwarded(NodeHarness.Sent s, int ifIndex, long dstMac, long srcMac, int ttl) {
        assertThat(s).isNotNull();
        assertThat(s.ifIndex()).isEqualTo(ifIndex);
        EthernetFrame eth = new EthernetFrame();
        Ipv4Packet ip = new Ipv4Packet();
        assertThat(eth.wrap(s.segment(), s.frame().length)).isEqualTo(ParseError.OK);
        assertThat(eth.dst()).isEqualTo(dstMac);
        assertThat(eth.src()).isEqualTo(srcMac);
        assertThat(ip.wrap(s.segment(), 14, s.frame().length - 14)).as("header checksum still valid").isEqualTo(ParseError.OK);
        assertThat(ip.ttl()).isEqualTo(ttl);
    }

    @Test
    void disallowedPortIsDropped() {
        serverAnswersArp();
        h.receive(0, buf, tcpFromClient(25, 1000, 0, TcpSegment.SYN, 0));
        assertThat(h.sent).isEmpty();
        assertThat(h.node.counters().drops(0, DropReason.FILTER_DROP)).isEqualTo(1);
    }

    @Test
    void rejectedTcpPortGetsReset() {
        serverAnswersArp();
        h.receive(0, buf, tcpFromClient(23, 1000, 0, TcpSegment.SYN, 0));
        NodeHarness.Sent rst = h.poll();
        assertThat(rst.ifIndex()).isEqualTo(0);
        TcpSegment tcp = new TcpSegment();
        assertThat(tcp.wrap(rst.segment(), 34, rst.frame().length - 34)).isEqualTo(ParseError.OK);
        assertThat(tcp.checksumValid(SERVER, CLIENT)).isTrue();
        assertThat(tcp.flags() & TcpSegment.RST).isNotZero();
        assertThat(tcp.ack()).isEqualTo(1001);
        assertThat(tcp.srcPort()).isEqualTo(23);
        assertThat(h.sent).isEmpty();
    }

    @Test
    void rejectedUdpPortGetsPortUnreachable() {
        serverAnswersArp();
        int n = FrameBuilder.udp(buf, WAN_MAC, CLIENT_MAC, CLIENT, SERVER, 64, 5000, 69, MemorySegment.ofArray(new byte[8]), 8);
        h.receive(0, buf, n);
        NodeHarness.Sent err = h.poll();
        IcmpMessage icmp = new IcmpMessage();
        assertThat(icmp.wrap(err.segment(), 34, err.frame().length - 34)).isEqualTo(ParseError.OK);
        assertThat(icmp.type()).isEqualTo(IcmpMessage.DEST_UNREACHABLE);
        assertThat(icmp.code()).isEqualTo(3);
        assertThat(icmp.checksumValid()).isTrue();
    }

    @Test
    void unsolicitedInboundIsDropped() {
        serverAnswersArp();
        // the server side may not open connections towards the client side
        int n = FrameBuilder.tcp(buf, LAN_MAC, SERVER_MAC, SERVER, CLIENT, 64, 80, 40000, 1, 0, TcpSegment.SYN, 65535, null, null, 0);
        h.receive(1, buf, n);
        // nor may a stray ACK without a connection
        h.receive(1, buf, tcpFromServer(80, 5001, 1101, TcpSegment.ACK, 10));
        assertThat(h.sent).isEmpty();
        assertThat(h.node.counters().drops(1, DropReason.FILTER_DROP) + h.node.counters().drops(1, DropReason.CT_INVALID))
                .isEqualTo(2);
    }

    @Test
    void outOfWindowTcpSegmentIsDropped() {
        serverAnswersArp();
        h.receive(0, buf, tcpFromClient(80, 1000, 0, TcpSegment.SYN, 0));
        h.receive(1, buf, tcpFromServer(80, 5000, 1001, TcpSegment.SYN | TcpSegment.ACK, 0));
        h.receive(0, buf, tcpFromClient(80, 1001, 5001, TcpSegment.ACK, 0));
        h.sent.clear();
        h.receive(1, buf, tcpFromServer(80, 5001 + 50_000_000, 1001, TcpSegment.ACK, 100));
        assertThat(h.sent).isEmpty();
        assertThat(h.node.counters().drops(1, DropReason.CT_INVALID)).isEqualTo(1);
        // the connection itself is unharmed
        h.receive(1, buf, tcpFromServer(80, 5001, 1001, TcpSegment.ACK, 100));
        assertThat(h.sent).hasSize(1);
    }

    @Test
    void ttlExpiryGivesIcmpTimeExceeded() {
        serverAnswersArp();
        int n = FrameBuilder.tcp(buf, WAN_MAC, CLIENT_MAC, CLIENT, SERVER, 1, 40000, 80, 1, 0, TcpSegment.SYN, 65535, null, null, 0);
        h.receive(0, buf, n);
        NodeHarness.Sent err = h.poll();
        assertThat(err.ifIndex()).isEqualTo(0);
        Ipv4Packet ip = new Ipv4Packet();
        assertThat(ip.wrap(err.segment(), 14, err.frame().length - 14)).isEqualTo(ParseError.OK);
        assertThat(ip.src()).isEqualTo(WAN_VIP);
        assertThat(ip.dst()).isEqualTo(CLIENT);
        IcmpMessage icmp = new IcmpMessage();
        assertThat(icmp.wrap(err.segment(), 34, err.frame().length - 34)).isEqualTo(ParseError.OK);
        assertThat(icmp.type()).isEqualTo(IcmpMessage.TIME_EXCEEDED);
        assertThat(icmp.checksumValid()).isTrue();
        assertThat(h.sent).isEmpty();
    }

    @Test
    void pingToVipIsAnswered() {
        int n = FrameBuilder.icmpEcho(buf, WAN_MAC, CLIENT_MAC, CLIENT, WAN_VIP, 64, IcmpMessage.ECHO_REQUEST, 7, 1, 32);
        h.receive(0, buf, n);
        NodeHarness.Sent reply = h.poll();
        IcmpMessage icmp = new IcmpMessage();
        assertThat(icmp.wrap(reply.segment(), 34, reply.frame().length - 34)).isEqualTo(ParseError.OK);
        assertThat(icmp.type()).isEqualTo(IcmpMessage.ECHO_REPLY);
        assertThat(icmp.identifier()).isEqualTo(7);
        assertThat(icmp.checksumValid()).isTrue();
    }

    @Test
    void icmpErrorAboutTrackedFlowIsRelatedAndPasses() {
        serverAnswersArp();
        int n = FrameBuilder.udp(buf, WAN_MAC, CLIENT_MAC, CLIENT, SERVER, 64, 5000, 53, MemorySegment.ofArray(new byte[8]), 8);
        MemorySegment original = MemorySegment.ofArray(new byte[n]);
        MemorySegment.copy(buf, 0, original, 0, n);
        h.receive(0, buf, n);
        h.sent.clear();
        // the server answers with port unreachable quoting the forwarded datagram
        int e = FrameBuilder.icmpError(buf, LAN_MAC, SERVER_MAC, SERVER, CLIENT, IcmpMessage.DEST_UNREACHABLE, 3,
                original, 14, n - 14, 0);
        h.receive(1, buf, e);
        assertThat(h.sent).hasSize(1);
        assertThat(h.poll().ifIndex()).isEqualTo(0);
    }

    @Test
    void badChecksumIsCountedAndDropped() {
        serverAnswersArp();
        int n = tcpFromClient(80, 1000, 0, TcpSegment.SYN, 0);
        buf.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 14 + 20 + 16, (byte) 0x55); // corrupt the TCP checksum
        h.receive(0, buf, n);
        assertThat(h.sent).isEmpty();
        assertThat(h.node.counters().parseErrors(0, ParseError.TCP_BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void truncatedFramesAreCountedNeverThrown() {
        serverAnswersArp();
        int n = tcpFromClient(80, 1000, 0, TcpSegment.SYN, 20);
        byte[] frame = buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        for (int len = 0; len < n; len++) {
            MemorySegment copy = MemorySegment.ofArray(java.util.Arrays.copyOf(frame, 2048));
            h.receive(0, copy, len);
        }
        assertThat(h.node.counters().drops(0, DropReason.MALFORMED)).isGreaterThan(0);
        assertThat(h.sent).isEmpty();
    }

    @Test
    void housekeepingRidesOnAnotherWakeupWithinItsSlackAndKeepsItsPeriod() {
        NodeHarness h = new NodeHarness();
        for (int second = 0; second < 5; second++) {
            h.advanceMs(1_000); // one start-up announcement per tick; housekeeping, overdue each time, starts afresh
        }
        long ranAt = h.nowNs;
        // No wake-up of its own at the period: it waits up to the slack for one the node has anyway.
        assertThat(h.node.nextDeadlineNs())
                .isEqualTo(ranAt + GatewayNode.HOUSEKEEPING_NS + GatewayNode.HOUSEKEEPING_SLACK_NS);
        // Another timer or a frame wakes the node 20 ms after the period: housekeeping runs on that wake-up...
        h.nowNs = ranAt + GatewayNode.HOUSEKEEPING_NS + 20_000_000L;
        h.node.onTick(h.nowNs);
        // ...and the next one is due a period after the last was, not after this late run.
        assertThat(h.node.nextDeadlineNs())
                .isEqualTo(ranAt + 2 * GatewayNode.HOUSEKEEPING_NS + GatewayNode.HOUSEKEEPING_SLACK_NS);
    }
}
