package io.ringwall.ring;

/**
 * One outstanding 911 of this node: who was asked, who answered, whether anyone refused.
 * The 911 "goes around" as a fan-out to every other node of the node map; each answer carries that
 * node's permission verdict, and the originator ANDs them, which is what the patent's circulating flag computes.
 */
final class NineOneOneRound {
    boolean active;
    boolean resent;
    int id;
    long startedNs;
    int asked;
    int answered;
    /** Answerers that granted permission and are in no live ring: they join the regenerated ring. */
    int granted;
    /** The ring epoch each granting node was in when it answered. */
    private final long[] grantedEpoch = new long[RingConfig.MAX_NODES];
    boolean denied;
    /**
     * The member this node passed the token to and that never passed it on, when the round was started by the
     * stuck-holder rule (as a mask; 0: an ordinary round): the round need not wait for its answer (a live holder
     * would refuse; a dead one never answers).
     */
    int stuck;
    long maxEpoch;
    long maxSequence;

    void begin(int roundId, long nowNs, int askedMask, int stuckMask) {
        active = true;
        resent = false;
        id = roundId;
        startedNs = nowNs;
        asked = askedMask;
        answered = 0;
        granted = 0;
        denied = false;
        stuck = stuckMask;
        maxEpoch = 0;
        maxSequence = 0;
    }

    void record(int node, RingMessage.NineOneOneReply reply) {
        int bit = 1 << node;
        if ((asked & bit) == 0 || (answered & bit) != 0) {
            return;
        }
        answered |= bit;
        maxEpoch = Math.max(maxEpoch, reply.epoch());
        maxSequence = Math.max(maxSequence, reply.sequence());
        if (reply.permission() && !reply.live()) {
            granted |= bit;
            grantedEpoch[node] = reply.epoch();
        } else {
            denied = true;
        }
    }

    /** The granting nodes whose epoch is {@code epoch}. */
    int grantedIn(long epoch) {
        int in = 0;
        for (int g = granted; g != 0; g &= g - 1) {
            int node = Integer.numberOfTrailingZeros(g);
            if (grantedEpoch[node] == epoch) {
                in |= 1 << node;
            }
        }
        return in;
    }

    boolean complete() {
        return denied || (asked & ~answered & ~stuck) == 0;
    }

    /**
     * Whether a round started by the stuck-holder rule may regenerate: it starts before this node's own loss timer
     * ran out, on the strength of exactly one member having swallowed the token, so only if every other node
     * answered. Otherwise (two failures, or answers lost) it is dropped and the ordinary timers decide, as before
     * the rule existed.
     */
    boolean stuckRoundHolds() {
        return stuck == 0 || (unanswered() & ~stuck) == 0;
    }

    /**
     * The round's next deadline: the resend to the silent nodes, then its end — {@code graceNs} (a hop) after it
     * began if a quorum ({@code required} members, this node included) has granted by then, else {@code ackNs}. The
     * originator waits for the silent nodes only to include them: a member that misses the round rejoins by its own
     * 911. A crashed token holder (the usual reason for a round) never answers, and waiting the ack timeout for it
     * was most of the failover of a holder crash.
     */
    long deadlineNs(long graceNs, long ackNs, int required) {
        if (!resent) {
            return resendAtNs(graceNs);
        }
        return startedNs + (quorumGranted(required) ? graceNs : ackNs);
    }

    /** The resend of the 911 to the nodes that have not answered: half of the shortest end of the round. */
    long resendAtNs(long graceNs) {
        return startedNs + graceNs / 2;
    }

    /** Whether this node and the nodes that granted its 911 so far would make a quorate ring. */
    private boolean quorumGranted(int required) {
        return granted != 0 && 1 + Integer.bitCount(granted) >= required;
    }

    int unanswered() {
        return asked & ~answered;
    }

    void cancel() {
        active = false;
    }
}
