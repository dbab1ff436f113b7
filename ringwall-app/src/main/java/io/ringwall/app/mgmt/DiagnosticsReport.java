package io.ringwall.app.mgmt;

import io.ringwall.node.NodeDiagnostics;
import io.ringwall.node.SyncStats;
import java.util.ArrayList;
import java.util.List;

/** The conntrack, cluster-channel and sync lines of {@code ringwall status}. */
final class DiagnosticsReport {
    private DiagnosticsReport() {
    }

    static String render(String node, NodeDiagnostics d) {
        NodeDiagnostics.Conntrack c = d.conntrack();
        StringBuilder out = new StringBuilder();
        out.append("conntrack (").append(node).append(")  active ").append(c.active()).append(", standby ")
                .append(c.standby()).append(", created ").append(c.created()).append(", expired ").append(c.expired())
                .append(", deleted ").append(c.deleted()).append(", invalid ").append(c.invalid()).append(" (no flow ")
                .append(c.invalidNoFlow()).append(", out of window ").append(c.invalidOutOfWindow())
                .append(", bad transition ").append(c.invalidBadTransition()).append("), early dropped ")
                .append(c.earlyDropped()).append(", insert failed ").append(c.insertFailed()).append('\n');
        NodeDiagnostics.Channel ch = d.channel();
        if (ch.packetsSent() + ch.packetsReceived() == 0) { // a stand-alone node has no cluster channel
            return out.toString();
        }
        out.append("replicas (").append(node).append(")  imported ").append(c.replicasImported()).append(", stale ")
                .append(c.replicasStale()).append(", deleted by peers ").append(c.replicasDeleted())
                .append(", malformed ").append(c.replicasMalformed()).append(", refused (store full) ")
                .append(c.replicasRefusedFull()).append(", transfers failed (store full) ")
                .append(c.transferFailedFull()).append('\n');
        List<String> reasons = new ArrayList<>();
        ch.dropped().forEach((reason, n) -> {
            if (n > 0) {
                reasons.add(reason + ' ' + n);
            }
        });
        out.append("cluster channel (").append(node).append(")  packets sent ").append(ch.packetsSent())
                .append(", received ").append(ch.packetsReceived()).append(", resent ").append(ch.retransmissions())
                .append(", messages failed ").append(ch.messagesFailed()).append(", dropped ").append(ch.droppedTotal())
                .append(reasons.isEmpty() ? "" : " (" + String.join(", ", reasons) + ")")
                .append(", members removed ").append(ch.membersRemoved()).append(", token regenerations ")
                .append(ch.regenerations()).append('\n');
        appendEvent(out, "last removal", node, ch.lastRemoval());
        appendEvent(out, "last regeneration", node, ch.lastRegeneration());
        NodeDiagnostics.Sync s = d.sync();
        SyncStats.BulkCauses b = s.bulkCauses();
        out.append("sync (").append(node).append(")  records sent ").append(s.recordsSent()).append(" in ")
                .append(s.batchesSent()).append(" batches, deletes sent ").append(s.deletesSent())
                .append(", records imported ").append(s.recordsImported()).append(", bulk transfers ")
                .append(b.total()).append(" (joined ").append(b.joined()).append(", new backup ").append(b.newBackup())
                .append(", overflow ").append(b.overflow()).append(", full sync ").append(b.fullSync())
                .append(", send failure ").append(b.sendFailure()).append(")\n");
        return out.toString();
    }

    /** {@code last removal (gw1)  12.3 s ago: node=gw3 reason=…}; nothing when it never happened. */
    private static void appendEvent(StringBuilder out, String what, String node, NodeDiagnostics.Event e) {
        if (e.happened()) {
            out.append(what).append(" (").append(node).append(")  ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", e.ageMs() / 1000.0)).append(" s ago: ")
                    .append(e.description()).append('\n');
        }
    }
}
