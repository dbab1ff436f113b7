package io.ringwall.app;

import io.ringwall.app.cli.CheckConfigCommand;
import io.ringwall.app.cli.DemoCommand;
import io.ringwall.app.cli.OperatorCommands;
import io.ringwall.app.cli.RunCommand;
import io.ringwall.app.cli.StatusCommand;
import io.ringwall.app.cli.VipsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ringwall} command line. */
@Command(name = "ringwall", mixinStandardHelpOptions = true, version = "ringwall 0.1.0",
        description = "Clustered, stateful, highly available security gateway.",
        subcommands = {RunCommand.class, DemoCommand.class, CheckConfigCommand.class, StatusCommand.class,
                VipsCommand.class, OperatorCommands.Move.class, OperatorCommands.Prefer.class,
                OperatorCommands.Close.class, OperatorCommands.Open.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
