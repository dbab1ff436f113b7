package io.ringwall.bucket;

import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;

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
        return next(current, buckets, backupCount, members, eligible, 0, replicatedGeneration);
    }

    /**
     * {@code joining}: members still receiving their state. A joiner may already be a bucket's backup (that is how
     * it gets the bucket's flows), but a failed owner's bucket goes to it only if no settled node is left: a settled
     * node that backed the bucket up before the join still holds its replicas.
     */
    public static BucketMap next(BucketMap current, int buckets, int backupCount, int members, int eligible,
                                 int joining, IntToLongFunction replicatedGeneration) {
        return next(current, buckets, backupCount, members, eligible, joining, replicatedGeneration, b -> BucketMap.NONE);
    }

    /**
     * {@code stateHolder}: for a bucket whose owner left, a node known to hold its flows when the map's backups
     * may not (the owner failed before it finished re-replicating for this map: a former owner keeps the flows as
     * replicas, and an earlier map's backups received them), or {@link BucketMap#NONE}. The bucket goes there
     * first if it is a live, settled member.
     */
    public static BucketMap next(BucketMap current, int buckets, int backupCount, int members, int eligible,
                                 int joining, IntToLongFunction replicatedGeneration, IntUnaryOperator stateHolder) {
        return next(current, buckets, backupCount, members, eligible, joining, replicatedGeneration, stateHolder, 0);
    }

    /**
     * {@code keep}: live members whose buckets make no planned move yet (a drained node that still holds its VIPs:
     * its buckets move in the same step as the VIPs, once their next owners are their backups and have the flows).
     * Their buckets' backups are still recomputed, so the next owners receive the flows meanwhile.
     */
    public static BucketMap next(BucketMap current, int buckets, int backupCount, int members, int eligible,
                                 int joining, IntToLongFunction replicatedGeneration, IntUnaryOperator stateHolder,
                                 int keep) {
        eligible &= members;
        if (current == null || current.buckets() != buckets || current.backupCount() != backupCount) {
            return BucketMap.balanced(buckets, backupCount, members, eligible, current == null ? 1 : current.generation() + 1);
        }
        // Copied on the first change only: the holder plans at every visit and an idle ring changes nothing.
        byte[] owners = null;
        boolean sameNodes = members == current.members() && eligible == current.eligible();
        boolean changed = !sameNodes;
        int candidates = eligible != 0 ? eligible : members;
        for (int b = 0; b < buckets; b++) {
            int own = current.ownerOf(b);
            int next = own;
            if (own == BucketMap.NONE || (members & (1 << own)) == 0) {
                int from = own == BucketMap.NONE ? BucketMap.NONE : stateHolder.applyAsInt(b);
                next = from != BucketMap.NONE && (members & ~joining & (1 << from)) != 0 ? from
                        : successor(current, b, members, candidates, joining);
            } else {
                int want = sameNodes ? current.desiredOwnerOf(b) : Rendezvous.top(b, candidates);
                if (want != own && want != BucketMap.NONE && (keep & (1 << own)) == 0
                        && (current.backupsOf(b) & (1 << want)) != 0
                        && replicatedGeneration.applyAsLong(own) >= current.generation()) {
                    next = want;
                }
            }
            if (next != own) {
                if (owners == null) {
                    owners = current.owners();
                }
                owners[b] = (byte) next;
                changed = true;
            }
        }
        if (!changed) {
            return current;
        }
        if (owners == null) {
            owners = current.owners(); // new members or eligibility, the same owners
        }
        return sameNodes ? current.withOwners(owners, current.generation() + 1)
                : new BucketMap(buckets, backupCount, members, eligible, current.generation() + 1, owners);
    }

    /**
     * The first settled live backup in the order the map ranks them; else a settled candidate (it may hold older
     * replicas from before a join); else a joining backup; without any, the desired owner (no replica survives).
     */
    private static int successor(BucketMap current, int bucket, int members, int candidates, int joining) {
        int alive = current.backupsOf(bucket) & members;
        int ready = alive & ~joining;
        int want = current.desiredOwnerOf(bucket);
        if (want != BucketMap.NONE && (ready & (1 << want)) != 0) {
            return want;
        }
        if (ready != 0) {
            return Rendezvous.top(bucket, ready);
        }
        int settled = candidates & ~joining;
        if (settled != 0) {
            return Rendezvous.top(bucket, settled);
        }
        return Rendezvous.top(bucket, alive != 0 ? alive : candidates);
    }
}
