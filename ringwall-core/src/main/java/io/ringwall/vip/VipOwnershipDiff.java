package io.ringwall.vip;

import java.util.Arrays;

/**
 * What one node must change when it adopts a new VIP table: first stop answering {@code release}, then take
 * over {@code takeOver} (answer ARP, send gratuitous ARP). Both arrays are sorted VIPs.
 */
public record VipOwnershipDiff(int[] release, int[] takeOver) {
    public VipOwnershipDiff {
        release = release.clone();
        takeOver = takeOver.clone();
    }

    /** From the table this node last applied to the one it adopts now. */
    public static VipOwnershipDiff of(VipTable before, VipTable after, int self) {
        int[] had = before.ownedBy(self);
        int[] has = after.ownedBy(self);
        return new VipOwnershipDiff(minus(had, has), minus(has, had));
    }

    /** Quorum lost (or the node closes): release everything it answered for, take nothing. */
    public static VipOwnershipDiff releaseAll(VipTable before, int self) {
        return of(before, VipTable.EMPTY, self);
    }

    public boolean isEmpty() {
        return release.length == 0 && takeOver.length == 0;
    }

    @Override
    public int[] release() {
        return release.clone();
    }

    @Override
    public int[] takeOver() {
        return takeOver.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VipOwnershipDiff d && Arrays.equals(release, d.release) && Arrays.equals(takeOver, d.takeOver);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(release) + Arrays.hashCode(takeOver);
    }

    @Override
    public String toString() {
        return "VipOwnershipDiff[release=" + Arrays.toString(release) + ", takeOver=" + Arrays.toString(takeOver) + "]";
    }

    private static int[] minus(int[] a, int[] b) {
        return Arrays.stream(a).filter(x -> Arrays.stream(b).noneMatch(y -> y == x)).toArray();
    }
}
