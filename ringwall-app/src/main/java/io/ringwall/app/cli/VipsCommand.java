package io.ringwall.app.cli;

import io.ringwall.app.mgmt.ManagementClient;
import io.ringwall.app.mgmt.StatusReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ringwall vips [--node HOST:PORT]}: the VIP table (current and preferred host, persistence flag). */
@Command(name = "vips", description = "Show the VIP table: interface, current host, preferred host, flag.")
public final class VipsCommand implements Callable<Integer> {
    @Mixin
    NodeAddressOption target;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            PrintWriter out = spec.commandLine().getOut();
            out.print(StatusReport.vipTable(target.client().status()));
            out.flush(); // print() does not autoflush, and main() ends with System.exit
            return 0;
        } catch (ManagementClient.UnreachableException e) {
            spec.commandLine().getErr().println("ringwall vips: " + e.getMessage());
            return 1;
        }
    }
}
