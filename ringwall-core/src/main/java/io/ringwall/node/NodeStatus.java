package io.ringwall.node;

import java.util.List;

/**
 * A snapshot of what one node knows about the whole cluster (taken on the node's own thread, immutable,
 * safe to hand to other threads). Addresses are dotted-quad strings here: this is for people and JSON.
 *
 * @param mode              "alone", "member", "joining", "no-quorum" or "closed"
 * @param tokenRotationNs   time of the last full token rotation (0 if unknown)
 * @param defer             this node's defer queue counters (SPEC §5.6; zeros without {@code sync strict} rules)
 * @param configMismatches  ring members whose configuration digest differs from this node's (node-info carriage)
 * @param buckets           the flow-bucket map as this node has it and this node's bucket counters (SPEC §5.1)
 * @param up                how long each ring member has run, as the "up since" carriage has it (empty: not known)
 * @param diagnostics       this node's conntrack, cluster-channel and replication counters
 */
public record NodeStatus(String node, String mode, long epoch, List<String> members, boolean quorate,
                         long tokenRotationNs, List<Vip> vips, List<Load> loads, Counters counters, Defer defer,
                         List<ConfigMismatch> configMismatches, Buckets buckets, List<Up> up,
                         NodeDiagnostics diagnostics) {
    public NodeStatus {
        members = List.copyOf(members);
        vips = List.copyOf(vips);
        loads = List.copyOf(loads);
        configMismatches = List.copyOf(configMismatches);
        up = List.copyOf(up);
    }

    /** Without diagnostics (older callers, tests of other parts). */
    public NodeStatus(String node, String mode, long epoch, List<String> members, boolean quorate,
                      long tokenRotationNs, List<Vip> vips, List<Load> loads, Counters counters, Defer defer,
                      List<ConfigMismatch> configMismatches, Buckets buckets, List<Up> up) {
        this(node, mode, epoch, members, quorate, tokenRotationNs, vips, loads, counters, defer, configMismatches,
                buckets, up, NodeDiagnostics.NONE);
    }

    /** Without the members' up-since order (stand-alone nodes, older callers). */
    public NodeStatus(String node, String mode, long epoch, List<String> members, boolean quorate,
                      long tokenRotationNs, List<Vip> vips, List<Load> loads, Counters counters, Defer defer,
                      List<ConfigMismatch> configMismatches, Buckets buckets) {
        this(node, mode, epoch, members, quorate, tokenRotationNs, vips, loads, counters, defer, configMismatches,
                buckets, List.of());
    }

    /**
     * How long a ring member has run (docs/vips.md, "up since"): {@code "seasoned"} once it has run its
     * {@code fresh_node_s}, {@code "fresh since token N"} before (N: the token sequence of its first visit in a ring
     * with other members; a lower N has run longer), {@code "unknown"} until it has written its entry. A VIP that must
     * move goes to the node up longest among equally loaded ones.
     */
    public record Up(String node, String since) {
        /** {@code "gw2 fresh since token 1234"}: how log lines and the status report write it. */
        public String text() {
            return node + ' ' + since;
        }

        /** {@code "gw1 seasoned, gw2 fresh since token 1234"}. */
        public static String text(List<Up> up) {
            return String.join(", ", up.stream().map(Up::text).toList());
        }
    }


    /** A member running another configuration: its digest and this node's (hex). */
    public record ConfigMismatch(String node, String theirDigest, String ourDigest) {
    }

    /** Without defer counters or a configuration report (stand-alone nodes, older callers). */
    public NodeStatus(String node, String mode, long epoch, List<String> members, boolean quorate,
                      long tokenRotationNs, List<Vip> vips, List<Load> loads, Counters counters) {
        this(node, mode, epoch, members, quorate, tokenRotationNs, vips, loads, counters, Defer.NONE, List.of());
    }

    /** Without a bucket map (stand-alone nodes, nodes before their first map, older callers). */
    public NodeStatus(String node, String mode, long epoch, List<String> members, boolean quorate,
                      long tokenRotationNs, List<Vip> vips, List<Load> loads, Counters counters, Defer defer,
                      List<ConfigMismatch> configMismatches) {
        this(node, mode, epoch, members, quorate, tokenRotationNs, vips, loads, counters, defer, configMismatches,
                Buckets.NONE);
    }

    /**
     * The installed bucket map (generation 0: none yet) with how many buckets each member owns and how far its
     * re-replication has got, and this node's counters: frames passed on to their bucket's owner, frames handled
     * here because the owner could not be reached, frames not passed on again (loop guard), replicas promoted,
     * active flows handed over, frames of another member's bucket let through on this node's replica of their flow
     * (a hand-over's moment, {@code Conntrack.classifyNotOwned}), and frames encapsulated over the cluster link.
     */
    public record Buckets(long generation, int buckets, int backupCount, List<Owned> owners, long passedOn,
                          long ownerUnresolved, long loopsAvoided, long promoted, long handedOver,
                          long forwardedOnReplica, Encapsulation encapsulation) {
        public static final Buckets NONE = new Buckets(0, 0, 0, List.of(), 0, 0, 0, 0, 0, 0, Encapsulation.NONE);

        public Buckets {
            owners = List.copyOf(owners);
        }

        /**
         * Whether every bucket has its backups again: each member that owns buckets has reported its
         * re-replication for this map generation finished (false before the first map).
         */
        public boolean redundant() {
            return generation > 0 && owners.stream().allMatch(o -> o.buckets() == 0 || o.replicated() >= generation);
        }
    }

    /**
     * Frames that travelled to their bucket's owner encapsulated over the cluster link because it could not be
     * reached on their segment (SPEC §5.1 fallback): {@code sent} by this node, {@code received} here whole and
     * processed, parts dropped here (malformed, duplicate, no slot), frames given up {@code incomplete}, and frames
     * {@code tooLarge} to encapsulate (handled by this node instead).
     */
    public record Encapsulation(long sent, long received, long partsDropped, long incomplete, long tooLarge) {
        public static final Encapsulation NONE = new Encapsulation(0, 0, 0, 0, 0);
    }

    /**
     * How many buckets one member owns, and the map generation whose re-replication it reported finished (-1: no
     * report yet).
     */
    public record Owned(String node, int buckets, long replicated) {
    }

    /**
     * First packets of {@code sync strict} flows held until every peer acknowledged the flow: how many, how they
     * left (acknowledged, timed out), how many were forwarded at once because the queue was full, and how many
     * are held now.
     */
    public record Defer(long deferred, long releasedByAck, long releasedByTimeout, long releasedUnsynced, int held) {
        public static final Defer NONE = new Defer(0, 0, 0, 0, 0);
    }

    /** A VIP table row (seed 003): flag 0 free, 1 sticky to its current host, 3 sticky to its preferred host. */
    public record Vip(String vip, String itf, String current, String preferred, int flag) {
    }

    /** Per-node load as carried on the train. */
    public record Load(String node, long bytesPerSecond, long packetsPerSecond, long flows) {
    }

    /**
     * This node's data-plane counters; {@code arpRequests}: requests it sent to resolve next hops,
     * {@code neighboursFromPeers}: next hops it learned from other members' shared neighbour tables.
     */
    public record Counters(long framesIn, long framesOut, long forwarded, long dropped, long flows, long arpRequests,
                           long neighboursFromPeers) {
    }
}
