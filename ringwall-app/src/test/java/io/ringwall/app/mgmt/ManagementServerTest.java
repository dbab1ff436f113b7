package io.ringwall.app.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringwall.node.NodeCommand;
import io.ringwall.wire.Ipv4Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST layer over a fake node: JSON shape, command mapping, and every refusal with its status code. */
class ManagementServerTest {
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    private final FakeBackend backend = new FakeBackend();
    private final HttpClient http = HttpClient.newHttpClient();
    private ManagementServer server;

    @BeforeEach
    void start() throws Exception {
        server = ManagementServer.start(new InetSocketAddress("127.0.0.1", 0), backend, SHORT_TIMEOUT);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return StatusJson.MAPPER.readTree(r.body());
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void statusHasTheDocumentedFieldNames() throws Exception {
        HttpResponse<String> r = get("/v1/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode s = json(r);
        assertThat(fields(s)).containsExactly("node", "mode", "epoch", "members", "quorate", "token_rotation_ms",
                "up_since", "vips", "loads", "config_mismatches", "counters", "defer", "buckets", "conntrack",
                "cluster_channel", "sync");
        assertThat(fields(s.get("conntrack"))).containsExactly("active", "standby", "created", "deleted", "expired",
                "early_dropped", "insert_failed", "invalid", "replicas", "transfer_failed_full");
        assertThat(fields(s.get("conntrack").get("invalid"))).containsExactly("no_flow", "out_of_window",
                "bad_transition");
        assertThat(fields(s.get("conntrack").get("replicas"))).containsExactly("imported", "stale", "deleted",
                "malformed", "refused_full");
        assertThat(fields(s.get("cluster_channel"))).containsExactly("packets_sent", "packets_received",
                "retransmissions", "messages_failed", "retransmissions_held", "max_rto_ms", "dropped", "ring");
        assertThat(fields(s.get("cluster_channel").get("ring"))).containsExactly("members_removed", "regenerations",
                "nine_one_ones_sent", "malformed", "last_removal", "last_regeneration");
        assertThat(fields(s.get("sync"))).containsExactly("records_sent", "batches_sent", "deletes_sent",
                "records_imported", "duplicate_fragments", "bulk_transfers");
        assertThat(fields(s.get("sync").get("bulk_transfers"))).containsExactly("joined", "new_backup", "overflow",
                "full_sync", "send_failure");
        assertThat(fields(s.get("buckets"))).containsExactly("generation", "buckets", "backup_count", "owners",
                "redundant", "passed_on", "owner_unresolved", "loops_avoided", "promoted", "handed_over",
                "forwarded_on_replica", "encapsulated");
        assertThat(fields(s.get("buckets").get("encapsulated"))).containsExactly("sent", "received", "parts_dropped",
                "incomplete", "too_large");
        assertThat(fields(s.get("defer"))).containsExactly("deferred", "released_by_ack", "released_by_timeout",
                "released_unsynced", "held");
        assertThat(fields(s.get("vips").get(0))).containsExactly("vip", "interface", "current", "preferred", "flag");
        assertThat(fields(s.get("loads").get(0))).containsExactly("node", "bytes_per_second", "packets_per_second",
                "flows");
        assertThat(fields(s.get("counters"))).containsExactly("frames_in", "frames_out", "forwarded", "dropped",
                "flows", "arp_requests", "neighbours_from_peers");
        assertThat(s.get("epoch").asLong()).isEqualTo(42);
        assertThat(s.get("token_rotation_ms").asDouble()).isEqualTo(12.345678);
        assertThat(s.get("vips").get(0).get("preferred").asText()).isEqualTo("gw2");
        assertThat(s.get("loads").get(1).get("flows").asLong()).isEqualTo(4);
    }

    @Test
    void statusBeforeTheFirstSnapshotIsUnavailable() throws Exception {
        backend.status = null;
        HttpResponse<String> r = get("/v1/status");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).get("message").asText()).contains("not published");
    }

