package io.ringwall.messaging;

import io.ringwall.wire.ByteArrays;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Send side towards one peer: a bounded queue of messages, a window of unacknowledged
 * fragments, and retransmission with a per-fragment doubling timeout. The first copy of a
 * fragment goes on the peer's preferred path; every retransmission goes on every path.
 * The timeout follows the measured round trip (RFC 6298 with Karn's rule, never below the
 * configured initial timeout): a peer whose loop is busy acks late, and a fixed timeout would
 * then resend every batch in flight although nothing was lost.
 */
final class PeerSender {
    private final int peer;
    private final MessagingConfig config;
    private final Outbox outbox;
    private final MessagingCounters counters;
    private final MessageListener listener;
    private final ArrayDeque<OutgoingMessage> queue = new ArrayDeque<>();
    private final long[] nextOrderSeq = new long[MessagingConfig.MAX_CHANNELS];
    private long queuedBytes;
    private long nextMessageId = 1;
    private int inFlight;
    private long nextDeadline = Long.MAX_VALUE;
    /** Smoothed round trip and its variation (RFC 6298); srtt &lt; 0: no sample yet. */
    private long srttNs = -1;
    private long rttVarNs;
    private long rtoNs;
    /** Transmissions so far, and the latest of them this peer has acked (0: none). */
    private long transmissions;
    private long latestAckedOrder;
    /** Whether this tick already resent a fragment to a silent peer. */
    private boolean probed;
    int preferredPath;

    PeerSender(int peer, MessagingConfig config, Outbox outbox, MessagingCounters counters, MessageListener listener) {
        this.peer = peer;
        this.listener = listener;
        this.config = config;
        this.outbox = outbox;
        this.counters = counters;
        java.util.Arrays.fill(nextOrderSeq, 1);
        this.rtoNs = config.initialRtoNs();
    }

    long enqueue(long nowNs, int channel, boolean ordered, byte[] message) {
        if (queue.size() >= config.maxQueuedMessagesPerPeer()
                || queuedBytes + message.length > config.maxQueuedBytesPerPeer()) {
            return SendResult.QUEUE_FULL;
        }
        long orderSeq = ordered ? nextOrderSeq[channel]++ : 0;
        OutgoingMessage m = new OutgoingMessage(nextMessageId++, channel, ordered, orderSeq, message, config.chunkBytes());
        queue.addLast(m);
        queuedBytes += message.length;
        counters.messagesSent++;
        pump(nowNs);
        return m.id;
    }

    /** Applies one ack entry; returns false if it matched nothing outstanding. */
    boolean onAck(long nowNs, long messageId, int fragment) {
        for (Iterator<OutgoingMessage> it = queue.iterator(); it.hasNext(); ) {
            OutgoingMessage m = it.next();
            if (m.id != messageId) {
                continue;
            }
            if (!m.ack(fragment)) {
                return false;
            }
            latestAckedOrder = Math.max(latestAckedOrder, m.sentOrder[fragment]);
            if (m.tries[fragment] == 1) { // Karn: the ack of a resent fragment may answer either copy
                sampleRtt(nowNs - m.sentNs[fragment]);
            }
            inFlight--;
            if (m.complete()) {
                it.remove();
                queuedBytes -= m.bytes.length;
                listener.onDelivered(peer, m.id);
            }
            return true;
        }
        return false;
    }

    private void sampleRtt(long rtt) {
        rtt = Math.max(0, rtt);
        if (srttNs < 0) {
            srttNs = rtt;
            rttVarNs = rtt / 2;
        } else {
            rttVarNs += (Math.abs(srttNs - rtt) - rttVarNs) / 4;
            srttNs += (rtt - srttNs) / 8;
        }
        rtoNs = Math.min(config.maxRtoNs(), Math.max(config.initialRtoNs(), srttNs + 4 * rttVarNs));
    }

    /** The current retransmission timeout (before per-fragment doubling). */
    long rtoNs() {
        return rtoNs;
    }

    /** After a batch of acks: fill the window again and recompute the deadline. */
    void afterAcks(long nowNs) {
        pump(nowNs);
    }

    /** Retransmits what is due; returns messages that ran out of tries (removed from the queue). */
    List<OutgoingMessage> onTick(long nowNs) {
        List<OutgoingMessage> failed = null;
        if (nowNs >= nextDeadline) {
            probed = false;
            for (Iterator<OutgoingMessage> it = queue.iterator(); it.hasNext(); ) {
                OutgoingMessage m = it.next();
                if (retransmitDue(nowNs, m)) {
                    continue;
                }
                it.remove();
                queuedBytes -= m.bytes.length;
                inFlight -= (m.cursor - m.lowUnacked) - countAcked(m);
                counters.messagesFailed++;
                if (failed == null) {
                    failed = new ArrayList<>();
                }
                failed.add(m);
            }
        }
        pump(nowNs);
        return failed == null ? List.of() : failed;
    }

