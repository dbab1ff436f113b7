package io.ringwall.app.cli;

import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeCommand;
import io.ringwall.sim.Partition;
import io.ringwall.sim.SimNode;
import io.ringwall.sim.scenario.ClusterScenarios;
import io.ringwall.sim.scenario.ClusterTopology;
import io.ringwall.sim.scenario.ScenarioRun;
import io.ringwall.sim.scenario.ScenarioRunner;
import io.ringwall.wire.Ipv4Address;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The interactive cluster demo: three simulated gateways with live traffic, paced to real time, steered from
 * the terminal ({@code kill gw1}, {@code restore gw1}, {@code cut gw2}, {@code heal gw2}, {@code drain gw3},
 * {@code open gw3}, {@code move 10.1.0.1 gw2}, {@code quit}). Everything runs on this thread; the terminal
 * reader only queues lines.
 */
final class LiveCluster {
    static final String HELP = "commands: kill NODE | restore NODE | cut NODE | heal NODE | drain NODE | open NODE"
            + " | move VIP NODE | help | quit";
    private static final long STATUS_EVERY_MS = 500;

    private final PrintStream out;
    private final ConcurrentLinkedQueue<String> input = new ConcurrentLinkedQueue<>();
    private final Map<String, Partition> cuts = new HashMap<>();
    private ScenarioRun run;
    private ClusterTopology topo;
    private boolean quit;

    LiveCluster(PrintStream out) {
        this.out = out;
    }

    /** Runs until the duration ends, "quit" or end of input; returns the run for its result. */
    ScenarioRun run(long seed, long durationNs, double speed) throws InterruptedException {
        ScenarioRunner runner = new ScenarioRunner(GatewayNode::new, List.of(ClusterScenarios.live(durationNs)));
        run = runner.start("cluster", seed);
        topo = ClusterScenarios.lastTopology(run.context());
        startReader();
        out.println("ringwall demo: 3 gateways (gw1..gw3), clients on 10.1.0.0/24 via VIP 10.1.0.1, servers on "
                + "10.2.0.0/24 via VIP 10.2.0.1, cluster network 10.9.0.0/24");
        out.println(HELP);
        while (!run.finished() && !quit) {
            long started = System.nanoTime();
            for (String line; (line = input.poll()) != null; ) {
                out.println("> " + line + ": " + execute(line.trim()));
            }
            run.advance(Math.max(1, (long) (STATUS_EVERY_MS * speed)) * 1_000_000L);
            out.println(statusLine());
            long sleepMs = STATUS_EVERY_MS - (System.nanoTime() - started) / 1_000_000L;
            if (sleepMs > 0) {
                Thread.sleep(sleepMs);
            }
        }
        return run;
    }

    private void startReader() {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (!line.isBlank()) {
                        input.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                input.add("quit");
            }
        }, "demo-terminal");
        reader.setDaemon(true);
        reader.start();
    }

    String execute(String line) {
        String[] w = line.toLowerCase(Locale.ROOT).split("\\s+");
        SimNode node = w.length > 1 ? find(w[w.length == 3 ? 2 : 1]) : null;
        switch (w[0]) {
            case "quit", "exit" -> {
                quit = true;
                return "bye";
            }
            case "help", "?" -> {
                return HELP;
            }
            default -> {
            }
        }
        if (node == null) {
            return "unknown or missing node (gw1, gw2, gw3); " + HELP;
        }
        return switch (w[0]) {
            case "kill" -> {
                node.crash();
                yield node.name() + " crashed: its VIPs move, its connections continue on the new owner";
            }
            case "restore", "restart" -> {
                Partition cut = cuts.remove(node.name());
                if (cut != null) {
                    cut.heal();
                }
                node.restart();
                yield node.name() + " restarted; it rejoins the ring";
            }
            case "cut" -> {
                Partition cut = new Partition(topo.linksOf(node));
                cut.apply();
                cuts.put(node.name(), cut);
                yield "all links of " + node.name() + " down";
            }
            case "heal" -> {
                Partition cut = cuts.remove(node.name());
                if (cut == null) {
                    yield node.name() + " is not cut";
                }
                cut.heal();
                yield "links of " + node.name() + " up";
            }
            case "drain", "close" -> command(new NodeCommand.Close(node.name()));
            case "open" -> command(new NodeCommand.Open(node.name()));
            case "move" -> {
                if (w.length != 3) {
                    yield "usage: move VIP NODE";
                }
                try {
                    yield command(new NodeCommand.MoveVip(Ipv4Address.parse(w[1]), node.name()));
                } catch (IllegalArgumentException e) {
                    yield "bad VIP: " + e.getMessage();
                }
            }
            default -> "unknown command; " + HELP;
        };
    }

    /** Hands a command to any running node; the result is printed when the cluster has carried it out. */
    private String command(NodeCommand command) {
        for (SimNode g : topo.gateways) {
            if (g.status() == SimNode.Status.RUNNING) {
                g.machine().onCommand(g.nodeNowNs(), command, r -> out.println("  " + (r.ok() ? "done: " : "refused: ")
                        + r.message()));
                return "sent to " + g.name();
            }
        }
        return "no node is running";
    }

    private SimNode find(String name) {
        for (SimNode g : topo.gateways) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        return null;
    }

    String statusLine() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "t=%7.2fs |", run.simulation().nowNs() / 1e9));
        for (SimNode g : topo.gateways) {
            b.append(' ').append(g.name()).append(' ');
            if (g.status() == SimNode.Status.CRASHED) {
                b.append("DOWN |");
                continue;
            }
            GatewayNode n = (GatewayNode) g.machine();
            b.append(cuts.containsKey(g.name()) ? "CUT " : "")
                    .append(n.quorate() ? "ring " + n.ringMembers() + "/3" : "no-quorum");
            if (n.ownsVip(0, ClusterTopology.CLIENT_VIP)) {
                b.append(" [VIPs]");
            }
            b.append(" |");
        }
        var st = run.status();
        b.append(String.format(Locale.ROOT, " tcp %d/%d alive | udp %d/%d | longest udp gap %.0f ms",
                st.connectionsAlive(), st.connections(), st.udpEchoed(), st.udpSent(),
                run.context().udpMaxGapNs() / 1e6));
        return b.toString();
    }
}
