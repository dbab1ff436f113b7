package io.ringwall.sim.scenario;

import io.ringwall.node.Effects;
import io.ringwall.node.GatewayNode;
import io.ringwall.sim.Simulation;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts a built-in scenario on gateway nodes that tell an observer about every frame they send and every line they
 * log, at the simulator's time, for tests that step through the run themselves.
 */
final class ObservedNodes {
    /** Told of each node's frames and log lines as they happen. */
    interface Observer {
        void sent(String node, long nowNs);

        default void logged(String node, long nowNs, String event, String detail) {
        }
    }

    /** The started run and each gateway by name (its last incarnation, if it restarted). */
    record Started(ScenarioRun run, Map<String, GatewayNode> nodes) {
    }

    private ObservedNodes() {
    }

    static Started start(String scenario, long seed, Observer observer) {
        AtomicReference<Simulation> sim = new AtomicReference<>();
        Map<String, GatewayNode> nodes = new HashMap<>();
        ScenarioRun run = new ScenarioRunner((config, fx, prng) -> {
            String name = config.nodeName();
            GatewayNode node = new GatewayNode(config, new Effects() {
                @Override
                public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
                    observer.sent(name, sim.get().nowNs());
                    fx.sendFrame(ifIndex, frame, length, offloadFlags);
                }

                @Override
                public void log(String event, String detail) {
                    observer.logged(name, sim.get().nowNs(), event, detail);
                    fx.log(event, detail);
                }
            }, prng);
            nodes.put(name, node);
            return node;
        }).start(scenario, seed);
        sim.set(run.simulation());
        return new Started(run, nodes);
    }
}
