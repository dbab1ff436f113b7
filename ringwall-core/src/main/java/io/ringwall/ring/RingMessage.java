package io.ringwall.ring;

import java.util.List;

/** The decoded forms of the ring's wire messages; {@link RingCodec} is the only way in or out. */
public sealed interface RingMessage {
    /** Node-map position of the sender, as written in the header. */
    int sender();

    /** The locomotive and its train. Members is a bitmask over node-map positions. */
    record Token(int sender, long epoch, long sequence, int members, int destination, List<Carriage> train)
            implements RingMessage {
        public Token {
            train = List.copyOf(train);
        }
    }

    /** Receiver's answer to a token: ACCEPTED, or SUPERSEDED when it has seen a newer token and drops this one. */
    record Ack(int sender, long epoch, long sequence, boolean accepted) implements RingMessage { }

    /** Token-loss alarm and join request: the originator's last token copy (epoch, sequence). */
    record NineOneOne(int sender, int round, long epoch, long sequence, boolean permission, boolean inRing)
            implements RingMessage { }

    /**
     * A node's verdict on a 911: permission false when it has a newer token or belongs to a live ring. {@code stuckAt}
     * (-1: none) names the member that accepted the responder's last pass of the token and never passed it on — the
     * responder grants though its own loss timer still runs ({@link TokenRing}'s stuck-holder rule), and the
     * originator need not wait for that member's answer.
     */
    record NineOneOneReply(int sender, int round, long epoch, long sequence, boolean permission, boolean live,
                           int stuckAt) implements RingMessage {
        public NineOneOneReply {
            if (stuckAt < -1 || stuckAt >= RingConfig.MAX_NODES) {
                throw new IllegalArgumentException("stuckAt must be -1.." + (RingConfig.MAX_NODES - 1) + ": " + stuckAt);
            }
        }

        /** A plain verdict, naming no stuck holder. */
        public NineOneOneReply(int sender, int round, long epoch, long sequence, boolean permission, boolean live) {
            this(sender, round, epoch, sequence, permission, live, -1);
        }
    }

    /** Merge offer from a holder to a node outside its ring. */
    record Probe(int sender, long epoch, long sequence, int members) implements RingMessage { }

    /** "Add me at your next visit", sent in answer to a probe; epoch is the joiner's last ring. */
    record Join(int sender, long epoch, long sequence) implements RingMessage { }
}
