package io.ringwall.ring;

/**
 * Why this node last removed a member from its ring: the token it passed was not acknowledged in time. What an
 * operator needs to tell a dead successor from a slow one, or from this node's own loop running late (then an ack
 * may have been waiting unread).
 *
 * @param node          the member removed
 * @param epoch         the ring epoch of the token
 * @param sequence      the token's sequence number
 * @param waitedNs      from the token's first transmission to the removal
 * @param ackTimeoutNs  the ack timeout of that hop (longer than configured next to a join: {@link JoinGrace})
 * @param transmissions how often the token went out (the first send and its retransmissions)
 * @param latenessNs    how much later than the ack timeout this node came to remove it (its loop was busy or not run)
 * @param atNs          when (the ring's clock)
 */
public record RemovalNote(int node, long epoch, long sequence, long waitedNs, long ackTimeoutNs, int transmissions,
                          long latenessNs, long atNs) {
    /** One line for the log, with the member's name. */
    public String describe(String name) {
        return "node=" + name + " reason=no ack for token " + epoch + "/" + sequence + " within "
                + millis(ackTimeoutNs) + " ms (sent " + transmissions + " times, removed after " + millis(waitedNs)
                + " ms" + (latenessNs >= 1_000_000L ? ", this node's timer ran " + millis(latenessNs) + " ms late" : "")
                + ")";
    }

    /** Nanoseconds as milliseconds with one decimal (also the regeneration line's). */
    static String millis(long ns) {
        return String.format(java.util.Locale.ROOT, "%.1f", ns / 1e6);
    }
}
