package io.ringwall.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The originator's bookkeeping of one 911 round, stuck-holder grants in particular. */
class NineOneOneRoundTest {
    private static final long EPOCH = 0x40;

    private static RingMessage.NineOneOneReply grant(int from) {
        return new RingMessage.NineOneOneReply(from, 1, EPOCH, 10, true, false);
    }

    private static RingMessage.NineOneOneReply stuckGrant(int from, int stuckAt) {
        return new RingMessage.NineOneOneReply(from, 1, EPOCH, 11, true, false, stuckAt);
    }

    @Test
    void aRoundNamingOneStuckHolderEndsOnceEveryOtherNodeAnswered() {
        NineOneOneRound round = new NineOneOneRound();
        round.begin(1, 0, 0b1110); // originator 0 asks 1, 2, 3; 2 swallowed the token
        round.record(1, stuckGrant(1, 2));
        assertThat(round.complete()).as("3 has not answered").isFalse();
        round.record(3, grant(3));
        assertThat(round.complete()).isTrue();
        assertThat(round.stuckGrantsHold()).isTrue();
        assertThat(round.grantedIn(EPOCH)).isEqualTo(0b1010);
    }

    @Test
    void stuckGrantsDoNotStandWhenAnotherNodeIsSilentToo() {
        NineOneOneRound round = new NineOneOneRound();
        round.begin(1, 0, 0b1110);
        round.record(1, stuckGrant(1, 2));
        // 3 never answers: two failures, and the round (ended by its deadline) must be refused
        assertThat(round.complete()).isFalse();
        assertThat(round.stuckGrantsHold()).isFalse();
    }

    @Test
    void grantsNamingDifferentStuckHoldersDoNotStand() {
        NineOneOneRound round = new NineOneOneRound();
        round.begin(1, 0, 0b11110);
        round.record(1, stuckGrant(1, 2));
        round.record(3, stuckGrant(3, 4));
        assertThat(round.complete()).isTrue();
        assertThat(round.stuckGrantsHold()).isFalse();
    }

    @Test
    void aStuckHolderThatAnswersRefusesTheRound() {
        NineOneOneRound round = new NineOneOneRound();
        round.begin(1, 0, 0b110);
        round.record(1, stuckGrant(1, 2));
        round.record(2, new RingMessage.NineOneOneReply(2, 1, EPOCH, 11, false, true)); // alive: it still holds it
        assertThat(round.complete()).isTrue();
        assertThat(round.denied).isTrue();
    }
}
