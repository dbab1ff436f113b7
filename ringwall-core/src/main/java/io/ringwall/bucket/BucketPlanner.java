package io.ringwall.bucket;

import java.util.function.IntToLongFunction;

/**
 * The token holder's step on the bucket map (SPEC §5.1, §5.2, §5.5, §5.7). Owners that left the ring are
 * replaced at once by their first live backup, which holds their flows. A bucket whose owner is not its desired
 * owner (after a failover, a join, a drain or a VIP move) moves there only once the desired owner has been its
 * backup in the published map and the current owner has finished re-replicating to its backups for that map:
 * a planned move never reaches a node without the bucket's state.
 */
public final class BucketPlanner {
    private BucketPlanner() {
    }

    /**
     * @param current              the published map, or null if the train has none
     * @param members              the ring's members
     * @param eligible             members that may own buckets (0: every member)
     * @param replicatedGeneration per node: the map generation whose re-replication it has finished
     * @return {@code current} if nothing changes, else the next map (generation + 1)
     */
    public static BucketMap next(BucketMap current, int buckets, int backupCount, int members, int eligible,
                                 IntToLongFunction replicatedGeneration) {
        eligible &= members;
        if (current == null || current.buckets() != buckets || current.backupCount() != backupCount) {
            return BucketMap.balanced(buckets, backupCount, members, eligible, current == null ? 1 : current.generation() + 1);
        }
        byte[] owners = current.owners();
        boolean changed = members != current.members() || eligible != current.eligible();
        int candidates = eligible != 0 ? eligible : members;
        boolean ownerReady = true;
        for (int b = 0; b < buckets; b++) {
            int own = owners[b];
            if (own == BucketMap.NONE || (members & (1 << own)) == 0) {
                owners[b] = (byte) successor(current, b, members, candidates);
                changed |= owners[b] != own;
                continue;
            }
            int want = Rendezvous.top(b, candidates);
            if (want != own && want != BucketMap.NONE && (current.backupsOf(b) & (1 << want)) != 0
                    && replicatedGeneration.applyAsLong(own) >= current.generation()) {
                owners[b] = (byte) want;
                changed = true;
            }
        }
        if (!changed) {
            return current;
        }
        return new BucketMap(buckets, backupCount, members, eligible, current.generation() + 1, owners);
    }

    /** The first live backup in the order the map ranks them; without one, the desired owner (no replica survives). */
    private static int successor(BucketMap current, int bucket, int members, int candidates) {
        int alive = current.backupsOf(bucket) & members;
        int want = current.desiredOwnerOf(bucket);
        if (want != BucketMap.NONE && (alive & (1 << want)) != 0) {
            return want;
        }
        if (alive != 0) {
            return Rendezvous.top(bucket, alive);
        }
        return Rendezvous.top(bucket, candidates);
    }
}
