package io.ringwall.sim.scenario;

import io.ringwall.node.Effects;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeConfig;
import io.ringwall.sim.NodeFactory;
import io.ringwall.time.Prng;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Gateway nodes whose log lines are also collected as "NODE event detail", for tests that look for them. */
final class LogRecordingNodes {
    /** Names the frames a test wants to see among the log lines (null: not one of them). */
    interface FrameLabel {
        String of(MemorySegment frame, int length);
    }

    private static final FrameLabel NO_FRAMES = (frame, length) -> null;

    private LogRecordingNodes() {
    }

    /**
     * A built-in scenario's result, every log line its gateways wrote (in order) and each gateway by name (its last
     * incarnation, if it restarted).
     */
    record Logged(ScenarioResult result, List<String> logs, Map<String, GatewayNode> nodes) {
    }

    /** Runs the built-in scenario {@code name} with {@code seed} on log-recording gateway nodes. */
    static Logged run(String name, long seed) {
        return run(name, seed, NO_FRAMES);
    }

    /** As {@link #run(String, long)}, and every frame a gateway sends that {@code sent} names adds "NODE label". */
    static Logged run(String name, long seed, FrameLabel sent) {
        return run(BuiltInScenarios.everything(), name, seed, sent);
    }

    /** Runs {@code scenario} (not necessarily a built-in one) with {@code seed} on log-recording gateway nodes. */
    static Logged run(Scenario scenario, long seed) {
        return run(List.of(scenario), scenario.name(), seed, NO_FRAMES);
    }

    /** As {@link #run(Scenario, long)}, with the labelled frames of {@code sent}, appending to {@code logs}. */
    static Logged run(Scenario scenario, long seed, FrameLabel sent, List<String> logs) {
        return run(List.of(scenario), scenario.name(), seed, sent, logs);
    }

    /** {@code scenarios}: what the runner knows. */
    private static Logged run(List<Scenario> scenarios, String name, long seed, FrameLabel sent) {
        return run(scenarios, name, seed, sent, Collections.synchronizedList(new ArrayList<>()));
    }

    private static Logged run(List<Scenario> scenarios, String name, long seed, FrameLabel sent, List<String> logs) {
        Map<String, GatewayNode> nodes = new ConcurrentHashMap<>();
        NodeFactory factory = (c, fx, p) -> {
            GatewayNode node = create(c, fx, p, logs, sent);
            nodes.put(c.nodeName(), node);
            return node;
        };
        ScenarioResult r = new ScenarioRunner(factory, scenarios).run(name, seed);
        return new Logged(r, List.copyOf(logs), nodes);
    }

    /** A node on {@code config} that logs through {@code fx} and appends every line to {@code logs}. */
    static GatewayNode create(NodeConfig config, Effects fx, Prng prng, List<String> logs) {
        return create(config, fx, prng, logs, NO_FRAMES);
    }

    private static GatewayNode create(NodeConfig config, Effects fx, Prng prng, List<String> logs, FrameLabel sent) {
        String node = config.nodeName();
        return new GatewayNode(config, new Effects() {
            @Override
            public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
                String label = sent.of(frame, length);
                if (label != null) {
                    logs.add(node + " " + label);
                }
                fx.sendFrame(ifIndex, frame, length, offloadFlags);
            }

            @Override
            public void log(String event, String detail) {
                logs.add(node + " " + event + " " + detail);
                fx.log(event, detail);
            }
        }, prng);
    }
}
