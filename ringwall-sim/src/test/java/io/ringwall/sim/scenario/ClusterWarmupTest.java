package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClusterWarmupTest {
    @Test
    void clusterWarmupRunsTheJoinTheOwnerCrashAndADrainWithTheRealNode() {
        ClusterWarmup.Result r = ClusterWarmup.run(GatewayNode::new, Long.MAX_VALUE, System::nanoTime);

        assertThat(r.scenarios()).isEqualTo(3);
        assertThat(r.connectionsTotal()).isPositive();
        assertThat(r.connectionsSurvived()).isEqualTo(r.connectionsTotal());
        assertThat(r.describe()).contains("3 simulated scenarios (join, crash-active, drain)");
    }

    @Test
    void clusterWarmupStartsNoFurtherScenarioOnceItsBudgetIsSpent() {
        AtomicLong clock = new AtomicLong();
        ClusterWarmup.Result r = ClusterWarmup.run(GatewayNode::new, 500_000_000L, () -> clock.getAndAdd(1_000_000_000L));

        assertThat(r.scenarios()).isEqualTo(1);
        assertThat(r.describe()).startsWith("1 simulated scenarios (join)");
    }

    /** The simulated nodes must fit next to the real node's own tables (netns tests run nodes with -Xmx256m). */
    @Test
    void clusterWarmupNodesHaveSmallFlowTablesAndOtherwiseTheScenarioConfig() {
        List<NodeConfig> seen = new ArrayList<>();
        ClusterWarmup.run((config, effects, prng) -> {
            seen.add(config);
            return new GatewayNode(config, effects, prng);
        }, 0, System::nanoTime);

        assertThat(seen).isNotEmpty().allSatisfy(c -> {
            assertThat(c.limits().maxFlows()).isEqualTo(ClusterWarmup.MAX_FLOWS);
            assertThat(c.cluster()).isNotNull();
        });
    }
}
