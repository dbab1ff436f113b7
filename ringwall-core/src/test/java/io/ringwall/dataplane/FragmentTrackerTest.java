package io.ringwall.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FragmentTrackerTest {
    private static final int SRC = 0x0a000001;
    private static final int DST = 0x0a000002;
    private static final int UDP = 17;
    private static final int ACCEPT = 1;
    private static final int DROP = 0;
    private static final long SECOND = 1_000_000_000L;

    private final FragmentTracker tracker = new FragmentTracker(64, 30 * SECOND);

    @Test
    void laterFragmentsGetTheVerdictOfTheFirst() {
        tracker.recordFirst(SRC, DST, UDP, 77, ACCEPT, 1480, 0);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 77, 1480, 1480, SECOND)).isEqualTo(ACCEPT);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 77, 2960, 100, SECOND)).isEqualTo(ACCEPT);
        tracker.recordFirst(SRC, DST, UDP, 78, DROP, 0);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 78, 1480, 8, SECOND)).isEqualTo(DROP);
    }

    @Test
    void fragmentBeforeItsFirstIsUnknown() {
        assertThat(tracker.verdictFor(SRC, DST, UDP, 5, 1480, 1480, 0)).isEqualTo(FragmentTracker.UNKNOWN);
    }

    @Test
    void keyIncludesAddressesProtocolAndIdentification() {
        tracker.recordFirst(SRC, DST, UDP, 9, ACCEPT, 0);
        assertThat(tracker.verdictFor(DST, SRC, UDP, 9, 8, 8, 0)).isEqualTo(FragmentTracker.UNKNOWN);
        assertThat(tracker.verdictFor(SRC, DST, 6, 9, 8, 8, 0)).isEqualTo(FragmentTracker.UNKNOWN);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 10, 8, 8, 0)).isEqualTo(FragmentTracker.UNKNOWN);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 9, 8, 8, 0)).isEqualTo(ACCEPT);
    }

    @Test
    void fragmentOverlappingTheFirstIsRefused() {
        tracker.recordFirst(SRC, DST, UDP, 1, ACCEPT, 24, 0);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 1, 16, 16, 0)).isEqualTo(FragmentTracker.OVERLAP);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 1, 24, 16, 0)).isEqualTo(ACCEPT);
    }

    @Test
    void fragmentOverlappingAnotherLaterOneIsRefused() {
        tracker.recordFirst(SRC, DST, UDP, 2, ACCEPT, 0);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 2, 800, 400, 0)).isEqualTo(ACCEPT);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 2, 1192, 16, 0)).isEqualTo(FragmentTracker.OVERLAP); // tail
        assertThat(tracker.verdictFor(SRC, DST, UDP, 2, 792, 16, 0)).isEqualTo(FragmentTracker.OVERLAP);  // head
        assertThat(tracker.verdictFor(SRC, DST, UDP, 2, 600, 1000, 0)).isEqualTo(FragmentTracker.OVERLAP); // covers
        assertThat(tracker.verdictFor(SRC, DST, UDP, 2, 800, 400, 0)).isEqualTo(FragmentTracker.OVERLAP);  // duplicate
        assertThat(tracker.verdictFor(SRC, DST, UDP, 2, 400, 400, 0)).isEqualTo(ACCEPT);  // touches, no overlap
        assertThat(tracker.verdictFor(SRC, DST, UDP, 2, 1200, 400, 0)).isEqualTo(ACCEPT);
    }

    @Test
    void inOrderFragmentsMergeSoManyFragmentsFit() {
        tracker.recordFirst(SRC, DST, UDP, 3, ACCEPT, 8, 0);
        for (int off = 8; off < 64_000; off += 8) {
            assertThat(tracker.verdictFor(SRC, DST, UDP, 3, off, 8, 0)).as("offset %d", off).isEqualTo(ACCEPT);
        }
    }

    @Test
    void tooManyDisjointPiecesAreRefused() {
        tracker.recordFirst(SRC, DST, UDP, 4, ACCEPT, 0);
        for (int i = 0; i < FragmentTracker.MAX_RANGES; i++) {
            assertThat(tracker.verdictFor(SRC, DST, UDP, 4, 100 * (i + 1), 8, 0)).isEqualTo(ACCEPT);
        }
        assertThat(tracker.verdictFor(SRC, DST, UDP, 4, 5000, 8, 0)).isEqualTo(FragmentTracker.TOO_MANY_RANGES);
        // Filling a hole between two pieces merges them and still works.
        assertThat(tracker.verdictFor(SRC, DST, UDP, 4, 108, 92, 0)).isEqualTo(ACCEPT);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 4, 5000, 8, 0)).isEqualTo(ACCEPT);
    }

    @Test
    void entriesExpireAfterTheTimeout() {
        tracker.recordFirst(SRC, DST, UDP, 6, ACCEPT, 100 * SECOND);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 6, 8, 8, 129 * SECOND)).isEqualTo(ACCEPT);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 6, 16, 8, 130 * SECOND)).isEqualTo(FragmentTracker.UNKNOWN);
        assertThat(tracker.size(130 * SECOND)).isZero();
    }

    @Test
    void repeatedFirstFragmentStartsTheDatagramAfresh() {
        tracker.recordFirst(SRC, DST, UDP, 7, ACCEPT, 16, 0);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 7, 16, 16, 0)).isEqualTo(ACCEPT);
        tracker.recordFirst(SRC, DST, UDP, 7, DROP, 16, SECOND);
        assertThat(tracker.verdictFor(SRC, DST, UDP, 7, 16, 16, SECOND)).isEqualTo(DROP);
    }

    @Test
    void tableStaysBoundedAndEvictsTheOldest() {
        FragmentTracker small = new FragmentTracker(8, 30 * SECOND);
        assertThat(small.capacity()).isEqualTo(8);
        for (int id = 0; id < 1000; id++) {
            small.recordFirst(SRC, DST, UDP, id, ACCEPT, id);
            assertThat(small.size(id)).isLessThanOrEqualTo(8);
        }
        assertThat(small.verdictFor(SRC, DST, UDP, 999, 8, 8, 1000)).isEqualTo(ACCEPT);
        assertThat(small.verdictFor(SRC, DST, UDP, 0, 8, 8, 1000)).isEqualTo(FragmentTracker.UNKNOWN);
    }

    @Test
    void capacityRoundsUpToAPowerOfTwo() {
        assertThat(new FragmentTracker(5, SECOND).capacity()).isEqualTo(8);
        assertThat(new FragmentTracker(1, SECOND).capacity()).isEqualTo(FragmentTracker.WAYS);
        assertThat(new FragmentTracker().capacity()).isEqualTo(FragmentTracker.DEFAULT_CAPACITY);
    }

    @Test
    void negativeVerdictsAreReservedForTheTracker() {
        assertThatThrownBy(() -> tracker.recordFirst(SRC, DST, UDP, 1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
