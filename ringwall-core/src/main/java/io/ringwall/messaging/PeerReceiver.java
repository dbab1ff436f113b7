package io.ringwall.messaging;

import io.ringwall.wire.ByteArrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * Receive side for one peer: its accepted boot and replay window, partial messages,
 * duplicate suppression by message id, ordered channels, and pending acks.
 */
final class PeerReceiver {
    private final int peer;
    private final MessagingConfig config;
    private final MessagingCounters counters;
    private final MessageListener listener;

    boolean hasBoot;
    long bootId;
    SecretKeySpec key;
    final ReplayWindow packets = new ReplayWindow();
    private final ReplayWindow completed = new ReplayWindow();
    private final IncomingMessage[] partials;
    private long partialBytes;
    private final OrderedChannel[] channels = new OrderedChannel[MessagingConfig.MAX_CHANNELS];
    private int deliverChannel;
    private final java.util.function.Consumer<byte[]> orderedSink = this::deliverOrdered;

    final long[] ackIds = new long[PacketBody.MAX_ACK_ENTRIES];
    final int[] ackFragments = new int[PacketBody.MAX_ACK_ENTRIES];
    int ackCount;
    int ackPath;
    long ackDeadline = Long.MAX_VALUE;

    PeerReceiver(int peer, MessagingConfig config, MessagingCounters counters, MessageListener listener) {
        this.peer = peer;
        this.config = config;
        this.counters = counters;
        this.listener = listener;
        this.partials = new IncomingMessage[config.maxPartialMessagesPerPeer()];
    }

    /** A newer boot authenticated: everything we knew about the old incarnation is void. */
    void installBoot(long boot, SecretKeySpec bootKey) {
        hasBoot = true;
        bootId = boot;
        key = bootKey;
        packets.reset();
        completed.reset();
        java.util.Arrays.fill(partials, null);
        partialBytes = 0;
        java.util.Arrays.fill(channels, null);
        ackCount = 0;
        ackDeadline = Long.MAX_VALUE;
    }

