package io.ringwall.messaging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Send side towards one peer: a bounded queue of messages, a window of unacknowledged
 * fragments, and retransmission with a per-fragment doubling timeout. The first copy of a
 * fragment goes on the peer's preferred path; every retransmission goes on every path.
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
    int preferredPath;

    PeerSender(int peer, MessagingConfig config, Outbox outbox, MessagingCounters counters, MessageListener listener) {
        this.peer = peer;
        this.listener = listener;
        this.config = config;
        this.outbox = outbox;
        this.counters = counters;
        java.util.Arrays.fill(nextOrderSeq, 1);
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

    /** After a batch of acks: fill the window again and recompute the deadline. */
    void afterAcks(long nowNs) {
        pump(nowNs);
    }

    /** Retransmits what is due; returns messages that ran out of tries (removed from the queue). */
    List<OutgoingMessage> onTick(long nowNs) {
        List<OutgoingMessage> failed = null;
        if (nowNs >= nextDeadline) {
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

    /** Returns false if some due fragment has used up its tries. */
    private boolean retransmitDue(long nowNs, OutgoingMessage m) {
        for (int i = m.lowUnacked; i < m.cursor; i++) {
            if (m.isAcked(i) || m.deadline[i] > nowNs) {
                continue;
            }
            if (m.tries[i] >= config.maxTries()) {
                return false;
            }
            transmit(nowNs, m, i, Outbox.ALL_PATHS);
            counters.retransmissions++;
        }
        return true;
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
        PacketHeader.putLong(b, PacketBody.OFF_MSG_ID, m.id);
        PacketHeader.putInt(b, PacketBody.OFF_MSG_LEN, m.bytes.length);
        PacketHeader.putInt(b, PacketBody.OFF_FRAG_INDEX, i);
        PacketHeader.putInt(b, PacketBody.OFF_FRAG_COUNT, m.fragmentCount);
        PacketHeader.putInt(b, PacketBody.OFF_FRAG_OFFSET, m.offset(i));
        PacketHeader.putLong(b, PacketBody.OFF_ORDER_SEQ, m.orderSeq);
        PacketHeader.putLong(b, PacketBody.OFF_ORDER_FLOOR, m.ordered ? orderFloor(m.channel) : 0);
        int len = m.length(i);
        System.arraycopy(m.bytes, m.offset(i), b, PacketBody.DATA_HEADER, len);
        outbox.send(peer, path, PacketBody.DATA_HEADER + len);
        int tries = ++m.tries[i];
        long rto = Math.min(config.maxRtoNs(), config.initialRtoNs() << Math.min(tries - 1, 40));
        m.deadline[i] = nowNs + rto;
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
