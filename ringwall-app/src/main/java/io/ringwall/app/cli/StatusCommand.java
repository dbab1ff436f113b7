package io.ringwall.app.cli;

import io.ringwall.app.mgmt.ManagementClient;
import io.ringwall.app.mgmt.StatusJson;
import io.ringwall.app.mgmt.StatusReport;
import io.ringwall.node.NodeStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ringwall status [--node HOST:PORT] [--json]}: the cluster as one node sees it. */
@Command(name = "status", description = "Show the cluster as seen by one node: members, quorum, VIPs, load, counters.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    NodeAddressOption target;

    @Option(names = "--json", description = "print the raw GET /v1/status JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        NodeStatus status;
        try {
            status = target.client().status();
        } catch (ManagementClient.UnreachableException e) {
            spec.commandLine().getErr().println("ringwall status: " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? StatusJson.toJson(status).toPrettyString() + "\n" : StatusReport.render(status));
        out.flush(); // print() does not autoflush, and main() ends with System.exit

        return 0;
    }
}
