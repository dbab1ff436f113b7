package io.ringwall.conntrack;

import static io.ringwall.conntrack.PacketFacts.TCP_ACK;
import static io.ringwall.conntrack.PacketFacts.TCP_SYN;

/** Drives one TCP flow (client -> server) through a {@link Conntrack}, playing the data plane's part. */
final class TcpTestFlow {
    static final int CLIENT_IP = 0x0A00_0001; // 10.0.0.1
    static final int SERVER_IP = 0x0A00_0002; // 10.0.0.2
    static final int PROTO_TCP = 6;

    final Conntrack ct;
    final FlowKey fromClientKey = new FlowKey();
    final FlowKey fromServerKey = new FlowKey();
    final PacketFacts facts = new PacketFacts();
    long nowNs = 1_000_000_000L;
    int clientIsn;
    int serverIsn;

    TcpTestFlow(Conntrack ct, int clientPort, int serverPort) {
        this.ct = ct;
        fromClientKey.setV4(PROTO_TCP, CLIENT_IP, clientPort, SERVER_IP, serverPort);
        fromServerKey.setV4(PROTO_TCP, SERVER_IP, serverPort, CLIENT_IP, clientPort);
    }

    TcpTestFlow(Conntrack ct) {
        this(ct, 40_000, 80);
    }

    PacketFacts segment(int flags, int seq, int ack, int window, int payload) {
        facts.clear();
        facts.protocol = PROTO_TCP;
        facts.tcpFlags = flags;
        facts.seq = seq;
        facts.ack = ack;
        facts.window = window;
        facts.payloadLength = payload;
        facts.length = 40 + payload;
        return facts;
    }

    /** Classifies like the data plane; a NEW verdict is followed by create (the filter accepts everything). */
    int send(boolean fromClient, PacketFacts f) {
        FlowKey key = fromClient ? fromClientKey : fromServerKey;
        nowNs += 1_000_000L;
        int verdict = ct.classify(key, f, nowNs);
        if (verdict == CtVerdict.NEW) {
            ct.create(key, f, nowNs);
        }
        return verdict;
    }

    int client(int flags, int seq, int ack, int window, int payload) {
        return send(true, segment(flags, seq, ack, window, payload));
    }

    int server(int flags, int seq, int ack, int window, int payload) {
        return send(false, segment(flags, seq, ack, window, payload));
    }

    /** SYN, SYN-ACK, ACK; scale -1 = option not offered. Returns the verdict of the final ACK. */
    int handshake(int cIsn, int sIsn, int cWindow, int sWindow, int cScale, int sScale) {
        clientIsn = cIsn;
        serverIsn = sIsn;
        segment(TCP_SYN, cIsn, 0, cWindow, 0).windowScale = cScale;
        send(true, facts);
        segment(TCP_SYN | TCP_ACK, sIsn, cIsn + 1, sWindow, 0).windowScale = sScale;
        send(false, facts);
        return client(TCP_ACK, cIsn + 1, sIsn + 1, cWindow, 0);
    }

    int handshake() {
        return handshake(1000, 5000, 65535, 65535, -1, -1);
    }

    int slot() {
        return ct.active().lookup(fromClientKey);
    }

    int state() {
        return ct.active().tcpState(slot());
    }
}
