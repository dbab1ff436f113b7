package io.ringwall.app.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringwall.node.NodeDiagnostics;
import io.ringwall.node.SyncStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code conntrack}, {@code cluster_channel} and {@code sync} objects of {@code GET /v1/status}
 * (docs/management.md). Field names are written out, as in {@link StatusJson}.
 */
final class DiagnosticsJson {
    private static final double NANOS_PER_MS = 1_000_000.0;

    private DiagnosticsJson() {
    }

    static void write(ObjectNode root, NodeDiagnostics d) {
        NodeDiagnostics.Conntrack c = d.conntrack();
        ObjectNode ct = root.putObject("conntrack").put("active", c.active()).put("standby", c.standby())
                .put("created", c.created()).put("deleted", c.deleted()).put("expired", c.expired())
                .put("early_dropped", c.earlyDropped()).put("insert_failed", c.insertFailed());
        ct.putObject("invalid").put("no_flow", c.invalidNoFlow()).put("out_of_window", c.invalidOutOfWindow())
                .put("bad_transition", c.invalidBadTransition());
        ct.putObject("replicas").put("imported", c.replicasImported()).put("stale", c.replicasStale())
                .put("deleted", c.replicasDeleted()).put("malformed", c.replicasMalformed())
                .put("refused_full", c.replicasRefusedFull());
        ct.put("transfer_failed_full", c.transferFailedFull());

        NodeDiagnostics.Channel ch = d.channel();
        ObjectNode channel = root.putObject("cluster_channel").put("packets_sent", ch.packetsSent())
                .put("packets_received", ch.packetsReceived()).put("retransmissions", ch.retransmissions())
                .put("messages_failed", ch.messagesFailed()).put("retransmissions_held", ch.retransmissionsHeld())
                .put("max_rto_ms", ch.maxRtoNs() / NANOS_PER_MS);
        ObjectNode dropped = channel.putObject("dropped");
        ch.dropped().forEach(dropped::put);
        ObjectNode ring = channel.putObject("ring").put("members_removed", ch.membersRemoved())
                .put("regenerations", ch.regenerations()).put("nine_one_ones_sent", ch.nineOneOnesSent())
                .put("malformed", ch.ringMalformed());
        writeEvent(ring, "last_removal", ch.lastRemoval());
        writeEvent(ring, "last_regeneration", ch.lastRegeneration());

        NodeDiagnostics.Sync s = d.sync();
        ObjectNode sync = root.putObject("sync").put("records_sent", s.recordsSent()).put("batches_sent", s.batchesSent())
                .put("deletes_sent", s.deletesSent()).put("records_imported", s.recordsImported())
                .put("duplicate_fragments", s.duplicateFragments());
        SyncStats.BulkCauses b = s.bulkCauses();
        sync.putObject("bulk_transfers").put("joined", b.joined()).put("new_backup", b.newBackup())
                .put("overflow", b.overflow()).put("full_sync", b.fullSync()).put("send_failure", b.sendFailure());
    }

    /** {@code null} when it never happened, else {@code {"reason": …, "age_ms": …}}. */
    private static void writeEvent(ObjectNode parent, String name, NodeDiagnostics.Event e) {
        if (e.happened()) {
            parent.putObject(name).put("reason", e.description()).put("age_ms", e.ageMs());
        } else {
            parent.putNull(name);
        }
    }

    private static NodeDiagnostics.Event readEvent(JsonNode e) {
        return e.isObject() ? new NodeDiagnostics.Event(e.path("reason").asText(), e.path("age_ms").asLong())
                : NodeDiagnostics.Event.NONE;
    }

    /** Reads what {@link #write} wrote; missing objects read as zeros (an older node). */
    static NodeDiagnostics read(JsonNode root) {
        JsonNode c = root.path("conntrack");
        JsonNode inv = c.path("invalid");
        JsonNode rep = c.path("replicas");
        var conntrack = new NodeDiagnostics.Conntrack(c.path("active").asInt(), c.path("standby").asInt(),
                c.path("created").asLong(), c.path("deleted").asLong(), c.path("expired").asLong(),
                c.path("early_dropped").asLong(), c.path("insert_failed").asLong(), inv.path("no_flow").asLong(),
                inv.path("out_of_window").asLong(), inv.path("bad_transition").asLong(), rep.path("imported").asLong(),
                rep.path("stale").asLong(), rep.path("deleted").asLong(), rep.path("malformed").asLong(),
                rep.path("refused_full").asLong(), c.path("transfer_failed_full").asLong());

        JsonNode ch = root.path("cluster_channel");
        Map<String, Long> dropped = new LinkedHashMap<>();
        ch.path("dropped").fields().forEachRemaining(e -> dropped.put(e.getKey(), e.getValue().asLong()));
        JsonNode ring = ch.path("ring");
        var channel = new NodeDiagnostics.Channel(ch.path("packets_sent").asLong(), ch.path("packets_received").asLong(),
                ch.path("retransmissions").asLong(), ch.path("messages_failed").asLong(),
                ch.path("retransmissions_held").asLong(), Math.round(ch.path("max_rto_ms").asDouble() * NANOS_PER_MS),
                dropped, ring.path("members_removed").asLong(), ring.path("regenerations").asLong(),
                ring.path("nine_one_ones_sent").asLong(), ring.path("malformed").asLong(),
                readEvent(ring.path("last_removal")), readEvent(ring.path("last_regeneration")));

        JsonNode s = root.path("sync");
        JsonNode b = s.path("bulk_transfers");
        var causes = new SyncStats.BulkCauses(b.path("joined").asLong(), b.path("new_backup").asLong(),
                b.path("overflow").asLong(), b.path("full_sync").asLong(), b.path("send_failure").asLong());
        var sync = new NodeDiagnostics.Sync(s.path("records_sent").asLong(), s.path("batches_sent").asLong(),
                s.path("deletes_sent").asLong(), s.path("records_imported").asLong(),
                s.path("duplicate_fragments").asLong(), causes);
        return new NodeDiagnostics(conntrack, channel, sync);
    }
}
