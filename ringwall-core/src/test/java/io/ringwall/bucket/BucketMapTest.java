package io.ringwall.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BucketMapTest {
    private static final int ABC = 0b111;

    @Test
    void bucketsAreSpreadOverEligibleNodesWithDistinctBackups() {
        BucketMap map = BucketMap.balanced(1024, 1, ABC, ABC, 1);
        for (int n = 0; n < 3; n++) {
            assertThat(map.ownedBy(n)).isBetween(290, 390);
        }
        for (int b = 0; b < 1024; b++) {
            int backups = map.backupsOf(b);
            assertThat(Integer.bitCount(backups)).isEqualTo(1);
            assertThat(backups & (1 << map.ownerOf(b))).isZero();
        }
    }

    @Test
    void activeStandbyPutsEveryBucketOnTheVipHolder() {
        BucketMap map = BucketMap.balanced(256, 1, ABC, 0b001, 1);
        assertThat(map.ownedBy(0)).isEqualTo(256);
    }

    @Test
    void backupCountOfNMinusOneReplicatesToEveryOtherMember() {
        BucketMap map = BucketMap.balanced(64, 2, ABC, ABC, 1);
        for (int b = 0; b < 64; b++) {
            assertThat(map.backupsOf(b) | (1 << map.ownerOf(b))).isEqualTo(ABC);
        }
    }

    @Test
    void aBucketAwayFromItsDesiredOwnerHasThatOwnerAsFirstBackup() {
        BucketMap settled = BucketMap.balanced(64, 1, ABC, ABC, 1);
        byte[] owners = settled.owners();
        int b = 5;
        int desired = settled.ownerOf(b);
        owners[b] = (byte) ((desired + 1) % 3);
        BucketMap moved = new BucketMap(64, 1, ABC, ABC, 2, owners);
        assertThat(moved.backupsOf(b)).isEqualTo(1 << desired);
    }

    @Test
    void bucketOfIsTheSymmetricHashModuloBuckets() {
        BucketMap map = BucketMap.balanced(1000, 1, ABC, ABC, 1);
        assertThat(map.bucketOf(123_456)).isEqualTo(456);
        assertThat(map.bucketOf(-1)).isBetween(0, 999); // unsigned, never negative
    }
}
