package io.ringwall.sim.host;

import io.ringwall.sim.packet.ParsedFrame;
import io.ringwall.wire.Ipv4Address;

import java.io.ByteArrayOutputStream;

/**
 * A small, honest TCP for simulated hosts: 3-way handshake with MSS and window-scale options,
 * cumulative ACKs (every segment acked at once), go-back-N retransmission on a doubling timeout
 * with bounded retries, in-order delivery only, FIN close and RST. Sequence numbers are kept
 * unwrapped in longs internally and wrapped to 32 bits on the wire.
 */
public final class TcpConnection {
    public static final int MSS = 1460;
    public static final int WINDOW_SCALE = 2;
    /** Receive window we advertise (the app consumes at once, so the window never closes). */
    public static final int RECEIVE_WINDOW_BYTES = 131_072;
    public static final int SEGMENTS_IN_FLIGHT_MAX = 16;
    public static final long RTO_INITIAL_NS = 200_000_000L;
    public static final long RTO_MAX_NS = 1_000_000_000L;
    /** After this many timeouts in a row without progress the connection gives up. */
    public static final int RETRIES_MAX = 12;
    public static final int SEND_BUFFER_MAX = 4 << 20;
    /** Received bytes kept for inspection by tests; beyond this only counted. */
    public static final int RECEIVED_KEPT_MAX = 1 << 20;

    static final int FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16;

    public enum State { SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, CLOSING, CLOSED }

    private final SimHost host;
    private final TcpApp app;
    private final int localPort, remoteIp, remotePort;
    private State state;
    private final long iss;
    private long sndUna, sndNxt;
    /** Unsent and unacknowledged app data; byte 0 has sequence number {@code bufferBaseSeq}. */
    private byte[] sendBuffer = new byte[4096];
    private int sendBuffered;
    private long bufferBaseSeq;
    private long rcvNxt;
    private int peerMss = TcpSynOptions.DEFAULT_MSS;
    private int peerScale, ourScale;
    private long peerWindowBytes = 65_535;
    private boolean finRequested, finSent, finAcked;
    private long finSeq = -1;
    private long rtoNs = RTO_INITIAL_NS;
    private int retries;
    private long timerGeneration;
    /** The retransmission timer runs from the oldest unacknowledged send; new sends do not restart it. */
    private boolean timerArmed;
    // stats
    private final long createdNs;
    private long establishedNs = -1, lastDeliveryNs = -1, lastAckProgressNs = -1, closedNs = -1, maxDeliveryGapNs;
    private long bytesWritten, bytesAcked, bytesReceived, segmentsRetransmitted;
    private boolean reset, timedOut, closedByUser;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    TcpConnection(SimHost host, TcpApp app, int localPort, int remoteIp, int remotePort, long iss, State initial) {
        this.host = host;
        this.app = app;
        this.localPort = localPort;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.iss = iss;
        this.state = initial;
        this.sndUna = iss;
        this.sndNxt = iss + 1;
        this.bufferBaseSeq = iss + 1;
        this.createdNs = host.nowNs();
    }

    /** Client side: send the SYN. */
    void open() {
        ourScale = WINDOW_SCALE;
        sendSegment(iss, SYN, synOptions(), 0, 0);
        armTimer();
    }

    /** Server side: a SYN arrived for a listening port. */
    void accept(ParsedFrame syn) {
        rcvNxt = syn.seq + 1;
        readSynOptions(syn);
        peerWindowBytes = syn.window;
        sendSegment(iss, SYN | ACK, synOptions(), 0, 0);
        armTimer();
    }

    /** Queues bytes to send; silently bounded by {@link #SEND_BUFFER_MAX} (returns how many were taken). */
    public int write(byte[] data) {
        if (finRequested || state == State.CLOSED) {
            return 0;
        }
        int n = Math.min(data.length, SEND_BUFFER_MAX - sendBuffered);
        if (sendBuffered + n > sendBuffer.length) {
            sendBuffer = java.util.Arrays.copyOf(sendBuffer, Math.max(sendBuffered + n, sendBuffer.length * 2));
        }
        System.arraycopy(data, 0, sendBuffer, sendBuffered, n);
        sendBuffered += n;
        bytesWritten += n;
        pump();
        return n;
    }

