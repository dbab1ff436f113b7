package io.ringwall.messaging;

/** Plain counters, owned by the single thread that drives the {@link MessageLayer}; read them as a snapshot. */
public final class MessagingCounters {
    private final long[] drops = new long[DropReason.values().length];
    long packetsSent;
    long packetsReceived;
    long retransmissions;
    /** Due resends not sent because the peer had acked nothing since (only one probe per tick goes to it). */
    long retransmissionsHeld;
    long messagesSent;
    long messagesDelivered;
    long messagesFailed;
    long datagramsDelivered;
    long duplicateFragments;
    long orderedGapsSkipped;

    void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long dropped(DropReason reason) {
        return drops[reason.ordinal()];
    }

    public long droppedTotal() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    public long packetsSent() { return packetsSent; }
    public long packetsReceived() { return packetsReceived; }
    public long retransmissions() { return retransmissions; }
    public long retransmissionsHeld() { return retransmissionsHeld; }
    public long messagesSent() { return messagesSent; }
    public long messagesDelivered() { return messagesDelivered; }
    public long messagesFailed() { return messagesFailed; }
    public long datagramsDelivered() { return datagramsDelivered; }
    public long duplicateFragments() { return duplicateFragments; }
    public long orderedGapsSkipped() { return orderedGapsSkipped; }
}
