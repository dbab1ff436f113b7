package io.ringwall.messaging;

/**
 * Negative results of {@link MessageLayer#send}; a non-negative result is the message id.
 * Longs rather than an object so the send path allocates nothing besides its own record.
 */
public final class SendResult {
    public static final long QUEUE_FULL = -1;
    public static final long UNKNOWN_PEER = -2;
    public static final long TOO_LARGE = -3;
    public static final long BAD_CHANNEL = -4;
    /** sendDatagram only: path index out of range. */
    public static final long BAD_PATH = -5;
    /** sendDatagram only: the datagram was sealed and handed to the transport. */
    public static final long SENT = 0;

    private SendResult() {}

    public static String describe(long result) {
        if (result == QUEUE_FULL) return "queue full";
        if (result == UNKNOWN_PEER) return "unknown peer";
        if (result == TOO_LARGE) return "too large";
        if (result == BAD_CHANNEL) return "bad channel";
        if (result == BAD_PATH) return "bad path";
        if (result == SENT) return "sent";
        return result > 0 ? "queued as message " + result : "unknown result " + result;
    }
}
