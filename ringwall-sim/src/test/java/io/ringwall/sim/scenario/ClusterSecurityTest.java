package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.ClusterSettings;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeConfig;
import io.ringwall.sim.NodeFactory;
import io.ringwall.sim.SimNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A node with the wrong secret or another configuration cannot join, and the cluster says why in its log. */
class ClusterSecurityTest {
    private final List<String> logs = Collections.synchronizedList(new ArrayList<>());

    private NodeFactory factory(UnaryOperator<ClusterSettings> forGw3) {
        return (cfg, fx, prng) -> {
            NodeConfig c = cfg;
            if (cfg.nodeName().equals("gw3")) {
                c = cfg.withCluster(forGw3.apply(cfg.cluster()));
            }
            return LogRecordingNodes.create(c, fx, prng, logs);
        };
    }

    private ScenarioRun run(UnaryOperator<ClusterSettings> forGw3) {
        ScenarioRun run = new ScenarioRunner(factory(forGw3)).start("cluster-baseline", 1);
        run.runToEnd();
        return run;
    }

    private static GatewayNode node(ScenarioRun run, String name) {
        return (GatewayNode) run.context().nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .map(SimNode::machine).orElseThrow();
    }

    @Test
    void nodeWithTheWrongSecretCannotJoinAndTheClusterLogsWhy() {
        ScenarioRun run = run(s -> new ClusterSettings(s.selfId(), s.members(), s.udpPort(),
                "another-secret-entirely-987654321".getBytes(StandardCharsets.UTF_8), s.tokenHopNs(),
                s.tokenAckTimeoutNs(), s.tokenLossNs(), s.quorum(), s.configDigest(), s.bootEpoch()));
        assertThat(node(run, "gw1").ringMembers()).isEqualTo(2);
        assertThat(node(run, "gw1").quorate()).isTrue();
        assertThat(node(run, "gw3").quorate()).as("alone with a wrong key: no quorum, no VIP").isFalse();
        assertThat(logs).anyMatch(l -> (l.startsWith("gw1") || l.startsWith("gw2")) && l.contains("cluster-reject")
                && l.contains("gw3") && l.contains("wrong cluster secret"));
        assertThat(node(run, "gw1").status(0).diagnostics().channel().dropped().get("bad_tag"))
                .as("gw3's packets are counted in gw1's status, by reason").isPositive();
        assertThat(run.simulation().violations()).as("never two owners of a VIP")
                .noneMatch(v -> v.invariant().equals("vip-ownership"));
    }

    @Test
    void nodeWithAnotherConfigurationIsReportedAndNotMerged() {
        ScenarioRun run = run(s -> new ClusterSettings(s.selfId(), s.members(), s.udpPort(), s.secret(), s.tokenHopNs(),
                s.tokenAckTimeoutNs(), s.tokenLossNs(), s.quorum(), "a-different-digest", s.bootEpoch()));
        assertThat(logs).anyMatch(l -> l.startsWith("gw1") && l.contains("config-mismatch") && l.contains("gw3"));
        assertThat(node(run, "gw1").ringMembers()).isEqualTo(2);
        assertThat(node(run, "gw3").quorate()).isFalse();
        assertThat(run.simulation().violations()).as("never two owners of a VIP")
                .noneMatch(v -> v.invariant().equals("vip-ownership"));
    }
}
