package io.ringwall.app.cli;

import io.ringwall.node.GatewayNode;
import io.ringwall.sim.scenario.BuiltInScenarios;
import io.ringwall.sim.scenario.LiveDemo;
import io.ringwall.sim.scenario.Scenario;
import io.ringwall.sim.scenario.ScenarioResult;
import io.ringwall.sim.scenario.ScenarioRunner;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringwall demo}: the embedded simulated cluster — three gateways, client and server hosts, live traffic —
 * on the deterministic simulator, steered from the terminal; no root, no configuration. With {@code --headless}
 * a named scenario runs at full speed and prints its result (SPEC §12).
 */
@Command(name = "demo", description = "Run a simulated gateway cluster with live traffic (no root or config needed).")
public final class DemoCommand implements Callable<Integer> {
    /** The interactive cluster demo's name. */
    static final String LIVE_CLUSTER = "cluster";

    @Option(names = "--headless", description = "run the scenario at full speed and print its result")
    boolean headless;

    @Option(names = "--scenario", description = "scenario: ${COMPLETION-CANDIDATES}; live default: cluster, "
            + "headless default: baseline", completionCandidates = ScenarioNames.class)
    String scenario;

    @Option(names = "--seed", defaultValue = "1", description = "simulator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

    @Option(names = "--speed", defaultValue = "1.0", description = "simulated seconds per real second (live mode)")
    double speed;

    @Option(names = "--duration-s", defaultValue = "600",
            description = "live mode: simulated seconds to run before printing the result (default: ${DEFAULT-VALUE})")
    long durationS;

    /** Scenario names for the help text. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return BuiltInScenarios.everything().stream().map(Scenario::name).iterator();
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (durationS < 1 || durationS > 86_400 || speed <= 0 || speed > 100) {
            System.err.println("ringwall demo: --duration-s must be 1..86400 and --speed 0..100");
            return 1;
        }
        String name = scenario != null ? scenario : headless ? "baseline" : LIVE_CLUSTER;
        ScenarioResult result;
        if (!headless && name.equals(LIVE_CLUSTER)) {
            result = new LiveCluster(System.out).run(seed, durationS * 1_000_000_000L, speed).result();
        } else {
            List<Scenario> scenarios = BuiltInScenarios.everything();
            if (!headless) {
                // Live mode keeps the traffic going (until Ctrl-C or the duration); headless runs keep their scripted length.
                Scenario live = BuiltInScenarios.live(durationS * 1_000_000_000L);
                scenarios = scenarios.stream().map(s -> s.name().equals(live.name()) ? live : s).toList();
            }
            ScenarioRunner runner = new ScenarioRunner(GatewayNode::new, scenarios);
            if (!runner.names().contains(name)) {
                System.err.println("ringwall demo: unknown scenario '" + name + "'; known: " + runner.names());
                return 1;
            }
            if (headless) {
                result = runner.run(name, seed);
            } else {
                System.out.println("ringwall demo: scenario " + name + ", seed " + seed + " (Ctrl-C to stop)");
                LiveDemo demo = new LiveDemo(runner.start(name, seed));
                result = demo.runPaced(LiveDemo.STATUS_PERIOD_MS, speed, status -> System.out.println(status.line()));
            }
        }
        System.out.println(json ? result.toJson() : result.toString());
        return result.invariantViolations().isEmpty() ? 0 : 3;
    }
}
