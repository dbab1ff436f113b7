package io.ringwall.vip;

import static io.ringwall.vip.VipFixtures.ip;
import static io.ringwall.vip.VipFixtures.mask;
import static io.ringwall.vip.VipFixtures.pool;
import static io.ringwall.vip.VipFixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VipPolicyTest {
    private static final int A = ip(10, 0, 0, 1);
    private static final int B = ip(10, 0, 0, 2);

    @Test
    void initialAssignmentIsRoundRobinAndDeterministic() {
        VipTable t = VipPolicy.initial(pool(6), ring(0, 0, 1, 2));
        assertThat(t.ownedBy(0)).containsExactly(ip(10, 0, 0, 1), ip(10, 0, 0, 4));
        assertThat(t.ownedBy(1)).containsExactly(ip(10, 0, 0, 2), ip(10, 0, 0, 5));
        assertThat(t.ownedBy(2)).containsExactly(ip(10, 0, 0, 3), ip(10, 0, 0, 6));
        assertThat(VipPolicy.initial(pool(6), ring(2, 0, 1, 2))).isEqualTo(t);
    }

    @Test
    void initialAssignmentHonoursConfiguredPreferences() {
        VipTable t = VipPolicy.initial(List.of(new VipSpec(A, 0, 2), new VipSpec(B, 0)), ring(0, 0, 1, 2));
        assertThat(t.row(A).currentHost()).isEqualTo(2);
        assertThat(t.row(A).flag()).isEqualTo(VipRow.STICKY_PREFERRED);
        assertThat(t.row(B).flag()).isEqualTo(VipRow.FREE);
    }

    @Test
    void leavingNodesVipsGoToLiveNodesAtOnce() {
        VipTable t = VipPolicy.initial(pool(6), ring(0, 0, 1, 2));
        VipTable after = VipPolicy.reassign(t, ring(0, 0, 2)); // node 1 left; node 0 holds the token

        assertThat(after.ownedBy(1)).isEmpty();
        assertThat(after.rows()).allSatisfy(r -> {
            assertThat(r.moving()).isFalse();
            assertThat(r.currentHost()).isIn(0, 2);
        });
        assertThat(after.ownedBy(0).length + after.ownedBy(2).length).isEqualTo(6);
        assertThat(Math.abs(after.ownedBy(0).length - after.ownedBy(2).length)).isLessThanOrEqualTo(1);
    }

    @Test
    void flagThreeReturnsToPreferredHostWhenAlive() {
        VipTable t = VipPolicy.initial(List.of(new VipSpec(A, 0, 1), new VipSpec(B, 0)), ring(0, 0, 1));
        VipTable failedOver = VipPolicy.reassign(t, ring(0, 0));
        assertThat(failedOver.row(A).currentHost()).isEqualTo(0);

        // Node 1 is back: the holder (node 0, the current host) releases, so node 1 owns at once.
        VipTable back = VipPolicy.reassign(failedOver, ring(0, 0, 1));
        assertThat(back.row(A).currentHost()).isEqualTo(1);
        assertThat(back.row(A).flag()).isEqualTo(VipRow.STICKY_PREFERRED);
    }

    @Test
    void flagOneStaysWhereItLands() {
        VipTable t = new VipTable(List.of(VipRow.settled(A, 0, 1, 1, VipRow.STICKY_CURRENT)));
        VipTable failedOver = VipPolicy.reassign(t, ring(0, 0, 2));
        int landed = failedOver.row(A).currentHost();
        assertThat(landed).isIn(0, 2);

        VipTable later = VipPolicy.reassign(failedOver, ring(0, 0, 1, 2));
        assertThat(later.row(A).currentHost()).isEqualTo(landed);
        VipTable balanced = VipBalancer.balance(later, VipFixtures.bytesPerSecond(900_000_000, 0, 0),
                ring(0, 0, 1, 2), BalanceConfig.defaults());
        assertThat(balanced.row(A).currentHost()).isEqualTo(landed);
    }

    @Test
    void plannedMoveIsTwoPhaseNeverTwoOwners() {
        VipTable t = VipPolicy.initial(pool(2), ring(0, 0, 1, 2)); // A on 0, B on 1
        assertThat(t.row(B).currentHost()).isEqualTo(1);

        // Node 0 holds the token and moves B (owned by node 1) to node 2.
        VipPolicy.Outcome moved = VipPolicy.move(t, B, 2, ring(0, 0, 1, 2));
        assertThat(moved.ok()).isTrue();
        VipRow releasing = moved.table().row(B);
        assertThat(releasing.currentHost()).isEqualTo(VipRow.NONE);
        assertThat(releasing.releasingHost()).isEqualTo(1);
        assertThat(releasing.pendingHost()).isEqualTo(2);

        // Node 1 (old owner) sees the releasing row -> it stops answering.
        assertThat(VipOwnershipDiff.of(t, moved.table(), 1).release()).containsExactly(B);
        // Node 2 must not take it over yet, even if it got the token first (ring order 0 -> 2 -> 1).
        VipTable atTwo = VipPolicy.reassign(moved.table(), ring(2, 0, 1, 2));
        assertThat(atTwo.row(B).currentHost()).isEqualTo(VipRow.NONE);
        assertThat(VipOwnershipDiff.of(moved.table(), atTwo, 2).takeOver()).isEmpty();

        // At node 1's visit the move completes; node 2 announces when it next sees the token.
        VipTable atOne = VipPolicy.reassign(atTwo, ring(1, 0, 1, 2));
        assertThat(atOne.row(B).currentHost()).isEqualTo(2);
        assertThat(atOne.row(B).moving()).isFalse();
        assertThat(VipOwnershipDiff.of(atTwo, atOne, 2).takeOver()).containsExactly(B);
    }

    @Test
    void plannedMoveCompletesAtOnceWhenOldOwnerLeaves() {
        VipTable t = VipPolicy.initial(pool(2), ring(0, 0, 1, 2));
        VipTable moving = VipPolicy.move(t, B, 2, ring(0, 0, 1, 2)).table();
        VipTable after = VipPolicy.reassign(moving, ring(2, 0, 2));
        assertThat(after.row(B).currentHost()).isEqualTo(2);
    }

    @Test
    void manualMoveOfPreferredVipMakesItStickyWhereItLands() {
        VipTable t = VipPolicy.initial(List.of(new VipSpec(A, 0, 0)), ring(0, 0, 1));
        VipTable moved = VipPolicy.move(t, A, 1, ring(0, 0, 1)).table(); // holder 0 is the owner: direct
        assertThat(moved.row(A).currentHost()).isEqualTo(1);
        assertThat(moved.row(A).flag()).isEqualTo(VipRow.STICKY_CURRENT);
        assertThat(moved.row(A).preferredHost()).isEqualTo(0);
        assertThat(VipPolicy.reassign(moved, ring(1, 0, 1)).row(A).currentHost()).isEqualTo(1);
    }

    @Test
    void moveToIneligibleNodeIsRefused() {
        VipTable t = VipPolicy.initial(pool(1), ring(0, 0, 1));
        VipPolicy.Outcome o = VipPolicy.move(t, A, 3, ring(0, 0, 1));
        assertThat(o.ok()).isFalse();
        assertThat(o.table()).isSameAs(t);
        assertThat(VipPolicy.move(t, ip(1, 2, 3, 4), 1, ring(0, 0, 1)).ok()).isFalse();
    }

    @Test
    void settingPreferenceSetsFlagThree() {
        VipTable t = VipPolicy.initial(pool(2), ring(0, 0, 1)); // A on 0, flag 0
        VipPolicy.Outcome o = VipPolicy.prefer(t, A, 1);
        assertThat(o.ok()).isTrue();
        assertThat(o.table().row(A).flag()).isEqualTo(VipRow.STICKY_PREFERRED);
        assertThat(o.table().row(A).preferredHost()).isEqualTo(1);
        assertThat(VipPolicy.reassign(o.table(), ring(0, 0, 1)).row(A).currentHost()).isEqualTo(1);
        assertThat(VipPolicy.unpin(o.table(), A).table().row(A).flag()).isEqualTo(VipRow.FREE);
    }

    @Test
    void noQuorumReleasesAll() {
        VipTable t = VipPolicy.initial(pool(4), ring(0, 0, 1, 2));
        RingView minority = RingView.of(0, 7, mask(0), false);
        assertThat(VipPolicy.reassign(t, minority)).isSameAs(t);
        assertThat(VipBalancer.balance(t, VipFixtures.bytesPerSecond(1L << 40), minority, BalanceConfig.defaults()))
                .isSameAs(t);
        assertThat(VipPolicy.move(t, A, 0, minority).ok()).isFalse();
        VipOwnershipDiff diff = VipOwnershipDiff.releaseAll(t, 0);
        assertThat(diff.release()).containsExactly(t.ownedBy(0));
        assertThat(diff.takeOver()).isEmpty();
        assertThat(VipPolicy.initial(pool(4), minority).ownedBy(0)).isEmpty();
    }

    @Test
    void closingNodeHandsItsVipsOverItselfAtItsOwnVisit() {
        VipTable t = VipPolicy.initial(pool(3), ring(0, 0, 1, 2));
        // another holder leaves the closing node's VIP alone: no release that would stay dark for a rotation
        RingView otherHolder = new RingView(0, 1, mask(0, 1, 2), mask(0, 2), true);
        assertThat(VipPolicy.reassign(t, otherHolder).row(B)).isEqualTo(t.row(B));
        // at its own visit the closing node names the new owner in one step (it releases before passing on)
        VipRow r = VipPolicy.reassign(t, new RingView(1, 2, mask(0, 1, 2), mask(0, 2), true)).row(B);
        assertThat(r.releasingHost()).isEqualTo(VipRow.NONE);
        assertThat(r.currentHost()).isIn(0, 2);
    }

    @Test
    void aClosingNodeKeepsItsVipsUntilItsHandOverIsReady() {
        VipTable t = VipPolicy.initial(pool(3), ring(0, 0, 1, 2));
        RingView closingHolder = new RingView(1, 2, mask(0, 1, 2), mask(0, 2), true);
        assertThat(VipPolicy.reassign(t, closingHolder, node -> false).row(B)).isEqualTo(t.row(B));
        assertThat(VipPolicy.reassign(t, closingHolder, node -> node != 1).row(B)).isEqualTo(t.row(B));
        assertThat(VipPolicy.reassign(t, closingHolder, node -> true).row(B).currentHost()).isIn(0, 2);
    }

    @Test
    void drainTargetsAreWhereAClosedNodesVipsWouldGoNow() {
        VipTable t = VipPolicy.initial(pool(3), ring(0, 0, 1, 2));
        RingView anyHolder = new RingView(0, 1, mask(0, 1, 2), mask(0, 2), true);
        int targets = VipPolicy.drainTargets(t, anyHolder, 1);
        int landed = VipPolicy.reassign(t, new RingView(1, 2, mask(0, 1, 2), mask(0, 2), true)).row(B).currentHost();
        assertThat(targets).isEqualTo(1 << landed);
        assertThat(VipPolicy.drainTargets(t, anyHolder, 0)).as("an open node is not drained").isZero();
        assertThat(VipPolicy.drainTargets(t, new RingView(0, 1, mask(0, 1, 2), mask(0, 2), false), 1))
                .as("no quorum, no move").isZero();
    }

    /** upSince per node id: seasoned nodes, a fresh node by its first token sequence, the rest unknown. */
    private static long[] upSince(int[] seasoned, int[][] fresh) {
        long[] since = new long[VipTable.MAX_NODES];
        java.util.Arrays.fill(since, RingView.UNKNOWN);
        for (int n : seasoned) {
            since[n] = RingView.SEASONED;
        }
        for (int[] f : fresh) {
            since[f[0]] = f[1];
        }
        return since;
    }

    @Test
    void aVipThatMustMoveGoesToASeasonedNodeBeforeAnEquallyLoadedFreshOne() {
        VipTable t = VipPolicy.initial(pool(1), ring(0, 0, 1, 2));
        assertThat(t.row(A).currentHost()).isZero();
        // node 0 left; nodes 1 and 2 own nothing, node 1 restarted moments ago (fresh), node 2 has run longer
        long[] node2Seasoned = upSince(new int[] {2}, new int[][] {{1, 500}});
        assertThat(VipPolicy.reassign(t, new RingView(1, 2, mask(1, 2), mask(1, 2), true, node2Seasoned)).row(A)
                .currentHost()).isEqualTo(2);
        long[] bothSeasoned = upSince(new int[] {1, 2}, new int[][] {});
        assertThat(VipPolicy.reassign(t, new RingView(1, 2, mask(1, 2), mask(1, 2), true, bothSeasoned)).row(A)
                .currentHost()).as("both seasoned: lowest id").isEqualTo(1);
        assertThat(VipPolicy.reassign(t, new RingView(1, 2, mask(1, 2), mask(1, 2), true, null)).row(A)
                .currentHost()).as("no order: lowest id").isEqualTo(1);
    }

    @Test
    void amongFreshNodesTheOneUpLongestTakesTheVip() {
        VipTable t = VipPolicy.initial(pool(1), ring(0, 0, 1, 2));
        long[] node2StartedFirst = upSince(new int[] {}, new int[][] {{1, 900}, {2, 400}});
        assertThat(VipPolicy.reassign(t, new RingView(1, 2, mask(1, 2), mask(1, 2), true, node2StartedFirst)).row(A)
                .currentHost()).isEqualTo(2);
        long[] node2NotReported = upSince(new int[] {}, new int[][] {{1, 900}});
        assertThat(VipPolicy.reassign(t, new RingView(1, 2, mask(1, 2), mask(1, 2), true, node2NotReported)).row(A)
                .currentHost()).as("a node that has not said how long it is up counts as the freshest").isEqualTo(1);
    }

    @Test
    void fewerVipsWinOverUptime() {
        VipTable t = VipPolicy.initial(pool(3), ring(0, 0, 1, 2));
        // node 0 left; 1 and 2 own one VIP each and are seasoned, node 3 owns none and is fresh: load comes first
        long[] since = upSince(new int[] {1, 2}, new int[][] {{3, 700}});
        RingView view = new RingView(1, 2, mask(1, 2, 3), mask(1, 2, 3), true, since);
        assertThat(VipPolicy.reassign(t, view).row(A).currentHost()).isEqualTo(3);
    }

    @Test
    void drainTargetsAvoidAFreshNode() {
        VipTable t = VipPolicy.initial(pool(1), ring(0, 0, 1, 2));
        long[] since = upSince(new int[] {0, 2}, new int[][] {{1, 800}});
        assertThat(VipPolicy.drainTargets(t, new RingView(1, 2, mask(0, 1, 2), mask(1, 2), true, since), 0))
                .isEqualTo(mask(2));
    }

    @Test
    void diffReleasesBeforeTakingOver() {
        VipTable before = new VipTable(List.of(VipRow.settled(A, 0, 0, -1, 0), VipRow.settled(B, 0, 1, -1, 0)));
        VipTable after = new VipTable(List.of(VipRow.settled(A, 0, 1, -1, 0), VipRow.settled(B, 0, 0, -1, 0)));
        VipOwnershipDiff d = VipOwnershipDiff.of(before, after, 0);
        assertThat(d.release()).containsExactly(A);
        assertThat(d.takeOver()).containsExactly(B);
        assertThat(VipOwnershipDiff.of(after, after, 0).isEmpty()).isTrue();
    }
}
