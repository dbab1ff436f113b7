package io.ringwall.app.cli;

import io.ringwall.app.mgmt.ManagementClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ringwall move|prefer|close|open}: operator commands sent to one node, which has the cluster carry
 * them out. Each prints whether it was carried out and exits 0 (yes) or 1 (no, or the node is unreachable).
 */
public final class OperatorCommands {
    private OperatorCommands() {
    }

    /** Shared: send, print the outcome, map it to the exit code. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        NodeAddressOption target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract ManagementClient.Answer send(ManagementClient client) throws ManagementClient.UnreachableException;

        @Override
        public Integer call() {
            String name = "ringwall " + spec.name();
            try {
                ManagementClient.Answer a = send(target.client());
                if (a.ok()) {
                    spec.commandLine().getOut().println("carried out: " + a.message());
                    return 0;
                }
                spec.commandLine().getErr().println(name + ": NOT carried out (HTTP " + a.httpStatus() + "): "
                        + a.message());
            } catch (ManagementClient.UnreachableException e) {
                spec.commandLine().getErr().println(name + ": " + e.getMessage());
            }
            return 1;
        }
    }

    @Command(name = "move", description = "Move a VIP to a node now.")
    public static final class Move extends Base {
        @Parameters(index = "0", paramLabel = "VIP")
        String vip;
        @Parameters(index = "1", paramLabel = "NODE")
        String node;

        @Override
        ManagementClient.Answer send(ManagementClient client) throws ManagementClient.UnreachableException {
            return client.moveVip(vip, node);
        }
    }

    @Command(name = "prefer", description = "Make NODE the VIP's preferred host (it returns there while NODE is alive).")
    public static final class Prefer extends Base {
        @Parameters(index = "0", paramLabel = "VIP")
        String vip;
        @Parameters(index = "1", paramLabel = "NODE")
        String node;

        @Override
        ManagementClient.Answer send(ManagementClient client) throws ManagementClient.UnreachableException {
            return client.preferVip(vip, node);
        }
    }

    @Command(name = "close", description = "Close (drain) a node: hand over its VIPs, then leave the ring.")
    public static final class Close extends Base {
        @Parameters(index = "0", paramLabel = "NODE")
        String node;

        @Override
        ManagementClient.Answer send(ManagementClient client) throws ManagementClient.UnreachableException {
            return client.closeNode(node);
        }
    }

    @Command(name = "open", description = "Reopen a closed node.")
    public static final class Open extends Base {
        @Parameters(index = "0", paramLabel = "NODE")
        String node;

        @Override
        ManagementClient.Answer send(ManagementClient client) throws ManagementClient.UnreachableException {
            return client.openNode(node);
        }
    }
}
