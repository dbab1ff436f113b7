package io.ringwall.messaging;

/**
 * Sender record for one message: per-fragment tries, deadlines and ack bits. Fragments in
 * [lowUnacked, cursor) have been sent; below lowUnacked all are acked; from cursor on unsent.
 */
final class OutgoingMessage {
    final long id;
    final int channel;
    final boolean ordered;
    final long orderSeq;
    final byte[] bytes;
    final int fragmentCount;
    final int chunk;
    final byte[] tries;
    final long[] deadline;
    /** When each fragment was last transmitted: an ack of a fragment sent once times the round trip. */
    final long[] sentNs;
    /** The sender's transmission counter at each fragment's last transmission, to tell which left first. */
    final long[] sentOrder;
    private final long[] acked;
    int ackedCount;
    int lowUnacked;
    int cursor;

    OutgoingMessage(long id, int channel, boolean ordered, long orderSeq, byte[] bytes, int chunk) {
        this.id = id;
        this.channel = channel;
        this.ordered = ordered;
        this.orderSeq = orderSeq;
        this.bytes = bytes;
        this.chunk = chunk;
        this.fragmentCount = Math.max(1, (bytes.length + chunk - 1) / chunk);
        this.tries = new byte[fragmentCount];
        this.deadline = new long[fragmentCount];
        this.sentNs = new long[fragmentCount];
        this.sentOrder = new long[fragmentCount];
        this.acked = new long[(fragmentCount + 63) / 64];
    }

    boolean isAcked(int i) {
        return (acked[i >>> 6] & (1L << i)) != 0;
    }

    /** Marks fragment {@code i}; returns false if it was already acked or never sent. */
    boolean ack(int i) {
        if (i < 0 || i >= cursor || isAcked(i)) {
            return false;
        }
        acked[i >>> 6] |= 1L << i;
        ackedCount++;
        while (lowUnacked < cursor && isAcked(lowUnacked)) {
            lowUnacked++;
        }
        return true;
    }

    boolean complete() {
        return ackedCount == fragmentCount;
    }

    int offset(int i) {
        return i * chunk;
    }

    int length(int i) {
        return Math.min(chunk, bytes.length - i * chunk);
    }

    /** The peer restarted and lost what it had: send everything again from scratch. */
    void restart() {
        java.util.Arrays.fill(acked, 0);
        java.util.Arrays.fill(tries, (byte) 0);
        ackedCount = 0;
        lowUnacked = 0;
        cursor = 0;
    }
}
