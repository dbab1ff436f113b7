package io.ringwall.messaging;

import static io.ringwall.messaging.SimulatedNetwork.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageLayerTest {

    private static byte[] randomBytes(long seed, int n) {
        Prng p = new Prng(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) p.nextLong();
        return b;
    }

    @Test
    void largeMessageArrivesIntactOverLossyPaths() {
        for (double loss : new double[] {0.10, 0.20, 0.30}) {
            SimulatedNetwork net = new SimulatedNetwork(42, 2, 2, c -> c.withRetransmission(5 * MS, 200 * MS, 30));
            net.loss = loss;
            net.duplicate = 0.05;
            byte[] big = randomBytes(7, 3 * 1024 * 1024 + 17);
            long id = net.nodes[0].send(net.nowNs, 1, 3, false, big);
            assertThat(id).isPositive();
            net.runFor(60_000 * MS);
            assertThat(net.received.get(1)).hasSize(1);
            assertThat(net.received.get(1).get(0).message()).isEqualTo(big);
            assertThat(net.received.get(1).get(0).channel()).isEqualTo(3);
            assertThat(net.failed.get(0)).isEmpty();
            assertThat(net.nodes[0].pendingMessages(1)).isZero();
            assertThat(net.nodes[0].counters().retransmissions()).as("loss %s forces resends", loss).isPositive();
        }
    }

    @Test
    void senderHearsOnceThatEachMessageWasAcknowledged() {
        SimulatedNetwork net = new SimulatedNetwork(3, 2, 2, c -> c.withRetransmission(2 * MS, 50 * MS, 40));
        net.loss = 0.2;
        net.duplicate = 0.2;
        long small = net.nodes[0].send(net.nowNs, 1, 2, true, new byte[] {1});
        long big = net.nodes[0].send(net.nowNs, 1, 2, true, randomBytes(3, 20_000));
        assertThat(net.delivered.get(0)).as("nothing is acknowledged before the peer answered").isEmpty();
        net.runFor(2_000 * MS);
        assertThat(net.delivered.get(0)).containsExactlyInAnyOrder(
                new SimulatedNetwork.Delivered(1, small), new SimulatedNetwork.Delivered(1, big));
        assertThat(net.delivered.get(1)).isEmpty();
    }

    @Test
    void messageToAnUnreachablePeerIsNeverReportedDelivered() {
        SimulatedNetwork net = new SimulatedNetwork(4, 2, 1, c -> c.withRetransmission(2 * MS, 10 * MS, 3));
        net.cut[0][1][0] = true;
        net.nodes[0].send(net.nowNs, 1, 2, true, new byte[] {1});
        net.runFor(1_000 * MS);
        assertThat(net.failed.get(0)).hasSize(1);
        assertThat(net.delivered.get(0)).isEmpty();
    }

    @Test
    void emptyAndSmallMessagesAreDeliveredBothWays() {
        SimulatedNetwork net = new SimulatedNetwork(1, 2, 1, c -> c);
        net.nodes[0].send(net.nowNs, 1, 0, false, new byte[0]);
        net.nodes[1].send(net.nowNs, 0, 1, false, new byte[] {9, 8, 7});
        net.runFor(100 * MS);
        assertThat(net.received.get(1)).singleElement().satisfies(r -> assertThat(r.message()).isEmpty());
        assertThat(net.received.get(0)).singleElement().satisfies(r -> assertThat(r.message()).containsExactly(9, 8, 7));
    }

    @Test
    void orderedChannelDeliversInSendOrder() {
        SimulatedNetwork net = new SimulatedNetwork(5, 2, 2, c -> c.withRetransmission(2 * MS, 50 * MS, 40));
        net.loss = 0.25;
        net.duplicate = 0.1;
        net.jitterNs = 5 * MS; // heavy reordering
        List<byte[]> sentMessages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] m = randomBytes(100 + i, 1 + (i * 997) % 5000);
            m[0] = (byte) i;
            sentMessages.add(m);
            assertThat(net.nodes[0].send(net.nowNs, 1, 2, true, m)).isPositive();
            net.runFor(MS / 2);
        }
        net.runFor(20_000 * MS);
        List<SimulatedNetwork.Received> got = net.received.get(1);
        assertThat(got).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(got.get(i).message()).as("message %d", i).isEqualTo(sentMessages.get(i));
        }
        assertThat(net.nodes[1].counters().orderedGapsSkipped()).isZero();
    }

    @Test
    void deadPeerTriggersFailureCallbackWithOriginalMessage() {
        SimulatedNetwork net = new SimulatedNetwork(3, 2, 2, c -> c.withRetransmission(5 * MS, 40 * MS, 5));
        net.loss = 1.0;
        byte[] msg = randomBytes(3, 5000);
        long id = net.nodes[0].send(net.nowNs, 1, 0, false, msg);
        net.runFor(10_000 * MS);
        assertThat(net.failed.get(0)).singleElement().satisfies(f -> {
            assertThat(f.peer()).isEqualTo(1);
            assertThat(f.messageId()).isEqualTo(id);
            assertThat(f.message()).isSameAs(msg);
        });
        assertThat(net.nodes[0].pendingMessages(1)).isZero();
        assertThat(net.nodes[0].nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
        // 5 first tries, then per timeout one probe on both paths: a peer that acks nothing is not sent the whole
        // window again (it may only be busy); the other fragments use up their tries unsent and fail with it
        assertThat(net.nodes[0].counters().packetsSent()).isEqualTo(5 + 4 * 2);
        assertThat(net.nodes[0].counters().retransmissionsHeld()).isEqualTo(4 * 4);
    }

    @Test
    void retransmissionsUseEveryPath() {
        SimulatedNetwork net = new SimulatedNetwork(9, 2, 3, c -> c);
        net.cut[0][1][0] = true; // the preferred path towards node 1 is dead
        net.nodes[0].send(net.nowNs, 1, 0, false, new byte[] {1, 2, 3});
        net.runFor(1_000 * MS);
        assertThat(net.received.get(1)).hasSize(1);
        long dataToPeer = net.sent.stream().filter(s -> s.from() == 0).count();
        assertThat(net.sent.stream().filter(s -> s.from() == 0).map(SimulatedNetwork.Sent::path).distinct())
                .containsExactlyInAnyOrder(0, 1, 2);
        assertThat(dataToPeer).isEqualTo(4); // first try on path 0, then one copy on each of the 3 paths
        assertThat(net.nodes[1].counters().dropped(DropReason.REPLAYED)).isEqualTo(1); // the second surviving copy
    }

    @Test
    void doublingTimeoutCapsAtMaximum() {
        SimulatedNetwork net = new SimulatedNetwork(4, 2, 1, c -> c.withRetransmission(5 * MS, 20 * MS, 6));
        net.loss = 1.0;
        long t0 = net.nowNs;
        net.nodes[0].send(t0, 1, 0, false, new byte[] {1});
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            times.add(net.nodes[0].nextDeadlineNs() - t0);
            net.nowNs = net.nodes[0].nextDeadlineNs();
            net.nodes[0].onTick(net.nowNs);
        }
        assertThat(times).containsExactly(5 * MS, 15 * MS, 35 * MS, 55 * MS, 75 * MS, 95 * MS);
        assertThat(net.failed.get(0)).hasSize(1);
    }

    @Test
    void fullSendQueueRejectsWithClearResult() {
        SimulatedNetwork net = new SimulatedNetwork(2, 2, 1, c -> c);
        for (int i = 0; i < 64; i++) {
            assertThat(net.nodes[0].send(net.nowNs, 1, 0, false, new byte[10])).isEqualTo(i + 1);
        }
        assertThat(net.nodes[0].send(net.nowNs, 1, 0, false, new byte[10])).isEqualTo(SendResult.QUEUE_FULL);
        assertThat(net.nodes[0].send(net.nowNs, 7, 0, false, new byte[10])).isEqualTo(SendResult.UNKNOWN_PEER);
        assertThat(net.nodes[0].send(net.nowNs, 0, 0, false, new byte[10])).isEqualTo(SendResult.UNKNOWN_PEER);
        assertThat(net.nodes[0].send(net.nowNs, 1, 16, false, new byte[10])).isEqualTo(SendResult.BAD_CHANNEL);
        assertThat(net.nodes[0].send(net.nowNs, 1, 0, false, new byte[MessagingConfig.MAX_MESSAGE_BYTES + 1]))
                .isEqualTo(SendResult.TOO_LARGE);
        net.runFor(100 * MS);
        assertThat(net.received.get(1)).hasSize(64);
        assertThat(net.nodes[0].send(net.nowNs, 1, 0, false, new byte[10])).isPositive();
    }

    @Test
    void datagramIsDeliveredOnceWithoutAck() {
        SimulatedNetwork net = new SimulatedNetwork(6, 2, 2, c -> c);
        List<String> got = recordDatagramsAtNode1(net);
        assertThat(net.nodes[0].sendDatagram(1, MessageLayer.ALL_PATHS, 0, "tok".getBytes(), 0, 3)).isEqualTo(SendResult.SENT);
        assertThat(net.nodes[0].sendDatagram(1, 2, 0, "x".getBytes(), 0, 1)).isEqualTo(SendResult.BAD_PATH);
        net.runFor(10 * MS);
        assertThat(got).hasSize(1).first().asString().endsWith("/0/tok").startsWith("0/");
        assertThat(net.nodes[1].counters().dropped(DropReason.REPLAYED)).isEqualTo(1);
        assertThat(net.nodes[0].nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void datagramCarriesItsKindToTheListener() {
        SimulatedNetwork net = new SimulatedNetwork(6, 2, 2, c -> c);
        List<String> got = recordDatagramsAtNode1(net);
        assertThat(net.nodes[0].sendDatagram(1, 1, 200, "frame".getBytes(), 0, 5)).isEqualTo(SendResult.SENT);
        net.runFor(10 * MS);
        assertThat(got).containsExactly("0/1/200/frame");
    }

    /** Replaces node 1 of {@code net} with one that records its datagrams as peer/path/kind/text. */
    private static List<String> recordDatagramsAtNode1(SimulatedNetwork net) {
        List<String> got = new ArrayList<>();
        net.nodes[1] = new MessageLayer(SimulatedNetwork.config(1, 2, 2), (p, path, b, l) -> {}, new MessageListener() {
            public void onMessage(int peer, int channel, byte[] message) {}
            public void onFailure(int peer, long messageId, byte[] message) {}
            public void onDatagram(int peer, int path, int kind, byte[] data, int offset, int length) {
                got.add(peer + "/" + path + "/" + kind + "/" + new String(data, offset, length));
            }
        }, new Prng(1));
        return got;
    }
}