    /** Deliberate close: FIN after the queued data. */
    public void close() {
        if (state == State.CLOSED || finRequested) {
            return;
        }
        closedByUser = true;
        finRequested = true;
        pump();
    }

    /** Deliberate abort: sends RST and forgets the connection. */
    public void abort() {
        if (state == State.CLOSED) {
            return;
        }
        closedByUser = true;
        sendSegment(sndNxt, RST | ACK, new byte[0], 0, 0);
        enterClosed();
    }

    void onSegment(ParsedFrame p) {
        if ((p.tcpFlags & RST) != 0) {
            onReset(p);
            return;
        }
        switch (state) {
            case SYN_SENT -> onSynSentSegment(p);
            case SYN_RECEIVED -> onSynReceivedSegment(p);
            case CLOSED -> { }
            default -> onSynchronizedSegment(p);
        }
    }

    private void onReset(ParsedFrame p) {
        boolean acceptable = state == State.SYN_SENT
                ? (p.tcpFlags & ACK) != 0 && unwrapAck(p.ack) == iss + 1
                : Math.abs(unwrapSeq(p.seq) - rcvNxt) <= RECEIVE_WINDOW_BYTES;
        if (acceptable && state != State.CLOSED) {
            reset = true;
            host.traceTcp(this, "rst-received");
            enterClosed();
        }
    }

    private void onSynSentSegment(ParsedFrame p) {
        if ((p.tcpFlags & ACK) != 0 && unwrapAck(p.ack) != iss + 1) {
            host.sendRst(p);
            return;
        }
        if ((p.tcpFlags & (SYN | ACK)) != (SYN | ACK)) {
            return;
        }
        rcvNxt = p.seq + 1;
        readSynOptions(p);
        peerWindowBytes = p.window; // never scaled in a SYN
        sndUna = iss + 1;
        becomeEstablished();
        sendAck();
        pump();
    }

    private void onSynReceivedSegment(ParsedFrame p) {
        if ((p.tcpFlags & SYN) != 0 && (p.tcpFlags & ACK) == 0) {
            sendSegment(iss, SYN | ACK, synOptions(), 0, 0); // our SYN-ACK was lost
            return;
        }
        if ((p.tcpFlags & ACK) == 0 || unwrapAck(p.ack) < iss + 1) {
            return;
        }
        sndUna = iss + 1;
        becomeEstablished();
        onSynchronizedSegment(p);
    }

    private void onSynchronizedSegment(ParsedFrame p) {
        if ((p.tcpFlags & SYN) != 0) {
            sendAck(); // a retransmitted SYN-ACK: our ACK was lost
            return;
        }
        if ((p.tcpFlags & ACK) != 0) {
            onAck(unwrapAck(p.ack), p.window);
        }
        if (state == State.CLOSED) {
            return;
        }
        int length = p.payloadLength();
        long seq = unwrapSeq(p.seq);
        boolean fin = (p.tcpFlags & FIN) != 0;
        if (length > 0) {
            acceptData(seq, p.bytes, p.payloadOffset(), length);
        }
        if (fin && seq + length == rcvNxt && !peerFinReceived()) {
            rcvNxt++;
            onPeerFin();
        }
        if (length > 0 || fin) {
            sendAck();
        }
    }

    private void acceptData(long seq, byte[] bytes, int offset, int length) {
        long end = seq + length;
        if (seq > rcvNxt || end <= rcvNxt || peerFinReceived()) {
            return; // out of order or old: dropped, the cumulative ACK asks again
        }
        int skip = (int) (rcvNxt - seq);
        int fresh = length - skip;
        rcvNxt = end;
        long now = host.nowNs();
        long previous = lastDeliveryNs >= 0 ? lastDeliveryNs : establishedNs;
        maxDeliveryGapNs = Math.max(maxDeliveryGapNs, now - previous);
        lastDeliveryNs = now;
        bytesReceived += fresh;
        int keep = Math.min(fresh, RECEIVED_KEPT_MAX - received.size());
        if (keep > 0) {
            received.write(bytes, offset + skip, keep);
        }
        app.onData(this, bytes, offset + skip, fresh);
    }

