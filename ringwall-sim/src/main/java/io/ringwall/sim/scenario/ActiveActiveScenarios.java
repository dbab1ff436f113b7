package io.ringwall.sim.scenario;

import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeCommand;
import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.SimNode;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Active/active scenarios (SPEC §5.1, §5.2): three gateways, two VIP groups on two of them, so half the
 * clients' return traffic reaches the other VIP holder and flow buckets bring both directions to one node. Every
 * established connection must survive the crash of either VIP holder (each owns buckets and backs up the
 * other's), of the node that holds no VIP (a backup only), and a drain.
 */
public final class ActiveActiveScenarios {
    public static final int VIP_GROUPS = 2;
    /** The second group's client-side VIP. */
    public static final int SECOND_CLIENT_VIP = ClusterTopology.CLIENT_VIP + 1;

    private ActiveActiveScenarios() {
    }

    public static List<Scenario> all() {
        return List.of(
                activeActive("active-active", (ctx, topo) -> { }),
                activeActive("active-active-crash-first", (ctx, topo) -> at(ctx, () -> holderOf(topo, ClusterTopology.CLIENT_VIP).crash())),
                activeActive("active-active-crash-second", (ctx, topo) -> at(ctx, () -> holderOf(topo, SECOND_CLIENT_VIP).crash())),
                activeActive("active-active-crash-backup", (ctx, topo) -> at(ctx, () -> withoutVip(topo).crash())),
                activeActive("active-active-drain", (ctx, topo) -> at(ctx, () -> {
                    SimNode owner = holderOf(topo, ClusterTopology.CLIENT_VIP);
                    owner.machine().onCommand(owner.nodeNowNs(), new NodeCommand.Close(owner.name()),
                            result -> ctx.simulation().trace().record(ctx.simulation().nowNs(), owner.name(), "command",
                                    "close " + result.ok() + " " + result.message()));
                })));
    }

    private static Scenario activeActive(String name, BiConsumer<ScenarioContext, ClusterTopology> faults) {
        return ClusterScenarios.cluster(name, ClusterScenarios.GATEWAYS, "majority", false, VIP_GROUPS,
                ClusterTopology.Timers.DEFAULT, LinkProfile.ideal().withLatency(50_000, 20_000),
                ClusterScenarios.DURATION_NS, faults);
    }

    private static void at(ScenarioContext ctx, Runnable fault) {
        ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS, fault);
    }

    /** The running gateway answering for {@code vip} on the client side (the first gateway if none does). */
    public static SimNode holderOf(ClusterTopology topo, int vip) {
        for (SimNode g : topo.gateways) {
            if (g.status() == SimNode.Status.RUNNING && g.machine() instanceof GatewayNode n && n.ownsVip(0, vip)) {
                return g;
            }
        }
        return topo.gateways.getFirst();
    }

    /** A running gateway that holds no client-side VIP. */
    public static SimNode withoutVip(ClusterTopology topo) {
        for (SimNode g : topo.gateways) {
            if (g.status() == SimNode.Status.RUNNING && g.machine() instanceof GatewayNode n
                    && !n.ownsVip(0, ClusterTopology.CLIENT_VIP) && !n.ownsVip(0, SECOND_CLIENT_VIP)) {
                return g;
            }
        }
        return topo.gateways.getLast();
    }
}
