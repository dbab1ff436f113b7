package io.ringwall.conntrack;

import static io.ringwall.conntrack.PacketFacts.TCP_ACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulation of realistic TCP conversations through the tracker: two endpoints with sliding windows,
 * random segment sizes, retransmissions and upstream reordering by a bounded number of packets. Receivers only
 * see what passed the firewall, accept in-order data only (so lost-by-reordering data is retransmitted), and
 * ack cumulatively. Every genuine segment must be ESTABLISHED; injected forgeries must be INVALID.
 */
class RandomTcpConversationTest {
    private static final int MSS = 1460;
    private static final int MAX_REORDER = 4;   // packets can overtake at most this many steps
    private static final int STEPS = 4000;

    private record Segment(boolean fromClient, int seq, int ack, int window, int length, int dueStep) {}

    private static final class Side {
        int sndUna, sndNxt, rcvNxt;
        int windowBytes, scale;
        int peerWindow;
    }

    private static boolean after(int a, int b) { return b - a < 0; }

    @Test
    void realisticConversationsAreAllEstablished() {
        Prng prng = new Prng(20_261_122L);
        for (int conversation = 0; conversation < 40; conversation++) {
            runConversation(prng.fork(), conversation);
        }
    }

    private void runConversation(Prng prng, int conversation) {
        Conntrack ct = new Conntrack(ConntrackConfig.defaults().withCapacities(4, 4));
        TcpTestFlow flow = new TcpTestFlow(ct, 1024 + prng.nextInt(60_000), 443);
        boolean scaled = prng.chance(0.5);
        Side client = side(prng, scaled);
        Side server = side(prng, scaled);
        int cIsn = (int) prng.nextLong();
        int sIsn = (int) prng.nextLong();
        int synWindowC = Math.min(client.windowBytes, 65535);
        int synWindowS = Math.min(server.windowBytes, 65535);
        assertThat(flow.handshake(cIsn, sIsn, synWindowC, synWindowS, scaled ? client.scale : -1,
                scaled ? server.scale : -1)).isEqualTo(CtVerdict.ESTABLISHED);
        // the handshake's final ACK carried the client's scaled window
        client.sndUna = client.sndNxt = cIsn + 1;
        server.sndUna = server.sndNxt = sIsn + 1;
        client.rcvNxt = sIsn + 1;
        server.rcvNxt = cIsn + 1;
        client.peerWindow = synWindowS;
        server.peerWindow = scaled ? (client.windowBytes >>> client.scale) << client.scale : client.windowBytes;
        if (!scaled) {
            flow.client(TCP_ACK, cIsn + 1, sIsn + 1, client.windowBytes, 0);
        } else {
            flow.client(TCP_ACK, cIsn + 1, sIsn + 1, client.windowBytes >>> client.scale, 0);
        }

        List<Segment> inFlight = new ArrayList<>();
        long[] genuine = new long[2];
        int forged = 0;
        for (int step = 0; step < STEPS; step++) {
            boolean fromClient = prng.chance(0.5);
            Side me = fromClient ? client : server;
            int window = me.windowBytes >>> (scaled ? me.scale : 0);
            double roll = prng.nextDouble();
            int inUse = me.sndNxt - me.sndUna;
            if (roll < 0.55) {
                int room = me.peerWindow - inUse;
                if (room > 0) {
                    int len = 1 + prng.nextInt(Math.min(MSS, room));
                    inFlight.add(new Segment(fromClient, me.sndNxt, me.rcvNxt, window, len, step + prng.nextInt(MAX_REORDER)));
                    me.sndNxt += len;
                }
            } else if (roll < 0.75) {
                if (inUse > 0) { // retransmission of unacknowledged data
                    int offset = prng.nextInt(inUse);
                    int len = 1 + prng.nextInt(Math.min(MSS, inUse - offset));
                    inFlight.add(new Segment(fromClient, me.sndUna + offset, me.rcvNxt, window, len,
                            step + prng.nextInt(MAX_REORDER)));
                }
            } else {
                inFlight.add(new Segment(fromClient, me.sndNxt, me.rcvNxt, window, 0, step + prng.nextInt(MAX_REORDER)));
            }

            for (int i = 0; i < inFlight.size(); ) {
                Segment seg = inFlight.get(i);
                if (seg.dueStep() > step) {
                    i++;
                    continue;
                }
                inFlight.remove(i);
                int verdict = flow.send(seg.fromClient(), flow.segment(TCP_ACK, seg.seq(), seg.ack(), seg.window(), seg.length()));
                assertThat(verdict).as("conversation %d step %d %s", conversation, step, seg).isEqualTo(CtVerdict.ESTABLISHED);
                genuine[seg.fromClient() ? 0 : 1]++;
                deliver(seg, seg.fromClient() ? server : client, scaled ? (seg.fromClient() ? client : server).scale : 0);
            }

            if (prng.chance(0.02)) { // a forged segment far beyond anything the peer allowed
                Side victim = prng.chance(0.5) ? client : server;
                int verdict = flow.send(victim == client, flow.segment(TCP_ACK,
                        victim.sndNxt + 3 * 65535 * (1 << 8) + prng.nextInt(1000), victim.rcvNxt, 100, 10));
                assertThat(verdict).isEqualTo(CtVerdict.INVALID);
                forged++;
            }
        }
        int slot = flow.slot();
        assertThat(ct.active().tcpState(slot)).isEqualTo(FlowState.TCP_ESTABLISHED);
        assertThat(ct.active().packets(slot, true)).isEqualTo(genuine[0] + 3); // + SYN and two handshake ACKs
        assertThat(ct.active().packets(slot, false)).isEqualTo(genuine[1] + 1);
        assertThat(ct.counters().invalidOutOfWindow()).isEqualTo(forged);
        assertThat(client.sndUna - (cIsn + 1)).as("the conversation moved data").isPositive();
    }

    private static Side side(Prng prng, boolean scaled) {
        Side s = new Side();
        s.scale = scaled ? 1 + prng.nextInt(3) : 0;
        // windows stay below netfilter's MAXACKWINDOW minus the reordering slack, see class comment
        int bytes = 4096 + prng.nextInt(50_000);
        s.windowBytes = scaled ? (bytes >>> s.scale) << s.scale : bytes;
        return s;
    }

    /** The receiver takes in-order data only and learns the sender's ack and window. */
    private static void deliver(Segment seg, Side receiver, int senderScale) {
        int end = seg.seq() + seg.length();
        if (seg.length() > 0 && !after(seg.seq(), receiver.rcvNxt) && after(end, receiver.rcvNxt)) {
            receiver.rcvNxt = end;
        }
        if (!after(receiver.sndUna, seg.ack())) {
            receiver.sndUna = seg.ack();
            receiver.peerWindow = seg.window() << senderScale;
        }
    }
}
