package io.ringwall.bucket;

import java.util.Arrays;

/**
 * Which node handles each flow bucket, and which nodes keep its replicas (SPEC §5.1, §5.2). Immutable.
 * <p>Only the owner of each bucket is free state; everything else is derived, so every node computes the same
 * backups from the same map. The <em>desired</em> owner of a bucket is the highest-ranked eligible node by
 * rendezvous hashing (a node's departure moves only its own buckets). The backups of a bucket are its desired
 * owner if that is not the owner (so a planned move always goes to a node that already has the state), then the
 * other members in rank order, {@code backupCount} in all.
 */
public final class BucketMap {
    public static final int NONE = -1;
    public static final int MAX_NODES = 16;
    /** The map rides on the token, which must fit one cluster packet: see {@link BucketCodec}. */
    public static final int MAX_BUCKETS = 1024;

    private final int buckets;
    private final int backupCount;
    private final int members;
    private final int eligible;
    private final long generation;
    private final byte[] owner;
    private final short[] backups;
    private final byte[] desired;

    BucketMap(int buckets, int backupCount, int members, int eligible, long generation, byte[] owner) {
        this(buckets, backupCount, members, eligible, generation, owner, null);
    }

    /** {@code owner} null: every bucket on its desired owner; {@code desired} null: ranked here (else reused). */
    private BucketMap(int buckets, int backupCount, int members, int eligible, long generation, byte[] owner,
                      byte[] desired) {
        if (buckets < 1 || buckets > MAX_BUCKETS || (owner != null && owner.length != buckets)) {
            throw new IllegalArgumentException("buckets must be 1.." + MAX_BUCKETS + ": " + buckets);
        }
        if (backupCount < 0 || backupCount >= MAX_NODES) {
            throw new IllegalArgumentException("backup_count must be 0.." + (MAX_NODES - 1) + ": " + backupCount);
        }
        this.buckets = buckets;
        this.backupCount = backupCount;
        this.members = members & 0xFFFF;
        this.eligible = eligible & this.members;
        this.generation = generation;
        this.desired = desired != null ? desired : rankDesired(buckets, this.eligible != 0 ? this.eligible : this.members);
        this.owner = owner != null ? owner.clone() : this.desired.clone();
        this.backups = new short[buckets];
        for (int b = 0; b < buckets; b++) {
            backups[b] = (short) backupsFor(b, this.owner[b], this.desired[b]);
        }
    }

    private static byte[] rankDesired(int buckets, int candidates) {
        byte[] desired = new byte[buckets];
        for (int b = 0; b < buckets; b++) {
            desired[b] = (byte) Rendezvous.top(b, candidates);
        }
        return desired;
    }

    /** Every bucket owned by its desired owner. */
    public static BucketMap balanced(int buckets, int backupCount, int members, int eligible, long generation) {
        return new BucketMap(buckets, backupCount, members, eligible, generation, null, null);
    }

    /** The same members and eligible nodes with other owners: the desired owners are not ranked again. */
    BucketMap withOwners(byte[] owners, long nextGeneration) {
        if (owners.length != buckets) {
            throw new IllegalArgumentException("owners for " + owners.length + " buckets, map has " + buckets);
        }
        return new BucketMap(buckets, backupCount, members, eligible, nextGeneration, owners, desired);
    }

    private int backupsFor(int bucket, int own, int want) {
        if (own == NONE) {
            return 0;
        }
        int mask = 0;
        int left = backupCount;
        if (want != own && want != NONE && left > 0) {
            mask |= 1 << want;
            left--;
        }
        int rest = members & ~(1 << own) & ~mask;
        while (left > 0 && rest != 0) {
            int next = Rendezvous.top(bucket, rest);
            mask |= 1 << next;
            rest &= ~(1 << next);
            left--;
        }
        return mask;
    }

    public int buckets() { return buckets; }
    public int backupCount() { return backupCount; }
    /** The ring members the map was computed for. */
    public int members() { return members; }
    /** The members that may own buckets (hold VIPs, not closed or joining); 0 means every member. */
    public int eligible() { return eligible; }
    /** Grows by one with every change of an owner (not with changes that only re-derive the same map). */
    public long generation() { return generation; }
    public int ownerOf(int bucket) { return owner[bucket]; }
    public int desiredOwnerOf(int bucket) { return desired[bucket]; }
    /** Node mask of the bucket's backups. */
    public int backupsOf(int bucket) { return backups[bucket] & 0xFFFF; }
    /** Node mask of every node that holds the bucket's flows: its owner and its backups. */
    public int holdersOf(int bucket) {
        int own = owner[bucket];
        return backupsOf(bucket) | (own == NONE ? 0 : 1 << own);
    }

    public int bucketOf(int symmetricHash) {
        return Integer.remainderUnsigned(symmetricHash, buckets);
    }

    /** How many buckets {@code node} owns. */
    public int ownedBy(int node) {
        int n = 0;
        for (byte o : owner) {
            n += o == node ? 1 : 0;
        }
        return n;
    }

    byte[] owners() {
        return owner.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketMap m && m.buckets == buckets && m.backupCount == backupCount && m.members == members
                && m.eligible == eligible && m.generation == generation && Arrays.equals(m.owner, owner);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(owner) * 31 + Long.hashCode(generation);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("BucketMap[gen=" + generation + " buckets=" + buckets + " owned=");
        for (int n = 0; n < MAX_NODES; n++) {
            int c = ownedBy(n);
            if (c > 0) {
                b.append(n).append(':').append(c).append(' ');
            }
        }
        return b.append(']').toString();
    }
}
