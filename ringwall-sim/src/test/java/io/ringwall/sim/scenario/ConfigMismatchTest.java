package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.NodeConfig;
import io.ringwall.node.NodeStatus;
import io.ringwall.sim.NodeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Node-info carriage: two nodes whose VIP pools differ both report the mismatch, once, and keep running. */
class ConfigMismatchTest {
    private static final int EXTRA_VIP = ClusterTopology.CLIENT_VIP + 1;
    private final List<String> logs = Collections.synchronizedList(new ArrayList<>());

    /** gw2 is started with one more VIP on wan than gw1: another cluster file, same handshake digest. */
    private NodeFactory factory(boolean differ) {
        return (cfg, fx, prng) -> {
            NodeConfig c = cfg;
            if (differ && cfg.nodeName().equals("gw2")) {
                List<NodeConfig.InterfaceConfig> itfs = new ArrayList<>(cfg.interfaces());
                NodeConfig.InterfaceConfig wan = itfs.getFirst();
                itfs.set(0, new NodeConfig.InterfaceConfig(wan.index(), wan.name(), wan.mac(), wan.mtu(),
                        wan.subnetAddress(), wan.prefixLength(), wan.ownAddress(), List.of(wan.vips().getFirst(), EXTRA_VIP)));
                c = new NodeConfig(cfg.nodeName(), itfs, cfg.routes(), cfg.rules(), cfg.limits(), cfg.cluster());
            }
            return LogRecordingNodes.create(c, fx, prng, logs);
        };
    }

    private ScenarioRun run(boolean differ) {
        ScenarioRun run = new ScenarioRunner(factory(differ)).start("cluster-baseline-2", 1);
        run.runToEnd();
        return run;
    }

    private static NodeStatus status(ScenarioRun run, String name) {
        return run.context().node(name).machine().status(run.simulation().nowNs());
    }

    private long mismatchLogs(String node) {
        return logs.stream().filter(l -> l.startsWith(node + " config-mismatch")).count();
    }

    @Test
    void differentVipPoolsAreReportedOnBothNodesOnceAndInTheStatus() {
        ScenarioRun run = run(true);
        assertThat(logs).anyMatch(l -> l.startsWith("gw1 config-mismatch config mismatch: node gw2 has config digest"));
        assertThat(logs).anyMatch(l -> l.startsWith("gw2 config-mismatch config mismatch: node gw1 has config digest"));
        assertThat(mismatchLogs("gw1")).as("logged once per change, not per token visit").isEqualTo(1);
        assertThat(mismatchLogs("gw2")).isEqualTo(1);
        NodeStatus s1 = status(run, "gw1");
        NodeStatus s2 = status(run, "gw2");
        assertThat(s1.configMismatches()).extracting(NodeStatus.ConfigMismatch::node).containsExactly("gw2");
        assertThat(s2.configMismatches()).extracting(NodeStatus.ConfigMismatch::node).containsExactly("gw1");
        assertThat(s1.configMismatches().getFirst().theirDigest()).isEqualTo(s2.configMismatches().getFirst().ourDigest());
        assertThat(s1.members()).as("reported, not fenced off: the ring still runs").hasSize(2);
    }

    @Test
    void identicalConfigurationsReportNothing() {
        ScenarioRun run = run(false);
        assertThat(mismatchLogs("gw1") + mismatchLogs("gw2")).isZero();
        assertThat(status(run, "gw1").configMismatches()).isEmpty();
        assertThat(status(run, "gw2").configMismatches()).isEmpty();
    }
}
