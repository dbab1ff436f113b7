package io.ringwall.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void zeroIsAlwaysSeenAndNothingElseBeforeItIsMarked() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.seen(0)).isTrue();
        assertThat(w.seen(1)).isFalse();
        assertThat(w.seen(5000)).isFalse();
    }

    @Test
    void aMarkedNumberIsSeenAndItsNeighboursAreNot() {
        ReplayWindow w = new ReplayWindow();
        w.mark(10);
        assertThat(w.seen(10)).isTrue();
        assertThat(w.seen(9)).isFalse();
        assertThat(w.seen(11)).isFalse();
        assertThat(w.highest()).isEqualTo(10);
    }

    @Test
    void numbersThatFallOutOfTheWindowCountAsSeen() {
        ReplayWindow w = new ReplayWindow();
        w.mark(1);
        w.mark(1 + ReplayWindow.WIDTH);
        assertThat(w.seen(1)).isTrue(); // marked, and now too old anyway
        assertThat(w.seen(2)).isFalse(); // inside the window, never marked
        w.mark(2 + ReplayWindow.WIDTH);
        assertThat(w.seen(2)).isTrue(); // too old now
    }

    @Test
    void slidingTheWindowForgetsTheSlotsItPassesOver() {
        ReplayWindow w = new ReplayWindow();
        w.mark(5);
        w.mark(5 + ReplayWindow.WIDTH - 1); // 5's slot is still inside
        assertThat(w.seen(5)).isTrue();
        w.mark(5 + ReplayWindow.WIDTH + 3); // slides past 5..8: their slots now stand for 5+WIDTH..8+WIDTH
        assertThat(w.seen(5 + ReplayWindow.WIDTH)).isFalse();
        assertThat(w.seen(5 + ReplayWindow.WIDTH + 3)).isTrue();
    }

    /** Sequence numbers are compared unsigned; those with the top bit set are tracked like any other. */
    @Test
    void numbersAboveTwoToTheSixtyThreeAreTrackedLikeAnyOther() {
        ReplayWindow w = new ReplayWindow();
        long n = Long.MIN_VALUE + 7; // 2^63 + 7 as an unsigned number
        w.mark(n - 3);
        w.mark(n);
        assertThat(w.seen(n)).isTrue();
        assertThat(w.seen(n - 3)).isTrue();
        assertThat(w.seen(n - 1)).isFalse();
        assertThat(w.highest()).isEqualTo(n);
    }

    /** Random marks against a plain set: inside the window exactly what was marked is seen. */
    @Test
    void randomMarksAgreeWithASetInsideTheWindow() {
        Prng prng = new Prng(7);
        ReplayWindow w = new ReplayWindow();
        Set<Long> marked = new HashSet<>();
        long top = 0;
        for (int i = 0; i < 20_000; i++) {
            long n = Math.max(1, top + prng.nextInt(2 * ReplayWindow.WIDTH) - ReplayWindow.WIDTH + 40);
            w.mark(n);
            if (n > top || top - n < ReplayWindow.WIDTH) {
                marked.add(n);
            }
            top = Math.max(top, n);
            long probe = Math.max(1, top - prng.nextInt(ReplayWindow.WIDTH));
            assertThat(w.seen(probe)).as("probe %d, highest %d", probe, top).isEqualTo(marked.contains(probe));
        }
    }
}
