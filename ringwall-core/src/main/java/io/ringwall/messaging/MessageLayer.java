package io.ringwall.messaging;

import io.ringwall.time.Prng;
import io.ringwall.wire.ByteArrays;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster's reliable message layer as a sans-I/O state machine (SPEC §6, docs/cluster-messaging.md).
 * One thread drives it: {@link #send}, {@link #sendDatagram}, {@link #onPacket}, {@link #onTick};
 * it emits sealed packets through {@link Transport} and results through {@link MessageListener}.
 * Bad input is counted in {@link #counters()} and dropped; {@code onPacket} never throws.
 */
public final class MessageLayer {
    public static final int ALL_PATHS = Outbox.ALL_PATHS;

    private final MessagingConfig config;
    private final MessageListener listener;
    private final MessagingCounters counters = new MessagingCounters();
    private final PacketSealer sealer;
    private final Outbox outbox;
    private final PeerSender[] senders = new PeerSender[MessagingConfig.MAX_NODES];
    private final PeerReceiver[] receivers = new PeerReceiver[MessagingConfig.MAX_NODES];
    private final byte[] plain;
    private long candidateBoot;
    private int candidatePeer = -1;
    private SecretKeySpec candidateKey;

    public MessageLayer(MessagingConfig config, Transport transport, MessageListener listener, Prng prng) {
        this.config = config;
        this.listener = listener;
        this.sealer = new PacketSealer(config.clusterSecret());
        this.outbox = new Outbox(config, sealer, transport, counters, prng);
        this.plain = new byte[config.maxPacketBytes()];
        for (int n = 0; n < MessagingConfig.MAX_NODES; n++) {
            if (config.paths(n) > 0) {
                senders[n] = new PeerSender(n, config, outbox, counters, listener);
                receivers[n] = new PeerReceiver(n, config, counters, listener);
            }
        }
    }

    /**
     * Queues {@code message} (not copied: do not modify it afterwards) for reliable delivery.
     * Returns the message id (> 0) or a negative {@link SendResult} code.
     */
    public long send(long nowNs, int peer, int channel, boolean ordered, byte[] message) {
        if (peer < 0 || peer >= MessagingConfig.MAX_NODES || senders[peer] == null) return SendResult.UNKNOWN_PEER;
        if (channel < 0 || channel >= MessagingConfig.MAX_CHANNELS) return SendResult.BAD_CHANNEL;
        if (message.length > MessagingConfig.MAX_MESSAGE_BYTES) return SendResult.TOO_LARGE;
        return senders[peer].enqueue(nowNs, channel, ordered, message);
    }

    /**
     * One sealed, unacknowledged packet on {@code path} or {@link #ALL_PATHS}, tagged with the upper layer's
     * {@code kind} (0..255, handed to {@link MessageListener#onDatagram} as is). Returns {@link SendResult#SENT} or a
     * negative code.
     */
    public long sendDatagram(int peer, int path, int kind, byte[] data, int offset, int length) {
        if (peer < 0 || peer >= MessagingConfig.MAX_NODES || senders[peer] == null) return SendResult.UNKNOWN_PEER;
        if (path != ALL_PATHS && (path < 0 || path >= config.paths(peer))) return SendResult.BAD_PATH;
        if (length > maxDatagramBytes()) return SendResult.TOO_LARGE;
        byte[] b = outbox.body;
        b[0] = PacketBody.KIND_DATAGRAM;
        b[PacketBody.OFF_DATAGRAM_KIND] = (byte) kind;
        b[2] = b[3] = 0;
        System.arraycopy(data, offset, b, PacketBody.DATAGRAM_HEADER, length);
        outbox.send(peer, path, PacketBody.DATAGRAM_HEADER + length);
        return SendResult.SENT;
    }

    /**
     * The path {@code peer}'s last authenticated packet came by (0 before any): while a delivered message is being
     * handled, the path of that message, whose reverse direction is known to work.
     */
    public int lastHeardPath(int peer) {
        return peer >= 0 && peer < MessagingConfig.MAX_NODES && senders[peer] != null ? senders[peer].preferredPath : 0;
    }

    /** Largest message that travels in a single DATA packet (no fragmentation, one ack). */
    public int maxUnfragmentedMessageBytes() {
        return config.chunkBytes();
    }

    /** Messages {@link #send} still accepts for {@code peer} before it answers {@link SendResult#QUEUE_FULL}. */
    public int queueRoom(int peer) {
        return Math.max(0, config.maxQueuedMessagesPerPeer() - pendingMessages(peer));
    }

    public int maxDatagramBytes() {
        return config.maxPacketBytes() - PacketHeader.OVERHEAD - PacketBody.DATAGRAM_HEADER;
    }

    /** One received UDP payload from any path. Never throws on bad input. */
    public void onPacket(long nowNs, int fromPath, byte[] packet, int length) {
        counters.packetsReceived++;
        DropReason r = receive(nowNs, fromPath, packet, length);
        if (r != null) counters.drop(r);
    }

    private DropReason receive(long nowNs, int fromPath, byte[] packet, int length) {
        if (packet == null || length < PacketHeader.OVERHEAD || length > packet.length) return DropReason.TRUNCATED;
        if (length > config.maxPacketBytes()) return DropReason.OVERSIZE;
        if (PacketHeader.version(packet) != PacketHeader.VERSION) return DropReason.BAD_VERSION;
        if (PacketHeader.reserved(packet) != 0) return DropReason.MALFORMED;
        int sender = PacketHeader.sender(packet);
        if (sender >= MessagingConfig.MAX_NODES || receivers[sender] == null) return DropReason.UNKNOWN_SENDER;
        if (PacketHeader.receiver(packet) != config.selfId()) return DropReason.WRONG_RECEIVER;
        PeerReceiver rx = receivers[sender];
        long boot = PacketHeader.bootId(packet);
        long seq = PacketHeader.sequence(packet);
        boolean newBoot = !rx.hasBoot || Long.compareUnsigned(boot, rx.bootId) > 0;
        if (!newBoot && boot != rx.bootId) return DropReason.STALE_BOOT;
        if (!newBoot && rx.packets.seen(seq)) return DropReason.REPLAYED;
        if (seq == 0) return DropReason.MALFORMED;
        SecretKeySpec key = newBoot ? candidateKey(sender, boot) : rx.key;
        int bodyLength = sealer.open(sender, key, packet, length, plain);
        if (bodyLength < 0) return DropReason.BAD_TAG;
        if (newBoot) {
            boolean restart = rx.hasBoot;
            rx.installBoot(boot, key);
            if (restart) senders[sender].peerRestarted(nowNs);
        }
        rx.packets.mark(seq);
        int path = fromPath >= 0 && fromPath < config.paths(sender) ? fromPath : 0;
        senders[sender].preferredPath = path;
        if (bodyLength < 1) return DropReason.MALFORMED;
        return switch (plain[0]) {
            case PacketBody.KIND_DATA -> {
                DropReason r = rx.onData(nowNs, path, plain, bodyLength);
                if (rx.ackFull() || nowNs >= rx.ackDeadline) flushAcks(sender, rx);
                yield r;
            }
            case PacketBody.KIND_ACK -> onAck(nowNs, sender, bodyLength);
            case PacketBody.KIND_DATAGRAM -> {
                if (bodyLength < PacketBody.DATAGRAM_HEADER || plain[2] != 0 || plain[3] != 0) yield DropReason.MALFORMED;
                counters.datagramsDelivered++;
                listener.onDatagram(sender, path, plain[PacketBody.OFF_DATAGRAM_KIND] & 0xFF, plain,
                        PacketBody.DATAGRAM_HEADER, bodyLength - PacketBody.DATAGRAM_HEADER);
                yield null;
            }
            default -> DropReason.MALFORMED;
        };
    }

    /** Keys for a not-yet-accepted boot are derived once and cached, so a burst from a restarted peer costs one HKDF. */
    private SecretKeySpec candidateKey(int sender, long boot) {
        if (candidatePeer != sender || candidateBoot != boot) {
            candidateKey = sealer.trafficKey(sender, boot);
            candidatePeer = sender;
            candidateBoot = boot;
        }
        return candidateKey;
    }

    private DropReason onAck(long nowNs, int sender, int length) {
        int n = plain[1] & 0xFF;
        if (n < 1 || n > PacketBody.MAX_ACK_ENTRIES || length != PacketBody.ACK_HEADER + n * PacketBody.ACK_ENTRY) {
            return DropReason.MALFORMED;
        }
        PeerSender tx = senders[sender];
        for (int i = 0; i < n; i++) {
            int off = PacketBody.ACK_HEADER + i * PacketBody.ACK_ENTRY;
            tx.onAck(nowNs, ByteArrays.getLong(plain, off), ByteArrays.getInt(plain, off + 8));
        }
        tx.afterAcks(nowNs);
        return null;
    }

    private void flushAcks(int peer, PeerReceiver rx) {
        if (rx.ackCount == 0) return;
        byte[] b = outbox.body;
        int n = Math.min(rx.ackCount, (b.length - PacketBody.ACK_HEADER) / PacketBody.ACK_ENTRY);
        b[0] = PacketBody.KIND_ACK;
        b[1] = (byte) n;
        b[2] = b[3] = 0;
        for (int i = 0; i < n; i++) {
            int off = PacketBody.ACK_HEADER + i * PacketBody.ACK_ENTRY;
            ByteArrays.putLong(b, off, rx.ackIds[i]);
            ByteArrays.putInt(b, off + 8, rx.ackFragments[i]);
        }
        outbox.send(peer, rx.ackPath, PacketBody.ACK_HEADER + n * PacketBody.ACK_ENTRY);
        int rest = rx.ackCount - n;
        System.arraycopy(rx.ackIds, n, rx.ackIds, 0, rest);
        System.arraycopy(rx.ackFragments, n, rx.ackFragments, 0, rest);
        rx.ackCount = rest;
        if (rest == 0) rx.ackDeadline = Long.MAX_VALUE;
    }

    /** Retransmits due fragments, fails messages out of tries, flushes delayed acks, skips stale ordered gaps. */
    public void onTick(long nowNs) {
        for (int n = 0; n < MessagingConfig.MAX_NODES; n++) {
            if (senders[n] == null) continue;
            PeerReceiver rx = receivers[n];
            if (nowNs >= rx.ackDeadline) flushAcks(n, rx);
            rx.onTick(nowNs);
            List<OutgoingMessage> failed = senders[n].onTick(nowNs);
            for (OutgoingMessage m : failed) {
                listener.onFailure(n, m.id, m.bytes);
            }
        }
    }

    /** Earliest time {@link #onTick} has work, or Long.MAX_VALUE. */
    public long nextDeadlineNs() {
        long min = Long.MAX_VALUE;
        for (int n = 0; n < MessagingConfig.MAX_NODES; n++) {
            if (senders[n] == null) continue;
            min = Math.min(min, Math.min(senders[n].nextDeadlineNs(), receivers[n].nextDeadlineNs()));
        }
        return min;
    }

    /** The largest current retransmission timeout towards any peer (it follows each peer's measured round trip). */
    public long maxRtoNs() {
        long max = 0;
        for (PeerSender s : senders) {
            if (s != null) max = Math.max(max, s.rtoNs());
        }
        return max;
    }

    public MessagingCounters counters() {
        return counters;
    }

    public long bootId() {
        return outbox.bootId;
    }

    /** Messages queued or in flight towards {@code peer}. */
    public int pendingMessages(int peer) {
        return peer >= 0 && peer < MessagingConfig.MAX_NODES && senders[peer] != null ? senders[peer].queuedMessages() : 0;
    }
}