    private void onPeerFin() {
        host.traceTcp(this, "fin-received");
        switch (state) {
            case ESTABLISHED -> state = State.CLOSE_WAIT;
            case FIN_WAIT -> {
                if (finAcked) {
                    enterClosed();
                } else {
                    state = State.CLOSING;
                }
            }
            default -> { }
        }
        app.onPeerClosed(this);
    }

    private void onAck(long ack, int window) {
        peerWindowBytes = (long) window << peerScale;
        if (ack <= sndUna || ack > sndNxt) {
            return;
        }
        long dataAcked = Math.min(ack, bufferBaseSeq + sendBuffered) - bufferBaseSeq;
        if (dataAcked > 0) {
            System.arraycopy(sendBuffer, (int) dataAcked, sendBuffer, 0, sendBuffered - (int) dataAcked);
            sendBuffered -= (int) dataAcked;
            bufferBaseSeq += dataAcked;
            bytesAcked += dataAcked;
        }
        sndUna = ack;
        lastAckProgressNs = host.nowNs();
        retries = 0;
        rtoNs = RTO_INITIAL_NS;
        if (finSent && ack == finSeq + 1) {
            finAcked = true;
            if (state == State.LAST_ACK || state == State.CLOSING) {
                enterClosed();
                return;
            }
        }
        if (sndUna == sndNxt) {
            cancelTimer();
        } else {
            armTimer();
        }
        pump();
    }

    /** Sends what the window allows, then the FIN once all data is out. */
    private void pump() {
        if (state != State.ESTABLISHED && state != State.CLOSE_WAIT) {
            return;
        }
        long window = Math.min(peerWindowBytes, (long) SEGMENTS_IN_FLIGHT_MAX * effectiveMss());
        long dataEnd = bufferBaseSeq + sendBuffered;
        boolean sent = false;
        while (sndNxt < dataEnd && sndNxt - sndUna < window) {
            int length = (int) Math.min(Math.min(effectiveMss(), dataEnd - sndNxt), window - (sndNxt - sndUna));
            sendSegment(sndNxt, ACK | PSH, new byte[0], (int) (sndNxt - bufferBaseSeq), length);
            sndNxt += length;
            sent = true;
        }
        if (finRequested && !finSent && sndNxt == dataEnd) {
            finSeq = dataEnd;
            sendSegment(finSeq, FIN | ACK, new byte[0], 0, 0);
            sndNxt = finSeq + 1;
            finSent = true;
            state = state == State.ESTABLISHED ? State.FIN_WAIT : State.LAST_ACK;
            sent = true;
        }
        if (sent && sndNxt > sndUna && !timerArmed) {
            armTimer();
        }
    }

    private void cancelTimer() {
        timerGeneration++;
        timerArmed = false;
    }

    private void armTimer() {
        long generation = ++timerGeneration;
        timerArmed = true;
        host.schedule(rtoNs, () -> {
            if (generation == timerGeneration && state != State.CLOSED) {
                timerArmed = false;
                onRetransmissionTimeout();
            }
        });
    }

    private void onRetransmissionTimeout() {
        if (++retries > RETRIES_MAX) {
            timedOut = true;
            host.traceTcp(this, "timed-out");
            enterClosed();
            return;
        }
        rtoNs = Math.min(rtoNs * 2, RTO_MAX_NS);
        host.traceTcp(this, "rto");
        switch (state) {
            case SYN_SENT -> sendSegment(iss, SYN, synOptions(), 0, 0);
            case SYN_RECEIVED -> sendSegment(iss, SYN | ACK, synOptions(), 0, 0);
            default -> {
                segmentsRetransmitted++;
                sndNxt = sndUna; // go-back-N
                if (finSent && sndUna <= finSeq) {
                    finSent = false;
                    state = state == State.FIN_WAIT ? State.ESTABLISHED : State.CLOSE_WAIT;
                }
                pump();
                return;
            }
        }
        armTimer();
    }

