package io.ringwall.node;

/**
 * One node's view of the flow buckets (SPEC §5.1, §5.2); zeros in alone mode or before the first map.
 *
 * @param generation       the installed bucket map's generation (0: none yet)
 * @param buckets          buckets in the map
 * @param owned            buckets this node owns (handles)
 * @param backupCount      backups per bucket
 * @param redirected       frames passed to their bucket's owner on the segment they arrived on
 * @param ownerUnresolved  frames handled here because the owner's MAC on that segment was not known yet
 * @param loopsAvoided     frames another member passed here for a bucket this node thinks a third node owns
 * @param promoted         replicas made active because this node gained their bucket
 * @param demoted          active flows handed over (kept as replicas) because this node lost their bucket
 */
public record BucketStats(long generation, int buckets, int owned, int backupCount, long redirected,
                          long ownerUnresolved, long loopsAvoided, long promoted, long demoted) {
    public static final BucketStats NONE = new BucketStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
