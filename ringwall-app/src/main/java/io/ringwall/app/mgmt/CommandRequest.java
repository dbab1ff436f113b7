package io.ringwall.app.mgmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ringwall.node.NodeCommand;
import io.ringwall.wire.Ipv4Address;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a command request (path under {@code /v1/} and JSON body) into a {@link NodeCommand}, or into a
 * message saying exactly what is wrong with it (HTTP 400). Never throws on bad input.
 */
public final class CommandRequest {
    /** Node names as the config allows them. */
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");
    private static final Pattern VIP_PATH = Pattern.compile("/v1/vips/([^/]+)/(move|prefer)");
    private static final Pattern NODE_PATH = Pattern.compile("/v1/nodes/([^/]+)/(close|open)");

    /** Exactly one of {@code command} and {@code error} is set. */
    public record Parsed(NodeCommand command, String error) {
        static Parsed ok(NodeCommand command) {
            return new Parsed(command, null);
        }

        static Parsed bad(String error) {
            return new Parsed(null, error);
        }
    }

    private CommandRequest() {
    }

    /** Whether {@code path} names a command endpoint at all (else: 404). */
    public static boolean isCommandPath(String path) {
        return VIP_PATH.matcher(path).matches() || NODE_PATH.matcher(path).matches();
    }

    public static Parsed parse(String path, String body) {
        Matcher vip = VIP_PATH.matcher(path);
        if (vip.matches()) {
            int address;
            try {
                address = Ipv4Address.parse(vip.group(1));
            } catch (IllegalArgumentException e) {
                return Parsed.bad("'" + vip.group(1) + "' is not a VIP address: " + e.getMessage());
            }
            Target target = nodeFromBody(body);
            if (target.error() != null) {
                return Parsed.bad(target.error());
            }
            return Parsed.ok(vip.group(2).equals("move") ? new NodeCommand.MoveVip(address, target.node())
                    : new NodeCommand.PreferVip(address, target.node()));
        }
        Matcher nodePath = NODE_PATH.matcher(path);
        if (nodePath.matches()) {
            String node = nodePath.group(1);
            if (!NODE_NAME.matcher(node).matches()) {
                return Parsed.bad(invalidName(node));
            }
            return Parsed.ok(nodePath.group(2).equals("close") ? new NodeCommand.Close(node) : new NodeCommand.Open(node));
        }
        return Parsed.bad("no such command: " + path);
    }

    /** The "node" of a {"node": NAME} body, or what is wrong with the body. */
    private record Target(String node, String error) {
        static Target bad(String error) {
            return new Target(null, error);
        }
    }

    private static Target nodeFromBody(String body) {
        if (body == null || body.isBlank()) {
            return Target.bad("the body must name the target node: {\"node\": \"gw2\"}");
        }
        JsonNode root;
        try {
            root = StatusJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return Target.bad("the body is not JSON: " + e.getOriginalMessage());
        }
        JsonNode node = root == null ? null : root.get("node");
        if (node == null || !node.isTextual()) {
            return Target.bad("the body must name the target node as a string: {\"node\": \"gw2\"}");
        }
        if (!NODE_NAME.matcher(node.asText()).matches()) {
            return Target.bad(invalidName(node.asText()));
        }
        return new Target(node.asText(), null);
    }

    private static String invalidName(String name) {
        return "invalid node name '" + name + "' (letters, digits, _ . : @ - ; at most 64)";
    }
}
