package io.ringwall.app.mgmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ringwall.node.NodeStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The CLI's side of the management API: one node's listener at {@code HOST:PORT}. */
public final class ManagementClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Longer than the server's command timeout, so the server's own timeout message reaches the user. */
    private static final Duration REQUEST_TIMEOUT = ManagementServer.COMMAND_TIMEOUT.plusSeconds(5);

    /** The answer to a command: the HTTP status and the node's {ok, message}. */
    public record Answer(int httpStatus, boolean ok, String message) {
    }

    /** The node could not be reached, or answered with something that is not the management API. */
    public static final class UnreachableException extends Exception {
        UnreachableException(String message) {
            super(message);
        }
    }

    private final HostPort node;
    private final HttpClient http;

    public ManagementClient(HostPort node) {
        this.node = node;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public NodeStatus status() throws UnreachableException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/status")).GET());
        JsonNode json = json(response);
        if (response.statusCode() != 200) {
            throw new UnreachableException("node " + node + " answered HTTP " + response.statusCode() + ": "
                    + json.path("message").asText("(no message)"));
        }
        return StatusJson.fromJson(json);
    }

    public Answer moveVip(String vip, String toNode) throws UnreachableException {
        return command("/v1/vips/" + vip + "/move", nodeBody(toNode));
    }

    public Answer preferVip(String vip, String toNode) throws UnreachableException {
        return command("/v1/vips/" + vip + "/prefer", nodeBody(toNode));
    }

    public Answer closeNode(String name) throws UnreachableException {
        return command("/v1/nodes/" + name + "/close", "");
    }

    public Answer openNode(String name) throws UnreachableException {
        return command("/v1/nodes/" + name + "/open", "");
    }

    private Answer command(String path, String body) throws UnreachableException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        JsonNode json = json(response);
        return new Answer(response.statusCode(), json.path("ok").asBoolean(false),
                json.path("message").asText("(no message)"));
    }

    private static String nodeBody(String name) {
        return StatusJson.MAPPER.createObjectNode().put("node", name).toString();
    }

    private URI uri(String path) throws UnreachableException {
        try {
            // The multi-argument constructor escapes what the user typed (a VIP or node name) into the path.
            return new URI("http", null, node.host(), node.port(), path, null, null);
        } catch (URISyntaxException e) {
            throw new UnreachableException("cannot form a request for " + path + ": " + e.getMessage());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws UnreachableException {
        try {
            return http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnreachableException("cannot reach the ringwall node at " + node + ": " + describe(e)
                    + " (is `ringwall run` running there, with [management] listen = \"" + node + "\"?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while waiting for " + node);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private JsonNode json(HttpResponse<String> response) throws UnreachableException {
        try {
            JsonNode json = StatusJson.MAPPER.readTree(response.body());
            if (json != null && json.isObject()) {
                return json;
            }
        } catch (JsonProcessingException e) {
            // fall through: not our API
        }
        throw new UnreachableException("node " + node + " answered HTTP " + response.statusCode()
                + " without a JSON object; is that a ringwall management listener?");
    }
}
