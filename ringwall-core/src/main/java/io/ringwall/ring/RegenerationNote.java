package io.ringwall.ring;

import java.util.List;

/**
 * Why this node last regenerated the token (it originated the 911 round that minted a new epoch): how long it had
 * been without a token, which nodes answered, and whether the stuck-holder rule started the round early.
 *
 * @param epoch       the regenerated epoch
 * @param members     the regenerated ring's members (bitmask over node-map positions)
 * @param silentNs    from this node's last token event (receipt, ack or regeneration) to the round's start
 * @param roundNs     from the round's start to the regeneration
 * @param stuckNode   the member that swallowed the token (stuck-holder rule), or -1 for an ordinary round (token loss)
 * @param unanswered  nodes of the node map that did not answer the round (bitmask): crashed, cut off or slow
 * @param wasInRing   whether this node was in a ring when the round ended (else it was starting, removed or alone)
 * @param atNs        when (the ring's clock)
 */
public record RegenerationNote(long epoch, int members, long silentNs, long roundNs, int stuckNode, int unanswered,
                               boolean wasInRing, long atNs) {
    /** One line for the log, with node names ({@code names} indexed by node id). */
    public String describe(List<String> names) {
        StringBuilder s = new StringBuilder("epoch=").append(epoch).append(" members=").append(named(members, names))
                .append(" reason=");
        if (stuckNode >= 0) {
            s.append(names.get(stuckNode)).append(" accepted the token and never passed it on");
        } else if (!wasInRing) {
            s.append("this node was in no ring (starting, or removed)");
        } else {
            s.append("no token for ").append(RemovalNote.millis(silentNs)).append(" ms");
        }
        s.append("; 911 round took ").append(RemovalNote.millis(roundNs)).append(" ms");
        if (unanswered != 0) {
            s.append(", no answer from ").append(named(unanswered, names));
        }
        return s.toString();
    }

    private static List<String> named(int mask, List<String> names) {
        List<String> out = new java.util.ArrayList<>();
        for (int m = mask; m != 0; m &= m - 1) {
            out.add(names.get(Integer.numberOfTrailingZeros(m)));
        }
        return out;
    }
}
