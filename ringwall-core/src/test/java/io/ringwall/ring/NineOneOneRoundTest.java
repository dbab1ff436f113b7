package io.ringwall.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The originator's bookkeeping of one 911 round, rounds of the stuck-holder rule in particular. */
class NineOneOneRoundTest {
    private static final long EPOCH = 0x40;

    private static RingMessage.NineOneOneReply grant(int from) {
        return new RingMessage.NineOneOneReply(from, 1, EPOCH, 10, true, false);
    }

    /** A round of originator 0 that asked {@code asked} ({@code stuck}: the swallowing member), granted by node 1. */
    private static NineOneOneRound grantedByNodeOne(int asked, int stuck) {
        NineOneOneRound round = new NineOneOneRound();
        round.begin(1, 0, asked, stuck);
        round.record(1, grant(1));
        return round;
    }

    @Test
    void aStuckHolderRoundEndsOnceEveryOtherNodeAnswered() {
        NineOneOneRound round = grantedByNodeOne(0b1110, 0b0100); // 0 asks 1, 2, 3; 2 swallowed the token
        assertThat(round.complete()).as("3 has not answered").isFalse();
        round.record(3, grant(3));
        assertThat(round.complete()).isTrue();
        assertThat(round.stuckRoundHolds()).isTrue();
        assertThat(round.grantedIn(EPOCH)).isEqualTo(0b1010);
    }

    @Test
    void aStuckHolderRoundDoesNotHoldWhenAnotherNodeIsSilentToo() {
        NineOneOneRound round = grantedByNodeOne(0b1110, 0b0100);
        // 3 never answers: two failures, and the round (ended by its deadline) must not regenerate
        assertThat(round.complete()).isFalse();
        assertThat(round.stuckRoundHolds()).isFalse();
    }

    @Test
    void anOrdinaryRoundWaitsForEveryNode() {
        NineOneOneRound round = grantedByNodeOne(0b110, 0);
        assertThat(round.complete()).isFalse();
        assertThat(round.stuckRoundHolds()).as("its deadline decides, as before").isTrue();
    }

    @Test
    void aStuckHolderThatAnswersRefusesTheRound() {
        NineOneOneRound round = grantedByNodeOne(0b110, 0b100);
        round.record(2, new RingMessage.NineOneOneReply(2, 1, EPOCH, 11, false, true)); // alive: it still holds it
        assertThat(round.complete()).isTrue();
        assertThat(round.denied).isTrue();
    }
}
