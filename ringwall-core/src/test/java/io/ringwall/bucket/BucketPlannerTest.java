package io.ringwall.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BucketPlannerTest {
    private static final int ABC = 0b111;

    @Test
    void aFailedOwnersBucketsGoToTheirBackupsAtOnce() {
        BucketMap before = BucketMap.balanced(1024, 1, ABC, ABC, 1);
        BucketMap after = BucketPlanner.next(before, 1024, 1, 0b011, 0b011, n -> 0);
        assertThat(after.generation()).isEqualTo(2);
        assertThat(after.ownedBy(2)).isZero();
        for (int b = 0; b < 1024; b++) {
            if (before.ownerOf(b) == 2) {
                assertThat(before.backupsOf(b) & (1 << after.ownerOf(b))).as("bucket %d", b).isNotZero();
            } else {
                assertThat(after.ownerOf(b)).as("bucket %d", b).isEqualTo(before.ownerOf(b));
            }
        }
    }

    @Test
    void activeStandbyFailoverPromotesBackupsThenMovesBucketsToTheNewVipHolderOnlyAfterReReplication() {
        BucketMap standby = BucketMap.balanced(256, 1, ABC, 0b001, 1); // node 0 holds the VIPs
        // node 0 fails, node 1 gets the VIPs: buckets first go to whichever node was their backup
        BucketMap promoted = BucketPlanner.next(standby, 256, 1, 0b110, 0b010, n -> 0);
        assertThat(promoted.ownedBy(1) + promoted.ownedBy(2)).isEqualTo(256);
        assertThat(promoted.ownedBy(2)).isPositive();
        // node 2 has not finished re-replicating to node 1 (its backup now): nothing moves
        assertThat(BucketPlanner.next(promoted, 256, 1, 0b110, 0b010, n -> promoted.generation() - 1)).isSameAs(promoted);
        // once it has, node 2's buckets move to the VIP holder
        BucketMap settled = BucketPlanner.next(promoted, 256, 1, 0b110, 0b010, n -> promoted.generation());
        assertThat(settled.ownedBy(1)).isEqualTo(256);
    }

    @Test
    void aClosedNodesBucketsLeaveOnlyOnceItsBackupsHaveTheState() {
        BucketMap all = BucketMap.balanced(512, 1, ABC, ABC, 1);
        BucketMap closing = BucketPlanner.next(all, 512, 1, ABC, 0b011, n -> 0);
        assertThat(closing.ownedBy(2)).isEqualTo(all.ownedBy(2)); // eligibility changed: backups re-derived first
        BucketMap drained = BucketPlanner.next(closing, 512, 1, ABC, 0b011, n -> closing.generation());
        assertThat(drained.ownedBy(2)).isZero();
        assertThat(BucketPlanner.next(drained, 512, 1, ABC, 0b011, n -> drained.generation())).isSameAs(drained);
    }

    @Test
    void aKeptOwnersBucketsGetTheirNextOwnerAsBackupButStayUntilReleased() {
        // active/standby on node 0; node 0 is drained and node 1 is where its VIPs will go
        BucketMap standby = BucketMap.balanced(256, 1, ABC, 0b001, 1);
        BucketMap planned = BucketPlanner.next(standby, 256, 1, ABC, 0b010, 0, n -> 0, b -> BucketMap.NONE, 0b001);
        assertThat(planned.ownedBy(0)).isEqualTo(256);
        for (int b = 0; b < 256; b++) {
            assertThat(planned.backupsOf(b)).as("bucket %d", b).isEqualTo(0b010);
        }
        long done = planned.generation();
        assertThat(BucketPlanner.next(planned, 256, 1, ABC, 0b010, 0, n -> done, b -> BucketMap.NONE, 0b001))
                .as("re-replicated, but node 0 still holds the VIPs").isSameAs(planned);
        BucketMap moved = BucketPlanner.next(planned, 256, 1, ABC, 0b010, 0, n -> done, b -> BucketMap.NONE, 0);
        assertThat(moved.ownedBy(1)).as("every bucket in one step").isEqualTo(256);
    }

    @Test
    void aSettledMapIsLeftAlone() {
        BucketMap map = BucketMap.balanced(1024, 1, ABC, ABC, 7);
        assertThat(BucketPlanner.next(map, 1024, 1, ABC, ABC, n -> 0)).isSameAs(map);
    }

    @Test
    void changingTheBucketCountRebuildsTheMap() {
        BucketMap map = BucketMap.balanced(1024, 1, ABC, ABC, 7);
        BucketMap next = BucketPlanner.next(map, 512, 1, ABC, ABC, n -> 0);
        assertThat(next.buckets()).isEqualTo(512);
        assertThat(next.generation()).isEqualTo(8);
    }

    @Test
    void aFailedOwnersBucketGoesToASettledNodeRatherThanToAJoiningBackup() {
        BucketMap before = BucketMap.balanced(1024, 1, 0b111, 0b011, 1); // node 2 joined: it may be a backup already
        BucketMap after = BucketPlanner.next(before, 1024, 1, 0b110, 0b010, 0b100, n -> 0); // node 0 fails
        for (int b = 0; b < 1024; b++) {
            if (before.ownerOf(b) == 0) {
                assertThat(after.ownerOf(b)).as("bucket %d", b).isEqualTo(1);
            }
        }
    }

    @Test
    void aFailedOwnersBucketGoesToTheNodeKnownToHoldItsFlowsWhenItIsLiveAndSettled() {
        BucketMap before = BucketMap.balanced(256, 1, ABC, ABC, 4);
        // node 0 fails; the caller knows node 2 has the flows of every bucket (e.g. it handed them to node 0)
        BucketMap after = BucketPlanner.next(before, 256, 1, 0b110, 0b110, 0, n -> 0, b -> 2);
        for (int b = 0; b < 256; b++) {
            assertThat(after.ownerOf(b)).as("bucket %d", b).isEqualTo(before.ownerOf(b) == 0 ? 2 : before.ownerOf(b));
        }
        // the known holder is still joining (or gone): the map's own backups decide, as without the hint
        BucketMap joining = BucketPlanner.next(before, 256, 1, 0b110, 0b110, 0b100, n -> 0, b -> 2);
        BucketMap gone = BucketPlanner.next(before, 256, 1, 0b010, 0b010, 0, n -> 0, b -> 2);
        for (int b = 0; b < 256; b++) {
            if (before.ownerOf(b) == 0) {
                assertThat(joining.ownerOf(b)).as("bucket %d", b).isEqualTo(1);
                assertThat(gone.ownerOf(b)).as("bucket %d", b).isEqualTo(1);
            }
        }
    }
}
