package io.ringwall.app.mgmt;

import io.ringwall.node.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link NodeStatus} for people ({@code ringwall status}, {@code ringwall vips}). */
public final class StatusReport {
    private static final double NANOS_PER_MS = 1_000_000.0;

    private StatusReport() {
    }

    /** The whole report: header, members, VIP table, per-node load, counters. */
    public static String render(NodeStatus s) {
        StringBuilder out = new StringBuilder();
        out.append("node ").append(s.node()).append(" (").append(s.mode()).append(")\n");
        out.append("ring epoch     ").append(s.epoch()).append('\n');
        out.append("quorum         ").append(s.quorate() ? "yes" : "NO").append('\n');
        out.append("token rotation ").append(s.tokenRotationNs() == 0 ? "unknown"
                : String.format(Locale.ROOT, "%.1f ms", s.tokenRotationNs() / NANOS_PER_MS)).append('\n');
        out.append("members (").append(s.members().size()).append(")    ").append(String.join(", ", s.members()))
                .append('\n');
        if (!s.up().isEmpty()) {
            out.append("up since       ").append(NodeStatus.Up.text(s.up())).append('\n');
        }
        out.append('\n');
        for (NodeStatus.ConfigMismatch m : s.configMismatches()) {
            out.append("CONFIG MISMATCH: node ").append(m.node()).append(" has config digest ").append(m.theirDigest())
                    .append(", this node ").append(m.ourDigest()).append('\n');
        }
        if (!s.configMismatches().isEmpty()) {
            out.append('\n');
        }
        out.append(vipTable(s)).append('\n');
        List<List<String>> loads = new ArrayList<>();
        loads.add(List.of("NODE", "BYTES/S", "PACKETS/S", "FLOWS"));
        for (NodeStatus.Load l : s.loads()) {
            loads.add(List.of(l.node(), Long.toString(l.bytesPerSecond()), Long.toString(l.packetsPerSecond()),
                    Long.toString(l.flows())));
        }
        out.append(s.loads().isEmpty() ? "no load reports yet\n" : table(loads)).append('\n');
        NodeStatus.Counters c = s.counters();
        out.append("counters (").append(s.node()).append(")  frames in ").append(c.framesIn())
                .append(", frames out ").append(c.framesOut()).append(", forwarded ").append(c.forwarded())
                .append(", dropped ").append(c.dropped()).append(", flows ").append(c.flows())
                .append(", ARP requests ").append(c.arpRequests())
                .append(", neighbours from peers ").append(c.neighboursFromPeers()).append('\n');
        out.append(DiagnosticsReport.render(s.node(), s.diagnostics()));
        out.append(buckets(s));
        NodeStatus.Defer d = s.defer();
        if (d.deferred() + d.releasedUnsynced() > 0) { // only nodes with `sync strict` rules defer anything
            out.append("defer (").append(s.node()).append(")  deferred ").append(d.deferred())
                    .append(", released by ack ").append(d.releasedByAck())
                    .append(", by timeout ").append(d.releasedByTimeout())
                    .append(", unsynced (queue full) ").append(d.releasedUnsynced())
                    .append(", held ").append(d.held()).append('\n');
        }
        return out.toString();
    }

    /** The bucket map's owners and this node's bucket counters; nothing before the first map. */
    static String buckets(NodeStatus s) {
        NodeStatus.Buckets b = s.buckets();
        if (b.generation() == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder("buckets        ").append(b.buckets()).append(" (map generation ")
                .append(b.generation()).append(", ").append(b.backupCount())
                .append(b.backupCount() == 1 ? " backup" : " backups").append(" each), owned:");
        List<String> behind = new ArrayList<>();
        for (NodeStatus.Owned o : b.owners()) {
            out.append(' ').append(o.node()).append(' ').append(o.buckets());
            if (o.buckets() > 0 && o.replicated() < b.generation()) {
                behind.add(o.node());
            }
        }
        out.append("\nredundancy     ").append(b.redundant() ? "restored (every bucket has its backups)"
                : "RE-REPLICATING (" + String.join(", ", behind) + " still copying flows to new backups)");
        return out.append('\n').append("buckets (").append(s.node()).append(")  passed on ").append(b.passedOn())
                .append(", owner unreachable ").append(b.ownerUnresolved()).append(", loops avoided ")
                .append(b.loopsAvoided()).append(", promoted ").append(b.promoted()).append(", handed over ")
                .append(b.handedOver()).append(", forwarded on replica ").append(b.forwardedOnReplica()).append('\n')
                .append(encapsulation(s.node(), b.encapsulation())).toString();
    }

    /** The encapsulation line, only once a frame has travelled (or failed to) over the cluster link. */
    private static String encapsulation(String node, NodeStatus.Encapsulation e) {
        if (e.equals(NodeStatus.Encapsulation.NONE)) {
            return "";
        }
        return "encapsulated (" + node + ")  sent " + e.sent() + ", received " + e.received() + ", parts dropped "
                + e.partsDropped() + ", incomplete " + e.incomplete() + ", too large " + e.tooLarge() + "\n";
    }

    /** The VIP table alone. */
    public static String vipTable(NodeStatus s) {
        if (s.vips().isEmpty()) {
            return "no VIPs configured\n";
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("VIP", "INTERFACE", "CURRENT", "PREFERRED", "FLAG"));
        for (NodeStatus.Vip v : s.vips()) {
            rows.add(List.of(v.vip(), v.itf(), v.current(), v.preferred(), flag(v.flag())));
        }
        return table(rows);
    }

    /** Seed 003's persistence flag in words. */
    static String flag(int flag) {
        return switch (flag) {
            case 0 -> "0 free";
            case 1 -> "1 stays on current";
            case 3 -> "3 returns to preferred";
            default -> Integer.toString(flag);
        };
    }

    /** Left-aligned columns two spaces apart; the last column is not padded. */
    static String table(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                out.append(row.get(i));
                if (i < columns - 1) {
                    out.append(" ".repeat(width[i] - row.get(i).length() + 2));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
