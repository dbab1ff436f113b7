package io.ringwall.sim.scenario;

import io.ringwall.conntrack.FlowKey;
import io.ringwall.conntrack.FlowTable;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeCommand;
import io.ringwall.sim.SimNode;
import io.ringwall.sim.Simulation;
import io.ringwall.sim.host.SimHost;
import io.ringwall.sim.invariant.TakeoverHasState;
import java.util.List;

/**
 * Crashes in the middle of a hand-over of state or of a VIP (issue 4), on the cluster of {@link ClusterScenarios}
 * with its VIP invariants and the stay-alive invariant, plus {@link TakeoverHasState} on the client VIP:
 * <ul>
 *   <li>{@code crash-during-bulk}: gw1 is down while {@value #BULK_FLOWS} UDP flows are created through the VIP
 *   owner, then restarts and gets the paced bulk transfers of the members; once it has imported half as many
 *   records, the VIP owner (the sender of the big transfer) crashes ({@link Fault} says how many of the owner's flows
 *   gw1 had by then). gw1 has the lowest id, so it is the node the VIP policy picks first as soon as it is eligible:
 *   it must have every flow by then (the other member's transfer carries its replicas too).</li>
 *   <li>{@code crash-during-rebalance}: a planned move of the client VIP group to the next node (two-phase, asked
 *   of the third node); the moment the old owner has released and the new one has not yet announced, the new
 *   owner (odd seeds) or the old owner (even seeds) crashes.</li>
 * </ul>
 * Where and when the crash landed is attached to the context as a {@link Fault}.
 */
public final class HandoverCrashScenarios {
    /** Flows the VIP owner handles when the joining node arrives: enough for a transfer that takes a while. */
    public static final int BULK_FLOWS = 20_000;
    public static final int BULK_SINK_PORT = 9;
    static final int BULK_FIRST_PORT = 20_000;
    static final long BULK_FLOWS_FROM_NS = 600_000_000L;
    static final long BULK_FLOWS_UNTIL_NS = 1_100_000_000L;
    /** How often the fault looks whether its moment has come. */
    static final long POLL_NS = 20_000L;
    /** How long after the trigger (restart, move command) the fault looks for its moment before giving up. */
    static final long POLL_FOR_NS = 2_000_000_000L;
    /** A connection established this long ago must be known to any node that takes over its VIP. */
    static final long REPLICATION_LAG_NS = 50_000_000L;

    private HandoverCrashScenarios() {
    }

    /** Where the scenario's crash landed: victim, time, and what was in progress ({@code detail}). */
    public static final class Fault {
        public String victim;
        public long atNs = -1;
        public String detail = "no crash: the moment never came";
        /** crash-during-bulk, at the crash: flows the sender handled, and how many of them the joining node had. */
        public int senderFlows = -1;
        public int joinerHadOfThem = -1;
    }

    public static List<Scenario> all() {
        return List.of(
                ClusterScenarios.cluster("crash-during-bulk", HandoverCrashScenarios::crashDuringBulk),
                ClusterScenarios.cluster("crash-during-rebalance", HandoverCrashScenarios::crashDuringRebalance));
    }

    public static Fault fault(ScenarioContext ctx) {
        return ctx.attachment(Fault.class);
    }

    private static void crashDuringBulk(ScenarioContext ctx, ClusterTopology topo) {
        Simulation sim = ctx.simulation();
        Fault fault = new Fault();
        ctx.attach(fault);
        watchTakeovers(ctx, topo);
        SimNode joiner = topo.gateways.getFirst();
        sim.schedule(0, joiner::crash);
        createFlows(ctx, topo);
        sim.schedule(ClusterScenarios.FAULT_AT_NS, joiner::restart);
        sim.every(ClusterScenarios.FAULT_AT_NS, POLL_NS, () -> {
            if (!(joiner.machine() instanceof GatewayNode node) || joiner.status() != SimNode.Status.RUNNING) {
                return true;
            }
            long imported = node.syncStats().recordsImported();
            SimNode sender = owner(topo);
            if (imported < BULK_FLOWS / 2 || sender == null) { // a join briefly suspends the VIPs (new epoch)
                return sim.nowNs() < ClusterScenarios.FAULT_AT_NS + POLL_FOR_NS;
            }
            if (sender != joiner && sender.machine() instanceof GatewayNode s) {
                fault.senderFlows = s.conntrack().active().size();
                fault.joinerHadOfThem = known(node, s);
                crash(ctx, fault, sender, joiner.name() + " has " + fault.joinerHadOfThem + " of the "
                        + fault.senderFlows + " flows " + sender.name() + " handles (" + imported
                        + " records imported from all members: bulk transfers in progress)");
            } else {
                fault.detail = "no crash: " + joiner.name() + " owned the VIP or had its state already";
            }
            return false;
        });
    }

