package io.ringwall.messaging;

import io.ringwall.time.Prng;
import javax.crypto.spec.SecretKeySpec;

/** Seals bodies with this boot's key and sequence and hands them to the transport. */
final class Outbox {
    /** Path argument meaning "every configured path of the peer". */
    static final int ALL_PATHS = -1;

    private final MessagingConfig config;
    private final PacketSealer sealer;
    private final Transport transport;
    private final MessagingCounters counters;
    private final SecretKeySpec key;
    final long bootId;
    private long nextSeq = 1;
    private final byte[] packet;
    final byte[] body;

    Outbox(MessagingConfig config, PacketSealer sealer, Transport transport, MessagingCounters counters, Prng prng) {
        this.config = config;
        this.sealer = sealer;
        this.transport = transport;
        this.counters = counters;
        this.bootId = (config.bootEpoch() << 32) | (prng.nextLong() & 0xFFFF_FFFFL);
        this.key = sealer.trafficKey(config.selfId(), bootId);
        this.packet = new byte[config.maxPacketBytes()];
        this.body = new byte[config.maxPacketBytes() - PacketHeader.OVERHEAD];
    }

    /** Seals {@code body[0, length)} once and sends it on {@code path} or, for ALL_PATHS, on every path (same sequence: copies are replays). */
    void send(int peer, int path, int length) {
        int n = sealer.seal(key, config.selfId(), peer, bootId, nextSeq++, body, length, packet);
        if (path == ALL_PATHS) {
            int paths = config.paths(peer);
            for (int p = 0; p < paths; p++) {
                transport.sendPacket(peer, p, packet, n);
                counters.packetsSent++;
            }
        } else {
            transport.sendPacket(peer, path, packet, n);
            counters.packetsSent++;
        }
    }
}
