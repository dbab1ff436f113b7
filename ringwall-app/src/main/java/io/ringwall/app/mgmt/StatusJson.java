package io.ringwall.app.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringwall.node.NodeStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of {@link NodeStatus} for {@code GET /v1/status}. Field names are written out here, not
 * derived from record components, so renaming Java code cannot silently change the API (docs/management.md).
 */
public final class StatusJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double NANOS_PER_MS = 1_000_000.0;

    private StatusJson() {
    }

    public static ObjectNode toJson(NodeStatus s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("node", s.node());
        root.put("mode", s.mode());
        root.put("epoch", s.epoch());
        ArrayNode members = root.putArray("members");
        s.members().forEach(members::add);
        root.put("quorate", s.quorate());
        root.put("token_rotation_ms", s.tokenRotationNs() / NANOS_PER_MS);
        ArrayNode up = root.putArray("up_since");
        for (NodeStatus.Up u : s.up()) {
            up.addObject().put("node", u.node()).put("since", u.since());
        }
        ArrayNode vips = root.putArray("vips");
        for (NodeStatus.Vip v : s.vips()) {
            vips.addObject().put("vip", v.vip()).put("interface", v.itf()).put("current", v.current())
                    .put("preferred", v.preferred()).put("flag", v.flag());
        }
        ArrayNode loads = root.putArray("loads");
        for (NodeStatus.Load l : s.loads()) {
            loads.addObject().put("node", l.node()).put("bytes_per_second", l.bytesPerSecond())
                    .put("packets_per_second", l.packetsPerSecond()).put("flows", l.flows());
        }
        ArrayNode mismatches = root.putArray("config_mismatches");
        for (NodeStatus.ConfigMismatch m : s.configMismatches()) {
            mismatches.addObject().put("node", m.node()).put("their_digest", m.theirDigest())
                    .put("our_digest", m.ourDigest());
        }
        NodeStatus.Counters c = s.counters();
        root.putObject("counters").put("frames_in", c.framesIn()).put("frames_out", c.framesOut())
                .put("forwarded", c.forwarded()).put("dropped", c.dropped()).put("flows", c.flows())
                .put("arp_requests", c.arpRequests()).put("neighbours_from_peers", c.neighboursFromPeers());
        NodeStatus.Defer d = s.defer();
        root.putObject("defer").put("deferred", d.deferred()).put("released_by_ack", d.releasedByAck())
                .put("released_by_timeout", d.releasedByTimeout()).put("released_unsynced", d.releasedUnsynced())
                .put("held", d.held());
        NodeStatus.Buckets b = s.buckets();
        ObjectNode buckets = root.putObject("buckets").put("generation", b.generation()).put("buckets", b.buckets())
                .put("backup_count", b.backupCount());
        ArrayNode owners = buckets.putArray("owners");
        for (NodeStatus.Owned o : b.owners()) {
            owners.addObject().put("node", o.node()).put("owned", o.buckets()).put("replicated_generation", o.replicated());
        }
        buckets.put("redundant", b.redundant()).put("passed_on", b.passedOn()).put("owner_unresolved", b.ownerUnresolved())
                .put("loops_avoided", b.loopsAvoided()).put("promoted", b.promoted()).put("handed_over", b.handedOver())
                .put("forwarded_on_replica", b.forwardedOnReplica());
        NodeStatus.Encapsulation e = b.encapsulation();
        buckets.putObject("encapsulated").put("sent", e.sent()).put("received", e.received())
                .put("parts_dropped", e.partsDropped()).put("incomplete", e.incomplete()).put("too_large", e.tooLarge());
        DiagnosticsJson.write(root, s.diagnostics());
        return root;
    }

    /** Reads what {@link #toJson} wrote; missing fields become "?" or 0 so a newer or older node still renders. */
    public static NodeStatus fromJson(JsonNode root) {
        List<String> members = new ArrayList<>();
        root.path("members").forEach(m -> members.add(m.asText()));
        List<NodeStatus.Vip> vips = new ArrayList<>();
        for (JsonNode v : root.path("vips")) {
            vips.add(new NodeStatus.Vip(text(v, "vip"), text(v, "interface"), text(v, "current"),
                    text(v, "preferred"), v.path("flag").asInt()));
        }
        List<NodeStatus.Load> loads = new ArrayList<>();
        for (JsonNode l : root.path("loads")) {
            loads.add(new NodeStatus.Load(text(l, "node"), l.path("bytes_per_second").asLong(),
                    l.path("packets_per_second").asLong(), l.path("flows").asLong()));
        }
        List<NodeStatus.Up> up = new ArrayList<>();
        for (JsonNode u : root.path("up_since")) {
            up.add(new NodeStatus.Up(text(u, "node"), text(u, "since")));
        }
        List<NodeStatus.ConfigMismatch> mismatches = new ArrayList<>();
        for (JsonNode m : root.path("config_mismatches")) {
            mismatches.add(new NodeStatus.ConfigMismatch(text(m, "node"), text(m, "their_digest"), text(m, "our_digest")));
        }
        JsonNode c = root.path("counters");
        NodeStatus.Counters counters = new NodeStatus.Counters(c.path("frames_in").asLong(),
                c.path("frames_out").asLong(), c.path("forwarded").asLong(), c.path("dropped").asLong(),
                c.path("flows").asLong(), c.path("arp_requests").asLong(), c.path("neighbours_from_peers").asLong());
        JsonNode d = root.path("defer");
        NodeStatus.Defer defer = new NodeStatus.Defer(d.path("deferred").asLong(), d.path("released_by_ack").asLong(),
                d.path("released_by_timeout").asLong(), d.path("released_unsynced").asLong(), d.path("held").asInt());
        return new NodeStatus(text(root, "node"), text(root, "mode"), root.path("epoch").asLong(), members,
                root.path("quorate").asBoolean(), Math.round(root.path("token_rotation_ms").asDouble() * NANOS_PER_MS),
                vips, loads, counters, defer, mismatches, buckets(root.path("buckets")), up,
                DiagnosticsJson.read(root));
    }

    private static NodeStatus.Buckets buckets(JsonNode b) {
        List<NodeStatus.Owned> owners = new ArrayList<>();
        for (JsonNode o : b.path("owners")) {
            owners.add(new NodeStatus.Owned(text(o, "node"), o.path("owned").asInt(),
                    o.path("replicated_generation").asLong(-1)));
        }
        return new NodeStatus.Buckets(b.path("generation").asLong(), b.path("buckets").asInt(),
                b.path("backup_count").asInt(), owners, b.path("passed_on").asLong(),
                b.path("owner_unresolved").asLong(), b.path("loops_avoided").asLong(), b.path("promoted").asLong(),
                b.path("handed_over").asLong(), b.path("forwarded_on_replica").asLong(),
                encapsulation(b.path("encapsulated")));
    }

    private static NodeStatus.Encapsulation encapsulation(JsonNode e) {
        return new NodeStatus.Encapsulation(e.path("sent").asLong(), e.path("received").asLong(),
                e.path("parts_dropped").asLong(), e.path("incomplete").asLong(), e.path("too_large").asLong());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "?" : v.asText();
    }
}
