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

    /** A node's verdict on a 911: permission false when it has a newer token or belongs to a live ring. */
    record NineOneOneReply(int sender, int round, long epoch, long sequence, boolean permission, boolean live)
            implements RingMessage { }

    /** Merge offer from a holder to a node outside its ring. */
    record Probe(int sender, long epoch, long sequence, int members) implements RingMessage { }

    /** "Add me at your next visit", sent in answer to a probe; epoch is the joiner's last ring. */
    record Join(int sender, long epoch, long sequence) implements RingMessage { }
}