    private void becomeEstablished() {
        state = State.ESTABLISHED;
        establishedNs = host.nowNs();
        retries = 0;
        rtoNs = RTO_INITIAL_NS;
        cancelTimer();
        host.traceTcp(this, "established");
        app.onEstablished(this);
    }

    private void enterClosed() {
        state = State.CLOSED;
        closedNs = host.nowNs();
        cancelTimer();
        host.forget(this);
    }

    private void sendAck() {
        sendSegment(sndNxt, ACK, new byte[0], 0, 0);
    }

    private void sendSegment(long seq, int flags, byte[] options, int bufferOffset, int length) {
        boolean syn = (flags & SYN) != 0;
        int window = syn ? Math.min(RECEIVE_WINDOW_BYTES, 65_535) : RECEIVE_WINDOW_BYTES >> ourScale;
        long ack = (flags & ACK) != 0 ? rcvNxt & 0xFFFF_FFFFL : 0;
        host.sendTcpSegment(this, seq & 0xFFFF_FFFFL, ack, flags, window, options, sendBuffer, bufferOffset, length);
    }

    private byte[] synOptions() {
        // offer scaling on our SYN; on a SYN-ACK echo it only if the peer offered it
        return TcpSynOptions.encode(MSS, ourScale == 0 && state == State.SYN_RECEIVED ? -1 : WINDOW_SCALE);
    }

    private void readSynOptions(ParsedFrame p) {
        TcpSynOptions options = TcpSynOptions.parse(p);
        peerMss = options.mss();
        boolean scaling = options.windowScale() != TcpSynOptions.NO_SCALE; // applies only if both sides offer it
        peerScale = scaling ? options.windowScale() : 0;
        ourScale = scaling ? WINDOW_SCALE : 0;
    }

    private int effectiveMss() {
        return Math.max(1, Math.min(MSS, peerMss));
    }

    private long unwrapAck(long ack32) {
        return sndUna + (int) (ack32 - (sndUna & 0xFFFF_FFFFL));
    }

    private long unwrapSeq(long seq32) {
        return rcvNxt + (int) (seq32 - (rcvNxt & 0xFFFF_FFFFL));
    }

    private boolean peerFinReceived() {
        return state == State.CLOSE_WAIT || state == State.LAST_ACK || state == State.CLOSING
                || (state == State.CLOSED && !reset && !timedOut);
    }

    public State state() { return state; }
    public int localPort() { return localPort; }
    public int remoteIp() { return remoteIp; }
    public int remotePort() { return remotePort; }
    public long createdNs() { return createdNs; }
    public long establishedNs() { return establishedNs; }
    public long closedNs() { return closedNs; }
    /** Last time in-order data was delivered to this side, or -1. */
    public long lastDeliveryNs() { return lastDeliveryNs; }
    /** Longest interval between deliveries so far (from establishment); see also {@link #lastDeliveryNs()}. */
    /** Last time the peer acknowledged new data, or -1. */
    public long lastAckProgressNs() { return lastAckProgressNs; }
    public long maxDeliveryGapNs() { return maxDeliveryGapNs; }
    public long bytesWritten() { return bytesWritten; }
    public long bytesAcked() { return bytesAcked; }
    public long bytesReceived() { return bytesReceived; }
    public long bytesUnacked() { return sendBuffered; }
    public long segmentsRetransmitted() { return segmentsRetransmitted; }
    public boolean wasReset() { return reset; }
    public boolean timedOut() { return timedOut; }
    public boolean closedByUser() { return closedByUser; }
    public boolean isEstablished() { return state == State.ESTABLISHED; }
    public int peerMss() { return peerMss; }
    public int peerWindowScale() { return peerScale; }
    /** The first {@link #RECEIVED_KEPT_MAX} bytes received, in order. */
    public byte[] receivedBytes() { return received.toByteArray(); }

    @Override
    public String toString() {
        return host.name() + ":" + localPort + "->" + Ipv4Address.format(remoteIp) + ":" + remotePort
                + " " + state;
    }
}
