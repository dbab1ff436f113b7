package io.ringwall.node;

import io.ringwall.conntrack.ConntrackCounters;
import io.ringwall.messaging.DropReason;
import io.ringwall.messaging.MessagingCounters;
import io.ringwall.ring.RingCounters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What this node refused, dropped or repaired, for an operator who asks why (docs/management.md): its connection
 * tracking, its cluster channel and its flow replication. Taken on the node's thread with {@link NodeStatus}.
 */
public record NodeDiagnostics(Conntrack conntrack, Channel channel, Sync sync) {
    public static final NodeDiagnostics NONE = new NodeDiagnostics(Conntrack.NONE, Channel.NONE, Sync.NONE);

    /**
     * Connection tracking: flows in each store, and what happened to them. {@code invalid*}: packets that matched no
     * flow and may not start one, fell outside the tracked TCP window, or carried flags impossible in the flow's
     * state. {@code replicas*}: peers' records stored, ignored as not newer, deleted by a peer, undecodable, refused
     * because the standby store was full. {@code transferFailedFull}: promotions or demotions that found the other
     * store full.
     */
    public record Conntrack(int active, int standby, long created, long deleted, long expired, long earlyDropped,
                            long insertFailed, long invalidNoFlow, long invalidOutOfWindow, long invalidBadTransition,
                            long replicasImported, long replicasStale, long replicasDeleted, long replicasMalformed,
                            long replicasRefusedFull, long transferFailedFull) {
        public static final Conntrack NONE = new Conntrack(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        public static Conntrack of(ConntrackCounters c) {
            return new Conntrack(c.activeCount(), c.standbyCount(), c.created(), c.deleted(), c.expired(),
                    c.earlyDropped(), c.insertFailed(), c.invalidNoFlow(), c.invalidOutOfWindow(),
                    c.invalidBadTransition(), c.replicasImported(), c.replicasStale(), c.replicasDeleted(),
                    c.replicasMalformed(), c.replicasRefusedFull(), c.transferFailedFull());
        }

        public long invalid() {
            return invalidNoFlow + invalidOutOfWindow + invalidBadTransition;
        }
    }

    /**
     * The sealed cluster channel (SPEC §6) and the ring on it: packets sent and received, fragments resent, messages
     * given up after their last try, due resends held back because the peer had acked nothing since, the largest
     * current retransmission timeout towards any peer, packets dropped by reason (every {@link DropReason}, lower
     * case: {@code bad_tag} is another key or tampering, {@code replayed} a copy or a replay, {@code unknown_sender}
     * a node not in the map), and ring events: token ack timeouts that removed a member, token regenerations, 911s
     * sent, ring messages dropped as malformed; and the last removal and regeneration this node made, with their
     * reasons as its log gives them ({@code ring-removed}, {@code ring-regenerated}) and how long ago ({@link
     * Event#NONE}: never).
     */
    public record Channel(long packetsSent, long packetsReceived, long retransmissions, long messagesFailed,
                          long retransmissionsHeld, long maxRtoNs, Map<String, Long> dropped, long membersRemoved,
                          long regenerations, long nineOneOnesSent, long ringMalformed, Event lastRemoval,
                          Event lastRegeneration) {
        public static final Channel NONE = new Channel(0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, Event.NONE, Event.NONE);

        public Channel {
            dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
        }

        public static Channel of(MessagingCounters m, long maxRtoNs, RingCounters r, Event lastRemoval,
                                 Event lastRegeneration) {
            Map<String, Long> dropped = new LinkedHashMap<>();
            for (DropReason reason : DropReason.values()) {
                dropped.put(reasonName(reason), m.dropped(reason));
            }
            return new Channel(m.packetsSent(), m.packetsReceived(), m.retransmissions(), m.messagesFailed(),
                    m.retransmissionsHeld(), maxRtoNs, dropped, r.membersRemoved(), r.regenerations(),
                    r.nineOneOnesSent(), r.malformed(), lastRemoval, lastRegeneration);
        }

        /** {@code BAD_TAG} → {@code bad_tag}: the name in the status JSON. */
        public static String reasonName(DropReason reason) {
            return reason.name().toLowerCase(Locale.ROOT);
        }

        public long droppedTotal() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * A ring event this node caused, as its log line describes it, and how long before the snapshot it happened.
     *
     * @param description the log line's text; empty: never happened
     * @param ageMs       milliseconds before the snapshot (-1: never happened)
     */
    public record Event(String description, long ageMs) {
        public static final Event NONE = new Event("", -1);

        public Event {
            if (description == null) {
                throw new IllegalArgumentException("description is required (empty: never)");
            }
        }

        public boolean happened() {
            return ageMs >= 0;
        }
    }

    /**
     * Flow replication: records, batches and deletion records sent, records imported from peers, data fragments
     * received again (a resend whose first copy had arrived), and bulk transfers by cause. The message layer's own
     * totals are in {@link Channel}.
     */
    public record Sync(long recordsSent, long batchesSent, long deletesSent, long recordsImported,
                       long duplicateFragments, SyncStats.BulkCauses bulkCauses) {
        public static final Sync NONE = new Sync(0, 0, 0, 0, 0, SyncStats.BulkCauses.NONE);

        public static Sync of(SyncStats s) {
            return new Sync(s.recordsSent(), s.batchesSent(), s.deletesSent(), s.recordsImported(),
                    s.duplicateFragments(), s.bulkCauses());
        }
    }
}