    /**
     * Returns false if some due fragment has used up its tries. A fragment counts as lost when the peer has
     * acked one sent after it (acks come back in order); until then the peer may just be busy, or its acks may
     * be waiting in our receive queue (a late tick runs before the queue is read). Such fragments are not all
     * resent: only the oldest, as a probe, per tick; the others use up a try without being sent, so a dead peer
     * fails them as fast as before, while a slow one costs one packet per timeout instead of a window.
     */
    private boolean retransmitDue(long nowNs, OutgoingMessage m) {
        for (int i = m.lowUnacked; i < m.cursor; i++) {
            if (m.isAcked(i) || m.deadline[i] > nowNs) {
                continue;
            }
            if (m.tries[i] >= config.maxTries()) {
                return false;
            }
            boolean silent = latestAckedOrder < m.sentOrder[i];
            if (silent && probed) {
                m.tries[i]++;
                m.deadline[i] = nowNs + backedOffRto(m.tries[i]);
                counters.retransmissionsHeld++;
                continue;
            }
            probed |= silent;
            transmit(nowNs, m, i, Outbox.ALL_PATHS);
            counters.retransmissions++;
        }
        return true;
    }

    private long backedOffRto(int tries) {
        return Math.min(config.maxRtoNs(), rtoNs << Math.min(tries - 1, 20));
    }

    private static int countAcked(OutgoingMessage m) {
        int n = 0;
        for (int i = m.lowUnacked; i < m.cursor; i++) {
            if (m.isAcked(i)) n++;
        }
        return n;
    }

    private void pump(long nowNs) {
        for (OutgoingMessage m : queue) {
            while (m.cursor < m.fragmentCount && inFlight < config.sendWindowPackets()) {
                transmit(nowNs, m, m.cursor++, preferredPath);
                inFlight++;
            }
            if (inFlight >= config.sendWindowPackets()) {
                break;
            }
        }
        recomputeDeadline();
    }

    private void transmit(long nowNs, OutgoingMessage m, int i, int path) {
        byte[] b = outbox.body;
        b[0] = PacketBody.KIND_DATA;
        b[PacketBody.OFF_CHANNEL] = (byte) m.channel;
        b[PacketBody.OFF_FLAGS] = (byte) (m.ordered ? PacketBody.FLAG_ORDERED : 0);
        b[3] = 0;
        ByteArrays.putLong(b, PacketBody.OFF_MSG_ID, m.id);
        ByteArrays.putInt(b, PacketBody.OFF_MSG_LEN, m.bytes.length);
        ByteArrays.putInt(b, PacketBody.OFF_FRAG_INDEX, i);
        ByteArrays.putInt(b, PacketBody.OFF_FRAG_COUNT, m.fragmentCount);
        ByteArrays.putInt(b, PacketBody.OFF_FRAG_OFFSET, m.offset(i));
        ByteArrays.putLong(b, PacketBody.OFF_ORDER_SEQ, m.orderSeq);
        ByteArrays.putLong(b, PacketBody.OFF_ORDER_FLOOR, m.ordered ? orderFloor(m.channel) : 0);
        int len = m.length(i);
        System.arraycopy(m.bytes, m.offset(i), b, PacketBody.DATA_HEADER, len);
        outbox.send(peer, path, PacketBody.DATA_HEADER + len);
        int tries = ++m.tries[i];
        m.sentNs[i] = nowNs;
        m.sentOrder[i] = ++transmissions;
        m.deadline[i] = nowNs + backedOffRto(tries);
    }

    /** Lowest order seq on this channel still unfinished here: everything below was delivered to or given up on. */
    private long orderFloor(int channel) {
        for (OutgoingMessage m : queue) {
            if (m.ordered && m.channel == channel) {
                return m.orderSeq;
            }
        }
        return nextOrderSeq[channel];
    }

    private void recomputeDeadline() {
        long min = Long.MAX_VALUE;
        for (OutgoingMessage m : queue) {
            for (int i = m.lowUnacked; i < m.cursor; i++) {
                if (!m.isAcked(i) && m.deadline[i] < min) {
                    min = m.deadline[i];
                }
            }
            if (m.cursor < m.fragmentCount) {
                break; // later messages have nothing in flight
            }
        }
        nextDeadline = min;
    }

    long nextDeadlineNs() {
        return nextDeadline;
    }

    /** The peer came back with a new boot: it lost partial messages, so resend every outstanding message whole. */
    void peerRestarted(long nowNs) {
        for (OutgoingMessage m : queue) {
            m.restart();
        }
        inFlight = 0;
        pump(nowNs);
    }

    int queuedMessages() {
        return queue.size();
    }
}