    /** Handles a DATA body; returns a drop reason or null. Queues an ack when the fragment is stored or a duplicate. */
    DropReason onData(long nowNs, int path, byte[] b, int length) {
        if (length < PacketBody.DATA_HEADER) return DropReason.MALFORMED;
        int channel = b[PacketBody.OFF_CHANNEL] & 0xFF;
        int flags = b[PacketBody.OFF_FLAGS] & 0xFF;
        long id = ByteArrays.getLong(b, PacketBody.OFF_MSG_ID);
        int msgLen = ByteArrays.getInt(b, PacketBody.OFF_MSG_LEN);
        int index = ByteArrays.getInt(b, PacketBody.OFF_FRAG_INDEX);
        int count = ByteArrays.getInt(b, PacketBody.OFF_FRAG_COUNT);
        int offset = ByteArrays.getInt(b, PacketBody.OFF_FRAG_OFFSET);
        long orderSeq = ByteArrays.getLong(b, PacketBody.OFF_ORDER_SEQ);
        long floor = ByteArrays.getLong(b, PacketBody.OFF_ORDER_FLOOR);
        int fragLen = length - PacketBody.DATA_HEADER;
        boolean ordered = flags == PacketBody.FLAG_ORDERED;
        if (channel >= MessagingConfig.MAX_CHANNELS || (flags & ~PacketBody.FLAG_ORDERED) != 0 || b[3] != 0
                || id == 0 || msgLen < 0 || msgLen > MessagingConfig.MAX_MESSAGE_BYTES
                || count < 1 || count > PacketBody.MAX_FRAGMENTS || index < 0 || index >= count
                || offset < 0 || (long) offset + fragLen > msgLen || (fragLen == 0) != (msgLen == 0)
                || (ordered && (orderSeq == 0 || floor == 0 || Long.compareUnsigned(floor, orderSeq) > 0))
                || (!ordered && (orderSeq != 0 || floor != 0))) {
            return DropReason.MALFORMED;
        }
        if (ordered) {
            channel(channel).floor(nowNs, floor, orderedSink);
        }
        if (completed.seen(id)) {
            counters.duplicateFragments++;
            queueAck(nowNs, path, id, index);
            return null;
        }
        int slot = find(id);
        IncomingMessage m;
        if (slot >= 0) {
            m = partials[slot];
            if (!m.matches(channel, ordered, orderSeq, msgLen, count)) return DropReason.MALFORMED;
            if (m.has(index)) {
                counters.duplicateFragments++;
                queueAck(nowNs, path, id, index);
                return null;
            }
        } else {
            slot = freeSlot();
            if (slot < 0 || partialBytes + msgLen > config.maxReassemblyBytesPerPeer()) return DropReason.REASSEMBLY_FULL;
            m = new IncomingMessage(id, channel, ordered, orderSeq, msgLen, count);
        }
        boolean completes = m.completesWith(fragLen);
        if (completes && ordered) {
            OrderedChannel oc = channel(channel);
            if (oc.isLate(orderSeq)) {
                completed.mark(id);
                drop(slot, m);
                queueAck(nowNs, path, id, index);
                return DropReason.ORDERED_LATE;
            }
            if (!oc.canAccept(orderSeq)) return DropReason.REASSEMBLY_FULL;
        }
        if (partials[slot] == null) {
            partials[slot] = m;
            partialBytes += msgLen;
        }
        m.put(index, b, PacketBody.DATA_HEADER, offset, fragLen);
        queueAck(nowNs, path, id, index);
        if (m.complete()) {
            completed.mark(id);
            drop(slot, m);
            if (ordered) {
                channel(channel).accept(nowNs, orderSeq, m.bytes, orderedSink);
            } else {
                deliver(channel, m.bytes);
            }
        }
        return null;
    }

    private void drop(int slot, IncomingMessage m) {
        if (partials[slot] == m) {
            partials[slot] = null;
            partialBytes -= m.bytes.length;
        }
    }

    private OrderedChannel channel(int c) {
        OrderedChannel oc = channels[c];
        if (oc == null) {
            oc = channels[c] = new OrderedChannel(config.maxHeldOrderedPerChannel());
        }
        deliverChannel = c;
        return oc;
    }

    private void deliverOrdered(byte[] message) {
        deliver(deliverChannel, message);
    }

    private void deliver(int channel, byte[] message) {
        counters.messagesDelivered++;
        listener.onMessage(peer, channel, message);
    }

    private int find(long id) {
        for (int i = 0; i < partials.length; i++) {
            if (partials[i] != null && partials[i].id == id) return i;
        }
        return -1;
    }

    private int freeSlot() {
        for (int i = 0; i < partials.length; i++) {
            if (partials[i] == null) return i;
        }
        return -1;
    }

    private void queueAck(long nowNs, int path, long id, int index) {
        ackIds[ackCount] = id;
        ackFragments[ackCount] = index;
        ackCount++;
        ackPath = path;
        if (ackDeadline == Long.MAX_VALUE) {
            ackDeadline = nowNs + config.ackDelayNs();
        }
    }

    boolean ackFull() {
        return ackCount == PacketBody.MAX_ACK_ENTRIES;
    }

    void onTick(long nowNs) {
        for (int c = 0; c < channels.length; c++) {
            if (channels[c] != null) {
                deliverChannel = c;
                if (channels[c].onTick(nowNs, config.orderGapTimeoutNs(), orderedSink)) {
                    counters.orderedGapsSkipped++;
                }
            }
        }
    }

    long nextDeadlineNs() {
        long min = ackDeadline;
        for (OrderedChannel oc : channels) {
            if (oc != null) min = Math.min(min, oc.deadline(config.orderGapTimeoutNs()));
        }
        return min;
    }
}
