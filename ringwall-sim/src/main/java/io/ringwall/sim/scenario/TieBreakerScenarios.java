package io.ringwall.sim.scenario;

import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.Partition;
import io.ringwall.sim.SimLink;
import io.ringwall.sim.SimNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Two-node clusters with the ping tie-breaker (SPEC §3): quorum "majority" (both nodes), so a half ring owns
 * VIPs only while it reaches the tie-breaker host on the client segment. The VIP invariants (never two owners,
 * no orphan beyond the bound while a quorate ring exists) and the end-of-run ring check apply as everywhere.
 */
public final class TieBreakerScenarios {
    private TieBreakerScenarios() {
    }

    public static List<Scenario> all() {
        return List.of(
                // the owner loses every link: the other node still reaches the tie-breaker and takes the VIPs
                twoNodes("tie-breaker-owner-cut", (ctx, topo) -> ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS,
                        () -> new Partition(topo.linksOf(ClusterScenarios.vipOwner(topo))).apply())),
                // the standby loses every link: the owner reaches the tie-breaker and keeps the VIPs
                twoNodes("tie-breaker-standby-cut", (ctx, topo) -> ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS,
                        () -> new Partition(topo.linksOf(standby(topo))).apply())),
                // only the cluster network fails: both reach the tie-breaker, and each other over the data subnets
                twoNodes("tie-breaker-cluster-link-down", (ctx, topo) -> ctx.simulation().schedule(
                        ClusterScenarios.FAULT_AT_NS, () -> {
                            List<SimLink> links = new ArrayList<>();
                            topo.gateways.forEach(g -> links.add(g.link(2)));
                            new Partition(links).apply();
                        })));
    }

    /** The node that does not own the client VIP. */
    public static SimNode standby(ClusterTopology topo) {
        SimNode owner = ClusterScenarios.vipOwner(topo);
        return topo.gateways.stream().filter(g -> g != owner).findFirst().orElseThrow();
    }

    private static Scenario twoNodes(String name, BiConsumer<ScenarioContext, ClusterTopology> faults) {
        return ClusterScenarios.cluster(name, 2, "majority", true, ClusterTopology.Timers.DEFAULT,
                LinkProfile.ideal().withLatency(50_000, 20_000), ClusterScenarios.DURATION_NS, faults);
    }
}
