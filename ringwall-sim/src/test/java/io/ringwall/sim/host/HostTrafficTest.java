package io.ringwall.sim.host;

import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.SimSegment;
import io.ringwall.sim.Simulation;
import io.ringwall.time.Prng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringwall.wire.Ipv4Address.parse;
import static org.assertj.core.api.Assertions.assertThat;

class HostTrafficTest {
    final Simulation sim = new Simulation(11);
    final SimSegment segment = new SimSegment(sim, "lan");

    SimHost host(String name, long mac, String address, LinkProfile profile) {
        return new SimHost(sim, name, mac, parse(address), 24, parse("10.0.0.1"), segment, profile);
    }

    @Test
    void pingResolvesTheNeighbourWithArpAndGetsAReply() {
        SimHost a = host("a", 0xA, "10.0.0.10", LinkProfile.ideal());
        SimHost b = host("b", 0xB, "10.0.0.11", LinkProfile.ideal());
        PingProbe probe = a.ping(b.address(), 64);
        sim.runFor(10_000_000);
        assertThat(probe.answered()).isTrue();
        long oneWayNs = 2 * LinkProfile.DEFAULT_LATENCY_NS; // host to switch, switch to host
        assertThat(probe.rttNs()).isEqualTo(4 * oneWayNs); // ARP request and reply, then echo and reply
        PingProbe second = a.ping(b.address(), 64);
        sim.runFor(10_000_000);
        assertThat(second.rttNs()).isEqualTo(2 * oneWayNs); // neighbour now cached
        assertThat(a.arpLookup(b.address())).isEqualTo(0xB);
        assertThat(b.arpLookup(a.address())).isEqualTo(0xA); // learned from the request
    }

    @Test
    void udpDatagramReachesTheBoundPortAndClosedPortAnswersUnreachable() {
        SimHost a = host("a", 0xA, "10.0.0.10", LinkProfile.ideal());
        SimHost b = host("b", 0xB, "10.0.0.11", LinkProfile.ideal());
        List<String> got = new ArrayList<>();
        b.bindUdp(53, (h, srcIp, srcPort, dstPort, payload) -> got.add(new String(payload) + "@" + srcPort));
        a.sendUdp(1234, b.address(), 53, "hello".getBytes());
        a.sendUdp(1234, b.address(), 54, "nobody".getBytes());
        sim.runFor(10_000_000);
        assertThat(got).containsExactly("hello@1234");
        assertThat(a.icmpErrors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(IcmpError.DEST_UNREACHABLE);
            assertThat(e.code()).isEqualTo(3);
            assertThat(e.originalDstIp()).isEqualTo(b.address());
        });
    }

    @Test
    void tcpTransferCompletesIntactOverTenPercentLoss() {
        LinkProfile lossy = LinkProfile.ideal().withLoss(0.10).withLatency(100_000, 50_000);
        SimHost client = host("client", 0xA, "10.0.0.10", lossy);
        SimHost server = host("server", 0xB, "10.0.0.11", lossy);
        server.listen(7, TcpApp.ECHO);
        TcpConnection c = client.connect(server.address(), 7, TcpApp.NONE);
        byte[] data = new byte[200_000];
        Prng prng = new Prng(5);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) prng.nextInt(256);
        }
        sim.runFor(1_000_000_000L);
        assertThat(c.isEstablished()).isTrue();
        assertThat(c.write(data)).isEqualTo(data.length);
        sim.runFor(120_000_000_000L);
        assertThat(c.bytesReceived()).isEqualTo(data.length);
        assertThat(c.receivedBytes()).isEqualTo(data);
        assertThat(c.segmentsRetransmitted()).isPositive();
        assertThat(c.wasReset()).isFalse();
        c.close();
        sim.runFor(60_000_000_000L);
        assertThat(c.state()).isEqualTo(TcpConnection.State.CLOSED);
        assertThat(server.tcpConnections()).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(TcpConnection.State.CLOSED));
    }

    @Test
    void handshakeNegotiatesMssAndWindowScale() {
        SimHost client = host("client", 0xA, "10.0.0.10", LinkProfile.ideal());
        SimHost server = host("server", 0xB, "10.0.0.11", LinkProfile.ideal());
        server.listen(80, TcpApp.NONE);
        TcpConnection c = client.connect(server.address(), 80, TcpApp.NONE);
        sim.runFor(10_000_000);
        TcpConnection s = server.tcpConnections().getFirst();
        assertThat(c.isEstablished()).isTrue();
        assertThat(s.isEstablished()).isTrue();
        assertThat(c.peerMss()).isEqualTo(TcpConnection.MSS);
        assertThat(c.peerWindowScale()).isEqualTo(TcpConnection.WINDOW_SCALE);
        assertThat(s.peerWindowScale()).isEqualTo(TcpConnection.WINDOW_SCALE);
    }

    @Test
    void connectingToAClosedPortIsResetAndRecorded() {
        SimHost client = host("client", 0xA, "10.0.0.10", LinkProfile.ideal());
        SimHost server = host("server", 0xB, "10.0.0.11", LinkProfile.ideal());
        TcpConnection c = client.connect(server.address(), 81, TcpApp.NONE);
        sim.runFor(10_000_000);
        assertThat(c.wasReset()).isTrue();
        assertThat(c.state()).isEqualTo(TcpConnection.State.CLOSED);
        assertThat(server.rstsSent()).isEqualTo(1);
    }

    @Test
    void peerAbortResetsAnEstablishedConnection() {
        SimHost client = host("client", 0xA, "10.0.0.10", LinkProfile.ideal());
        SimHost server = host("server", 0xB, "10.0.0.11", LinkProfile.ideal());
        server.listen(7, TcpApp.ECHO);
        TcpConnection c = client.connect(server.address(), 7, TcpApp.NONE);
        sim.runFor(10_000_000);
        c.write(new byte[3000]);
        sim.runFor(10_000_000);
        assertThat(c.bytesReceived()).isEqualTo(3000);
        server.tcpConnections().getFirst().abort();
        sim.runFor(10_000_000);
        assertThat(c.wasReset()).isTrue();
        assertThat(server.tcpConnections().getFirst().wasReset()).isFalse();
    }

    @Test
    void unansweredConnectionTimesOutAfterBoundedRetries() {
        SimHost client = host("client", 0xA, "10.0.0.10", LinkProfile.ideal());
        SimHost server = host("server", 0xB, "10.0.0.11", LinkProfile.ideal());
        server.link().setUp(false);
        sim.schedule(100_000_000, () -> { }); // ARP for the server gets no answer, SYNs keep retrying
        TcpConnection c = client.connect(server.address(), 7, TcpApp.NONE);
        sim.runFor(60_000_000_000L);
        assertThat(c.timedOut()).isTrue();
        assertThat(c.establishedNs()).isEqualTo(-1);
    }

    @Test
    void frameWithACorruptedChecksumIsDroppedAndCounted() {
        SimHost a = host("a", 0xA, "10.0.0.10", LinkProfile.ideal());
        SimHost b = host("b", 0xB, "10.0.0.11", LinkProfile.ideal());
        byte[] l4 = io.ringwall.sim.packet.FrameWriter.udp(a.address(), b.address(), 1, 2, new byte[8]);
        byte[] f = io.ringwall.sim.packet.FrameWriter.ipv4(0xA, 0xB, a.address(), b.address(), 17, 64, 1, l4);
        f[f.length - 1] ^= 1;
        b.receive(0, f);
        assertThat(b.framesBadChecksum()).isEqualTo(1);
        assertThat(b.udpReceived()).isZero();
    }
}
