package io.ringwall.messaging;

/**
 * Configuration of one node's message layer. {@code pathsPerPeer[node]} is the number of
 * configured networks to that node (0 = not a peer). {@code bootEpoch} goes into the high 32
 * bits of the boot id (the driver passes e.g. a persisted restart counter or start seconds) so
 * receivers can tell a newer boot from a replayed older one; the low 32 bits are random.
 */
public record MessagingConfig(
        int selfId,
        byte[] clusterSecret,
        int[] pathsPerPeer,
        long bootEpoch,
        int maxPacketBytes,
        long initialRtoNs,
        long maxRtoNs,
        int maxTries,
        int sendWindowPackets,
        int maxQueuedMessagesPerPeer,
        long maxQueuedBytesPerPeer,
        int maxPartialMessagesPerPeer,
        long maxReassemblyBytesPerPeer,
        int maxHeldOrderedPerChannel,
        long ackDelayNs,
        long orderGapTimeoutNs) {

    public static final int MAX_NODES = 16;
    public static final int MAX_PATHS = 8;
    public static final int MAX_CHANNELS = 16;
    public static final int MAX_MESSAGE_BYTES = 16 << 20;
    /** Below this a packet cannot carry a DATA header plus one byte. */
    public static final int MIN_PACKET_BYTES = PacketHeader.OVERHEAD + PacketBody.DATA_HEADER + 64;
    /** UDP payload limit over IPv4. */
    public static final int MAX_PACKET_BYTES = 65_507;
    /** Message ids are suppressed with a {@link ReplayWindow}; the queue must fit in it with room to spare. */
    public static final int MAX_QUEUED_MESSAGES = ReplayWindow.WIDTH / 2;

    public MessagingConfig {
        if (selfId < 0 || selfId >= MAX_NODES) throw new IllegalArgumentException("selfId " + selfId);
        if (clusterSecret == null || clusterSecret.length < 16) throw new IllegalArgumentException("cluster secret must be >= 16 bytes");
        if (pathsPerPeer == null || pathsPerPeer.length > MAX_NODES) throw new IllegalArgumentException("pathsPerPeer");
        for (int p : pathsPerPeer) if (p < 0 || p > MAX_PATHS) throw new IllegalArgumentException("paths " + p);
        if (maxPacketBytes < MIN_PACKET_BYTES || maxPacketBytes > MAX_PACKET_BYTES) throw new IllegalArgumentException("maxPacketBytes " + maxPacketBytes);
        if (initialRtoNs <= 0 || maxRtoNs < initialRtoNs) throw new IllegalArgumentException("rto");
        if (maxTries < 1 || maxTries > 64) throw new IllegalArgumentException("maxTries " + maxTries);
        if (sendWindowPackets < 1) throw new IllegalArgumentException("sendWindowPackets");
        if (maxQueuedMessagesPerPeer < 1 || maxQueuedMessagesPerPeer > MAX_QUEUED_MESSAGES) throw new IllegalArgumentException("maxQueuedMessagesPerPeer");
        if (maxPartialMessagesPerPeer < 1 || maxHeldOrderedPerChannel < 1) throw new IllegalArgumentException("reassembly bounds");
        if (ackDelayNs < 0 || orderGapTimeoutNs <= 0) throw new IllegalArgumentException("timers");
        clusterSecret = clusterSecret.clone();
        pathsPerPeer = pathsPerPeer.clone();
    }

    /** Defaults: 1200-byte packets (fit any IPv4/IPv6 MTU), RTO 5 ms doubling to 200 ms, 8 tries. */
    public static MessagingConfig defaults(int selfId, byte[] clusterSecret, int[] pathsPerPeer) {
        return new MessagingConfig(selfId, clusterSecret, pathsPerPeer, 0, 1200,
                5_000_000L, 200_000_000L, 8, 256, 64, 64L << 20, 8, 64L << 20, 64, 0,
                2_000_000_000L);
    }

    public MessagingConfig withBootEpoch(long epoch) {
        return new MessagingConfig(selfId, clusterSecret, pathsPerPeer, epoch, maxPacketBytes, initialRtoNs, maxRtoNs,
                maxTries, sendWindowPackets, maxQueuedMessagesPerPeer, maxQueuedBytesPerPeer, maxPartialMessagesPerPeer,
                maxReassemblyBytesPerPeer, maxHeldOrderedPerChannel, ackDelayNs, orderGapTimeoutNs);
    }

    public MessagingConfig withRetransmission(long initialRto, long maxRto, int tries) {
        return new MessagingConfig(selfId, clusterSecret, pathsPerPeer, bootEpoch, maxPacketBytes, initialRto, maxRto,
                tries, sendWindowPackets, maxQueuedMessagesPerPeer, maxQueuedBytesPerPeer, maxPartialMessagesPerPeer,
                maxReassemblyBytesPerPeer, maxHeldOrderedPerChannel, ackDelayNs, orderGapTimeoutNs);
    }

    int paths(int peer) {
        return peer >= 0 && peer < pathsPerPeer.length && peer != selfId ? pathsPerPeer[peer] : 0;
    }

    /** Largest message chunk one DATA packet carries. */
    int chunkBytes() {
        return maxPacketBytes - PacketHeader.OVERHEAD - PacketBody.DATA_HEADER;
    }
}