    @Test
    void commandEndpointsMapToTheirNodeCommands() throws Exception {
        assertThat(post("/v1/vips/10.1.0.1/move", "{\"node\":\"gw2\"}").statusCode()).isEqualTo(200);
        assertThat(post("/v1/vips/10.1.0.2/prefer", "{\"node\":\"gw3\"}").statusCode()).isEqualTo(200);
        assertThat(post("/v1/nodes/gw2/close", "").statusCode()).isEqualTo(200);
        assertThat(post("/v1/nodes/gw2/open", "").statusCode()).isEqualTo(200);
        assertThat(backend.submitted).containsExactly(
                new NodeCommand.MoveVip(Ipv4Address.parse("10.1.0.1"), "gw2"),
                new NodeCommand.PreferVip(Ipv4Address.parse("10.1.0.2"), "gw3"),
                new NodeCommand.Close("gw2"),
                new NodeCommand.Open("gw2"));
    }

    @Test
    void carriedOutCommandAnswersOkWithTheNodesMessage() throws Exception {
        JsonNode body = json(post("/v1/nodes/gw2/close", ""));
        assertThat(body.get("ok").asBoolean()).isTrue();
        assertThat(body.get("message").asText()).isEqualTo("done: Close[node=gw2]");
    }

    @Test
    void commandNotCarriedOutIsConflict() throws Exception {
        backend.answer = c -> CompletableFuture.completedFuture(new NodeCommand.Result(false, "gw9 is not a member"));
        HttpResponse<String> r = post("/v1/vips/10.1.0.1/move", "{\"node\":\"gw9\"}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(json(r).get("ok").asBoolean()).isFalse();
        assertThat(json(r).get("message").asText()).isEqualTo("gw9 is not a member");
    }

    @Test
    void badInputIsRejectedWithAMessageAndNeverReachesTheNode() throws Exception {
        assertBadRequest(post("/v1/vips/10.1.0.300/move", "{\"node\":\"gw2\"}"), "not a VIP address");
        assertBadRequest(post("/v1/vips/10.1.0.1/move", ""), "must name the target node");
        assertBadRequest(post("/v1/vips/10.1.0.1/move", "{\"node\":"), "not JSON");
        assertBadRequest(post("/v1/vips/10.1.0.1/move", "{\"node\":7}"), "as a string");
        assertBadRequest(post("/v1/vips/10.1.0.1/prefer", "{\"node\":\"gw 2\"}"), "invalid node name 'gw 2'");
        assertBadRequest(post("/v1/nodes/" + "x".repeat(65) + "/close", ""), "invalid node name");
        assertThat(backend.submitted).isEmpty();
    }

    private static void assertBadRequest(HttpResponse<String> r, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("ok").asBoolean()).isFalse();
        assertThat(json(r).get("message").asText()).contains(message);
    }

    @Test
    void busyNodeIsServiceUnavailable() throws Exception {
        backend.answer = c -> CompletableFuture.failedFuture(new RejectedExecutionException("busy: 64 commands waiting"));
        HttpResponse<String> r = post("/v1/nodes/gw2/open", "");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).get("message").asText()).contains("busy");
    }

    @Test
    void nodeThatDoesNotAnswerTimesOutWithAClearMessage() throws Exception {
        backend.answer = c -> new CompletableFuture<>();
        long start = System.nanoTime();
        HttpResponse<String> r = post("/v1/nodes/gw2/open", "");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(json(r).get("message").asText()).contains("did not answer within 300 ms");
        assertThat(tookMs).isGreaterThanOrEqualTo(SHORT_TIMEOUT.toMillis());
    }

    @Test
    void oversizedBodyIsRefused() throws Exception {
        HttpResponse<String> r = post("/v1/vips/10.1.0.1/move",
                "{\"node\":\"gw2\",\"pad\":\"" + "x".repeat(ManagementServer.MAX_BODY_BYTES) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(backend.submitted).isEmpty();
    }

    @Test
    void wrongMethodAndUnknownPathAreExplained() throws Exception {
        HttpResponse<String> wrong = get("/v1/nodes/gw2/close");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("POST");
        assertThat(post("/v1/status", "").statusCode()).isEqualTo(405);
        HttpResponse<String> unknown = get("/v1/flows");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("message").asText()).contains("no such endpoint");
        assertThat(backend.submitted).isEmpty();
    }
}
