package io.ringwall.sim.scenario;

import io.ringwall.sim.NodeFactory;
import io.ringwall.sim.Simulation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs named scenarios with a given node implementation. The node factory is a parameter so the
 * same scenarios run a test router today and {@code GatewayNode::new} (or a cluster) later.
 */
public final class ScenarioRunner {
    private final NodeFactory nodeFactory;
    private final Map<String, Scenario> scenarios = new LinkedHashMap<>();

    public ScenarioRunner(NodeFactory nodeFactory) {
        this(nodeFactory, BuiltInScenarios.everything());
    }

    public ScenarioRunner(NodeFactory nodeFactory, List<Scenario> scenarios) {
        this.nodeFactory = nodeFactory;
        for (Scenario s : scenarios) {
            if (this.scenarios.put(s.name(), s) != null) {
                throw new IllegalArgumentException("duplicate scenario " + s.name());
            }
        }
    }

    public Set<String> names() {
        return scenarios.keySet();
    }

    /** Builds and runs a scenario to its end. The same (name, seed) always gives the same result. */
    public ScenarioResult run(String name, long seed) {
        return start(name, seed).runToEnd();
    }

    /** Builds a scenario without running it, to be advanced step by step (see {@link LiveDemo}). */
    public ScenarioRun start(String name, long seed) {
        Scenario scenario = scenarios.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("unknown scenario " + name + "; known: " + scenarios.keySet());
        }
        ScenarioContext context = new ScenarioContext(new Simulation(seed), nodeFactory, scenario.stallNs(),
                scenario.demandsConnectionSurvival());
        scenario.build(context);
        return new ScenarioRun(scenario, context);
    }
}
