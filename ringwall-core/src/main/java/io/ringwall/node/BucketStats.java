package io.ringwall.node;

/**
 * One node's view of the flow buckets (SPEC §5.1, §5.2); zeros in alone mode or before the first map.
 *
 * @param generation       the installed bucket map's generation (0: none yet)
 * @param buckets          buckets in the map
 * @param owned            buckets this node owns (handles)
 * @param backupCount      backups per bucket
 * @param redirected       frames passed to their bucket's owner on the segment they arrived on
 * @param ownerUnresolved  frames handled here because the owner could be reached neither on their segment (no
 *                         address there, MAC not known yet, segment down) nor over the cluster link
 * @param loopsAvoided     frames another member passed here for a bucket this node thinks a third node owns
 * @param promoted         replicas made active because this node gained their bucket
 * @param demoted          active flows handed over (kept as replicas) because this node lost their bucket
 * @param encapsulation    frames that went to (or came from) their bucket's owner over the cluster link instead
 */
public record BucketStats(long generation, int buckets, int owned, int backupCount, long redirected,
                          long ownerUnresolved, long loopsAvoided, long promoted, long demoted,
                          NodeStatus.Encapsulation encapsulation) {
    public static final BucketStats NONE = new BucketStats(0, 0, 0, 0, 0, 0, 0, 0, 0, NodeStatus.Encapsulation.NONE);
}
