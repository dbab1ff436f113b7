package io.ringwall.app.cli;

import io.ringwall.node.GatewayNode;
import io.ringwall.sim.scenario.LiveDemo;
import io.ringwall.sim.scenario.ScenarioResult;
import io.ringwall.sim.scenario.ScenarioRunner;
import io.ringwall.sim.scenario.BuiltInScenarios;
import io.ringwall.sim.scenario.Scenario;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringwall demo}: the embedded simulated gateway with client and server hosts and live traffic,
 * on the deterministic simulator — no root, no configuration.
 */
@Command(name = "demo", description = "Run a simulated gateway with live traffic (no root or config needed).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--headless", description = "run the scenario at full speed and print its result")
    boolean headless;

    @Option(names = "--scenario", defaultValue = "baseline", description = "scenario name (default: ${DEFAULT-VALUE})")
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

    @Override
    public Integer call() throws InterruptedException {
        if (durationS < 1 || durationS > 86_400) {
            System.err.println("ringwall demo: --duration-s must be 1..86400");
            return 1;
        }
        List<Scenario> scenarios = BuiltInScenarios.everything();
        if (!headless) {
            // Live mode keeps the traffic going (until Ctrl-C or the duration); headless runs keep their scripted length.
            Scenario live = BuiltInScenarios.live(durationS * 1_000_000_000L);
            scenarios = scenarios.stream().map(s -> s.name().equals(live.name()) ? live : s).toList();
        }
        ScenarioRunner runner = new ScenarioRunner(GatewayNode::new, scenarios);
        if (!runner.names().contains(scenario)) {
            System.err.println("ringwall demo: unknown scenario '" + scenario + "'; known: " + runner.names());
            return 1;
        }
        ScenarioResult result;
        if (headless) {
            result = runner.run(scenario, seed);
        } else {
            System.out.println("ringwall demo: scenario " + scenario + ", seed " + seed
                    + " — simulated gateway, clients on 10.1.0.0/24, servers on 10.2.0.0/24 (Ctrl-C to stop)");
            LiveDemo demo = new LiveDemo(runner.start(scenario, seed));
            result = demo.runPaced(LiveDemo.STATUS_PERIOD_MS, speed, status -> System.out.println(status.line()));
        }
        System.out.println(json ? result.toJson() : result.toString());
        return result.invariantViolations().isEmpty() ? 0 : 3;
    }
}
