package io.ringwall.bucket;

/** Rendezvous (highest-random-weight) ranking of nodes per bucket: unkeyed, so every node ranks alike. */
final class Rendezvous {
    private Rendezvous() {
    }

    /** The highest-ranked node of {@code mask} for {@code bucket}; {@link BucketMap#NONE} if the mask is empty. */
    static int top(int bucket, int mask) {
        int best = BucketMap.NONE;
        long bestScore = Long.MIN_VALUE;
        for (int m = mask; m != 0; m &= m - 1) {
            int node = Integer.numberOfTrailingZeros(m);
            long score = score(bucket, node);
            if (best == BucketMap.NONE || score > bestScore) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    static long score(int bucket, int node) {
        long z = (bucket * 0x9E37_79B9_7F4A_7C15L) ^ ((node + 1) * 0xC2B2_AE3D_27D4_EB4FL);
        z = (z ^ (z >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return z ^ (z >>> 33);
    }
}
