package io.ringwall.sim.scenario;

import io.ringwall.node.Effects;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeConfig;
import io.ringwall.time.Prng;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Gateway nodes whose log lines are also collected as "NODE event detail", for tests that look for them. */
final class LogRecordingNodes {
    private LogRecordingNodes() {
    }

    /** A built-in scenario's result and every log line its gateways wrote. */
    record Logged(ScenarioResult result, List<String> logs) {
    }

    /** Runs the built-in scenario {@code name} with {@code seed} on log-recording gateway nodes. */
    static Logged run(String name, long seed) {
        List<String> logs = Collections.synchronizedList(new ArrayList<>());
        ScenarioResult r = new ScenarioRunner((c, fx, p) -> create(c, fx, p, logs)).run(name, seed);
        return new Logged(r, logs);
    }

    /** A node on {@code config} that logs through {@code fx} and appends every line to {@code logs}. */
    static GatewayNode create(NodeConfig config, Effects fx, Prng prng, List<String> logs) {
        String node = config.nodeName();
        return new GatewayNode(config, new Effects() {
            @Override
            public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
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
