package io.ringwall.messaging;

/** Reassembly buffer for one partially received message. */
final class IncomingMessage {
    final long id;
    final int channel;
    final boolean ordered;
    final long orderSeq;
    final int fragmentCount;
    final byte[] bytes;
    private final long[] received;
    private int receivedCount;
    private long receivedBytes;

    IncomingMessage(long id, int channel, boolean ordered, long orderSeq, int length, int fragmentCount) {
        this.id = id;
        this.channel = channel;
        this.ordered = ordered;
        this.orderSeq = orderSeq;
        this.fragmentCount = fragmentCount;
        this.bytes = new byte[length];
        this.received = new long[(fragmentCount + 63) / 64];
    }

    /** Same message as an earlier fragment announced? Otherwise the fragment is malformed. */
    boolean matches(int channel, boolean ordered, long orderSeq, int length, int fragmentCount) {
        return this.channel == channel && this.ordered == ordered && this.orderSeq == orderSeq
                && bytes.length == length && this.fragmentCount == fragmentCount;
    }

    boolean has(int index) {
        return (received[index >>> 6] & (1L << index)) != 0;
    }

    void put(int index, byte[] src, int srcOffset, int offset, int length) {
        System.arraycopy(src, srcOffset, bytes, offset, length);
        received[index >>> 6] |= 1L << index;
        receivedCount++;
        receivedBytes += length;
    }

    boolean complete() {
        return receivedCount == fragmentCount && receivedBytes == bytes.length;
    }

    /** Would adding this fragment complete the message? (Decided before storing so a full hold can refuse it.) */
    boolean completesWith(int length) {
        return receivedCount + 1 == fragmentCount && receivedBytes + length == bytes.length;
    }
}