    /** {@link #BULK_FLOWS} UDP flows from the clients to a sink port on the servers, through the VIP owner. */
    private static void createFlows(ScenarioContext ctx, ClusterTopology topo) {
        Simulation sim = ctx.simulation();
        for (SimHost server : topo.servers) {
            server.bindUdp(BULK_SINK_PORT, (host, srcIp, srcPort, dstPort, data) -> { });
        }
        int perClient = BULK_FLOWS / topo.clients.size();
        long periodNs = (BULK_FLOWS_UNTIL_NS - BULK_FLOWS_FROM_NS) / perClient;
        for (int i = 0; i < topo.clients.size(); i++) {
            SimHost client = topo.clients.get(i);
            SimHost server = topo.servers.get(i % topo.servers.size());
            int[] sent = {0};
            sim.every(BULK_FLOWS_FROM_NS + i * 1_000L, periodNs, () -> {
                client.sendUdp(BULK_FIRST_PORT + sent[0], server.address(), BULK_SINK_PORT, new byte[16]);
                return ++sent[0] < perClient;
            });
        }
    }

    private static void crashDuringRebalance(ScenarioContext ctx, ClusterTopology topo) {
        Simulation sim = ctx.simulation();
        Fault fault = new Fault();
        ctx.attach(fault);
        watchTakeovers(ctx, topo);
        sim.schedule(ClusterScenarios.FAULT_AT_NS, () -> {
            SimNode from = owner(topo);
            if (from == null) {
                fault.detail = "no crash: nobody owned the VIP when the move was to start";
                return;
            }
            List<SimNode> gws = topo.gateways;
            SimNode to = gws.get((gws.indexOf(from) + 1) % gws.size());
            SimNode asked = gws.get((gws.indexOf(from) + 2) % gws.size());
            asked.machine().onCommand(asked.nodeNowNs(), new NodeCommand.MoveVip(ClusterTopology.CLIENT_VIP, to.name()),
                    result -> sim.trace().record(sim.nowNs(), asked.name(), "command",
                            "move " + result.ok() + " " + result.message()));
            SimNode victim = sim.seed() % 2 != 0 ? to : from;
            long giveUpNs = sim.nowNs() + POLL_FOR_NS;
            sim.every(sim.nowNs() + POLL_NS, POLL_NS, () -> {
                if (owner(topo) != null) { // not released yet, or already taken over (then it is too late)
                    return sim.nowNs() < giveUpNs && (from.machine() instanceof GatewayNode n
                            && n.ownsVip(0, ClusterTopology.CLIENT_VIP));
                }
                crash(ctx, fault, victim, from.name() + " has released the VIP, " + to.name()
                        + " has not taken it over yet (move in progress); crashing the "
                        + (victim == to ? "new" : "old") + " owner");
                return false;
            });
        });
    }

    /** How many of the flows {@code owner} handles {@code joiner} holds (as replicas). */
    private static int known(GatewayNode joiner, GatewayNode owner) {
        FlowTable theirs = owner.conntrack().active();
        FlowKey key = new FlowKey();
        int known = 0;
        for (int s = 0; s < theirs.capacity(); s++) {
            if (theirs.used(s)) {
                theirs.keyOf(s, key);
                boolean has = joiner.conntrack().standby().lookup(key) >= 0 || joiner.conntrack().active().lookup(key) >= 0;
                known += has ? 1 : 0;
            }
        }
        return known;
    }

    private static void crash(ScenarioContext ctx, Fault fault, SimNode victim, String detail) {
        Simulation sim = ctx.simulation();
        fault.victim = victim.name();
        fault.atNs = sim.nowNs();
        fault.detail = detail;
        sim.trace().record(sim.nowNs(), victim.name(), "fault", "crash: " + detail);
        victim.crash();
    }

    private static void watchTakeovers(ScenarioContext ctx, ClusterTopology topo) {
        ctx.simulation().addInvariant(new TakeoverHasState(topo.gateways, topo.clients, 0, ClusterTopology.CLIENT_VIP,
                REPLICATION_LAG_NS));
    }

    /** The running node answering for the client VIP, or null. */
    static SimNode owner(ClusterTopology topo) {
        for (SimNode g : topo.gateways) {
            if (g.status() == SimNode.Status.RUNNING && g.machine() instanceof GatewayNode n
                    && n.ownsVip(0, ClusterTopology.CLIENT_VIP)) {
                return g;
            }
        }
        return null;
    }
}
