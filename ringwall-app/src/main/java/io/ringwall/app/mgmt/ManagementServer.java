package io.ringwall.app.mgmt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ringwall.node.NodeCommand;
import io.ringwall.node.NodeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's local management listener (REST, JSON; docs/management.md), on the JDK's built-in HTTP server.
 * It reads the node only through a {@link ManagementBackend}: never touches the node's state itself.
 */
public final class ManagementServer implements AutoCloseable {
    /** Largest request body taken; commands are a few dozen bytes. */
    public static final int MAX_BODY_BYTES = 4096;
    /** How long a command request waits for the node's answer. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final int HANDLER_THREADS = 4;
    /** Requests waiting for a handler; beyond this the accepting thread serves them itself (back-pressure). */
    private static final int WAITING_REQUESTS = 64;
    private static final int BACKLOG = 16;

    private final HttpServer server;
    private final ThreadPoolExecutor handlers;
    private final ManagementBackend backend;
    private final Duration commandTimeout;

    private ManagementServer(HttpServer server, ManagementBackend backend, Duration commandTimeout) {
        this.server = server;
        this.backend = backend;
        this.commandTimeout = commandTimeout;
        this.handlers = new ThreadPoolExecutor(HANDLER_THREADS, HANDLER_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WAITING_REQUESTS), r -> {
                    Thread t = new Thread(r, "ringwall-mgmt");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
    }

    /** Binds {@code listen} and starts serving; throws if the address cannot be bound. */
    public static ManagementServer start(HostPort listen, ManagementBackend backend) throws IOException {
        return start(new InetSocketAddress(listen.host(), listen.port()), backend, COMMAND_TIMEOUT);
    }

    static ManagementServer start(InetSocketAddress address, ManagementBackend backend, Duration commandTimeout)
            throws IOException {
        ManagementServer s = new ManagementServer(HttpServer.create(address, BACKLOG), backend, commandTimeout);
        s.server.start();
        return s;
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/v1/status")) {
                if (!method.equals("GET")) {
                    reply(exchange, 405, result(false, "use GET for " + path), "GET");
                    return;
                }
                NodeStatus status = backend.status();
                if (status == null) {
                    reply(exchange, 503, result(false, "the node has not published its status yet; try again"), null);
                } else {
                    reply(exchange, 200, StatusJson.toJson(status), null);
                }
            } else if (CommandRequest.isCommandPath(path)) {
                if (!method.equals("POST")) {
                    reply(exchange, 405, result(false, "use POST for " + path), "POST");
                    return;
                }
                String body = readBody(exchange.getRequestBody());
                if (body == null) {
                    reply(exchange, 413, result(false, "request body is larger than " + MAX_BODY_BYTES + " bytes"), null);
                    return;
                }
                command(exchange, CommandRequest.parse(path, body));
            } else {
                reply(exchange, 404, result(false, "no such endpoint: " + method + " " + path
                        + " (see GET /v1/status, POST /v1/vips/{vip}/move|prefer, POST /v1/nodes/{name}/close|open)"), null);
            }
        }
    }

    private void command(HttpExchange exchange, CommandRequest.Parsed parsed) throws IOException {
        if (parsed.error() != null) {
            reply(exchange, 400, result(false, parsed.error()), null);
            return;
        }
        NodeCommand.Result r;
        try {
            r = backend.submit(parsed.command()).get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            boolean refused = e.getCause() instanceof RejectedExecutionException;
            reply(exchange, refused ? 503 : 500, result(false, String.valueOf(e.getCause().getMessage())), null);
            return;
        } catch (TimeoutException e) {
            reply(exchange, 504, result(false, "the node did not answer within " + commandTimeout.toMillis()
                    + " ms; the command may still be carried out later"), null);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 503, result(false, "the management listener is shutting down"), null);
            return;
        }
        reply(exchange, r.ok() ? 200 : 409, result(r.ok(), r.message()), null);
    }

    /** The body as UTF-8, or null if it is longer than {@link #MAX_BODY_BYTES}. */
    private static String readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static ObjectNode result(boolean ok, String message) {
        return StatusJson.MAPPER.createObjectNode().put("ok", ok).put("message", message);
    }

    private static void reply(HttpExchange exchange, int code, ObjectNode json, String allow) throws IOException {
        byte[] bytes = StatusJson.MAPPER.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (allow != null) {
            exchange.getResponseHeaders().set("Allow", allow);
        }
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
