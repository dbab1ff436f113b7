package io.ringwall.sim.scenario;

import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeCommand;
import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.Partition;
import io.ringwall.sim.SimNode;
import io.ringwall.sim.Violation;
import io.ringwall.sim.host.SimHost;
import io.ringwall.sim.invariant.VipOwnership;
import io.ringwall.time.Prng;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Cluster scenarios (SPEC §12): three gateways sharing the client, server and cluster segments, 8 TCP echo
 * connections, UDP probes every millisecond from every client (their longest silence is {@code udp_max_gap_ms})
 * and pings. The VIP invariants are checked after every event; at the end every running, connected node must
 * be in one quorate ring. Until connection state is replicated, TCP survival is reported, not demanded.
 */
public final class ClusterScenarios {
    public static final int GATEWAYS = 3;
    public static final long DURATION_NS = BuiltInScenarios.DURATION_NS;
    public static final long TRAFFIC_START_NS = 500_000_000L;
    public static final long FAULT_AT_NS = BuiltInScenarios.FAULT_AT_NS;
    public static final long HEAL_AFTER_NS = 1_000_000_000L;
    public static final long PROBE_PERIOD_NS = 1_000_000L;
    public static final int PROBE_PORT = 6000;
    /** A VIP may be without an owner this long after its owner fails (token loss, 911, regeneration, announce). */
    public static final long ORPHAN_BOUND_NS = 500_000_000L;
    /** drain-after-restart: the crashed owner restarts this long after its crash ... */
    static final long RESTART_AFTER_NS = 100_000_000L;
    /** ... and the new owner is drained at this time of the run. */
    static final long DRAIN_AFTER_RESTART_AT_NS = 3_000_000_000L;
    /** After the last fault, the ring must have re-formed within this long. */
    public static final long REFORM_BOUND_NS = 1_000_000_000L;

    private ClusterScenarios() {
    }

    public static List<Scenario> all() {
        return List.of(
                cluster("cluster-baseline", (ctx, topo) -> { }),
                cluster("crash-active", ClusterScenarios::crashOwner),
                cluster("crash-holder", ClusterScenarios::crashHolderOwningNoVip),
                cluster("crash-active-holder", ClusterScenarios::crashOwnerWhenHolding),
                cluster("links-down", (ctx, topo) -> ctx.simulation().schedule(FAULT_AT_NS,
                        () -> new Partition(topo.linksOf(vipOwner(topo))).apply())),
                cluster("partition", ClusterScenarios::partitionAndHeal),
                cluster("join", (ctx, topo) -> {
                    SimNode late = topo.gateways.getLast();
                    ctx.simulation().schedule(0, late::crash);
                    ctx.simulation().schedule(FAULT_AT_NS, late::restart);
                }),
                cluster("rebalance", ClusterScenarios::manualMove),
                cluster("drain", (ctx, topo) -> ctx.simulation().schedule(FAULT_AT_NS, () -> closeOwner(ctx, topo))),
                cluster("drain-after-restart", ClusterScenarios::drainAfterRestart),
                cluster("cluster-link-down", (ctx, topo) -> ctx.simulation().schedule(FAULT_AT_NS, () -> {
                    // the dedicated cluster network fails; the ring keeps running over the data subnets
                    List<io.ringwall.sim.SimLink> links = new ArrayList<>();
                    topo.gateways.forEach(g -> links.add(g.link(2)));
                    new Partition(links).apply();
                })),
                cluster("lossy", ClusterTopology.Timers.DEFAULT,
                        LinkProfile.ideal().withLatency(50_000, 20_000).withLoss(0.10).withDuplicate(0.05)
                                .withReorder(0.05, 1_000_000L), DURATION_NS, ClusterScenarios::crashOwner),
                cluster("crash-active-fast", ClusterTopology.Timers.FAST, ClusterScenarios::crashOwner),
                cluster("crash-active-5", 5, "majority", ClusterScenarios::crashOwner),
                // two nodes without a tie-breaker: a majority of two needs both, so these run with quorum 1
                // (the tie-breaker variants are in TieBreakerScenarios)
                cluster("crash-active-2", 2, "1", ClusterScenarios::crashOwner),
                cluster("cluster-baseline-2", 2, "1", (ctx, topo) -> { }),
                cluster("chaos", ClusterScenarios::chaos));
    }

    /** The cluster topology a scenario built on {@code ctx}. */
    public static ClusterTopology lastTopology(ScenarioContext ctx) {
        return ctx.attachment(ClusterTopology.class);
    }

    public static SimNode vipOwner(ClusterTopology topo) {
        for (SimNode g : topo.gateways) {
            if (g.status() == SimNode.Status.RUNNING && g.machine() instanceof GatewayNode n
                    && n.ownsVip(0, ClusterTopology.CLIENT_VIP)) {
                return g;
            }
        }
        return topo.gateways.getFirst();
    }

    /** `ringwall close` of whoever owns the client VIP now. */
    static void closeOwner(ScenarioContext ctx, ClusterTopology topo) {
        SimNode owner = vipOwner(topo);
        owner.machine().onCommand(owner.nodeNowNs(), new NodeCommand.Close(owner.name()),
                result -> ctx.simulation().trace().record(ctx.simulation().nowNs(), owner.name(), "command",
                        "close " + result.ok() + " " + result.message()));
    }

    /**
     * A rolling maintenance: the VIP owner crashes and restarts at once, and a second later the new owner is
     * drained. The two other nodes hold no VIP and all are still fresh (fresh_node_s is 60 s), so the VIPs go to the
     * node up longest — the third one, although the restarted node has the lower id.
     */
    static void drainAfterRestart(ScenarioContext ctx, ClusterTopology topo) {
        SimNode[] first = new SimNode[1];
        ctx.simulation().schedule(FAULT_AT_NS, () -> {
            first[0] = vipOwner(topo);
            first[0].crash();
        });
        ctx.simulation().schedule(FAULT_AT_NS + RESTART_AFTER_NS, () -> first[0].restart());
        ctx.simulation().schedule(DRAIN_AFTER_RESTART_AT_NS, () -> closeOwner(ctx, topo));
    }

    /** The fault of the crash scenarios: whoever owns the client VIP at {@link #FAULT_AT_NS} crashes. */
    private static void crashOwner(ScenarioContext ctx, ClusterTopology topo) {
        ctx.simulation().schedule(FAULT_AT_NS, () -> vipOwner(topo).crash());
    }

    /**
     * From {@link #FAULT_AT_NS} on, the first node seen holding the token while another node owns the client VIP
     * crashes: the token dies with it, and the ring must regenerate around a VIP owner that stays where it is.
     */
    private static void crashHolderOwningNoVip(ScenarioContext ctx, ClusterTopology topo) {
        ctx.simulation().schedule(FAULT_AT_NS, () -> {
            SimNode owner = vipOwner(topo);
            crashFirstHolder(ctx, topo, g -> g != owner, "crash of the token holder");
        });
    }

    /**
     * The VIP owner crashes the first time it is seen holding the token: the worst case of a crash, since the token
     * dies with it and must be regenerated (911) before its VIPs can move.
     */
    private static void crashOwnerWhenHolding(ScenarioContext ctx, ClusterTopology topo) {
        ctx.simulation().schedule(FAULT_AT_NS, () -> {
            SimNode owner = vipOwner(topo);
            crashFirstHolder(ctx, topo, g -> g == owner, "crash of the VIP owner holding the token");
        });
    }

    /** Crashes the first running gateway {@code which} accepts that holds the token, looking every millisecond. */
    private static void crashFirstHolder(ScenarioContext ctx, ClusterTopology topo,
                                         Predicate<SimNode> which, String what) {
        for (SimNode g : topo.gateways) {
            if (which.test(g) && g.status() == SimNode.Status.RUNNING && g.machine() instanceof GatewayNode n
                    && n.holdsToken()) {
                ctx.simulation().trace().record(ctx.simulation().nowNs(), g.name(), "fault", what);
                g.crash();
                return;
            }
        }
        ctx.simulation().schedule(ctx.simulation().nowNs() + 1_000_000L, () -> crashFirstHolder(ctx, topo, which, what));
    }

    private static void partitionAndHeal(ScenarioContext ctx, ClusterTopology topo) {
        Partition[] cut = new Partition[1];
        ctx.simulation().schedule(FAULT_AT_NS, () -> {
            cut[0] = new Partition(topo.linksOf(vipOwner(topo)));
            cut[0].apply();
        });
        ctx.simulation().schedule(FAULT_AT_NS + HEAL_AFTER_NS, () -> cut[0].heal());
    }

    private static void manualMove(ScenarioContext ctx, ClusterTopology topo) {
        ctx.simulation().schedule(FAULT_AT_NS, () -> {
            SimNode owner = vipOwner(topo);
            SimNode target = topo.gateways.get((topo.gateways.indexOf(owner) + 1) % topo.gateways.size());
            SimNode asked = topo.gateways.get((topo.gateways.indexOf(owner) + 2) % topo.gateways.size());
            asked.machine().onCommand(asked.nodeNowNs(), new NodeCommand.MoveVip(ClusterTopology.CLIENT_VIP, target.name()),
                    result -> ctx.simulation().trace().record(ctx.simulation().nowNs(), asked.name(), "command",
                            "move " + result.ok() + " " + result.message()));
        });
        ctx.simulation().schedule(DURATION_NS - REFORM_BOUND_NS, () -> {
            // the move must have completed: exactly the target owns the VIP
            SimNode owner = vipOwner(topo);
            ctx.simulation().trace().record(ctx.simulation().nowNs(), owner.name(), "vip-owner", "");
        });
    }

    /** Random faults for the seed, one at a time, with a quiet end phase in which everything is healed. */
    private static void chaos(ScenarioContext ctx, ClusterTopology topo) {
        Prng prng = ctx.simulation().forkPrng();
        List<Partition> cuts = new ArrayList<>();
        long t = TRAFFIC_START_NS + 200_000_000L;
        long quietFrom = DURATION_NS - REFORM_BOUND_NS - 500_000_000L;
        while (t < quietFrom) {
            SimNode victim = topo.gateways.get(prng.nextInt(topo.gateways.size()));
            int action = prng.nextInt(3);
            long recover = t + 100_000_000L + prng.nextInt(400) * 1_000_000L;
            switch (action) {
                case 0 -> {
                    ctx.simulation().schedule(t, victim::crash);
                    ctx.simulation().schedule(Math.min(recover, quietFrom), victim::restart);
                }
                case 1 -> {
                    Partition cut = new Partition(topo.linksOf(victim));
                    cuts.add(cut);
                    ctx.simulation().schedule(t, cut::apply);
                    ctx.simulation().schedule(Math.min(recover, quietFrom), cut::heal);
                }
                default -> {
                    ctx.simulation().schedule(t, victim::pause);
                    ctx.simulation().schedule(Math.min(recover, quietFrom), victim::resume);
                }
            }
            t = recover + 50_000_000L + prng.nextInt(200) * 1_000_000L;
        }
    }

    public static Scenario cluster(String name, BiConsumer<ScenarioContext, ClusterTopology> faults) {
        return cluster(name, ClusterTopology.Timers.DEFAULT, faults);
    }

    public static Scenario cluster(String name, ClusterTopology.Timers timers,
                                   BiConsumer<ScenarioContext, ClusterTopology> faults) {
        return cluster(name, timers, LinkProfile.ideal().withLatency(50_000, 20_000), DURATION_NS, faults);
    }

    /** The live demo: the cluster with traffic for {@code durationNs}; faults come from the user. */
    public static Scenario live(long durationNs) {
        return cluster("cluster", ClusterTopology.Timers.DEFAULT, LinkProfile.ideal().withLatency(50_000, 20_000),
                durationNs, (ctx, topo) -> { });
    }

    public static Scenario cluster(String name, int nodes, String quorum,
                                   BiConsumer<ScenarioContext, ClusterTopology> faults) {
        return cluster(name, nodes, quorum, ClusterTopology.Timers.DEFAULT, LinkProfile.ideal().withLatency(50_000, 20_000),
                DURATION_NS, faults);
    }

    public static Scenario cluster(String name, ClusterTopology.Timers timers, LinkProfile links, long durationNs,
                                   BiConsumer<ScenarioContext, ClusterTopology> faults) {
        return cluster(name, GATEWAYS, "majority", timers, links, durationNs, faults);
    }

    public static Scenario cluster(String name, int nodes, String quorum, ClusterTopology.Timers timers,
                                   LinkProfile links, long durationNs, BiConsumer<ScenarioContext, ClusterTopology> faults) {
        return cluster(name, nodes, quorum, false, timers, links, durationNs, faults);
    }

    /** {@code tieBreaker}: a two-node cluster with a ping target on the client segment (SPEC §3). */
    public static Scenario cluster(String name, int nodes, String quorum, boolean tieBreaker,
                                   ClusterTopology.Timers timers, LinkProfile links, long durationNs,
                                   BiConsumer<ScenarioContext, ClusterTopology> faults) {
        return cluster(name, nodes, quorum, tieBreaker, 1, timers, links, durationNs, faults);
    }

    /** {@code vipGroups}: VIPs per subnet; with more than one the cluster runs active/active (see ClusterTopology). */
    public static Scenario cluster(String name, int nodes, String quorum, boolean tieBreaker, int vipGroups,
                                   ClusterTopology.Timers timers, LinkProfile links, long durationNs,
                                   BiConsumer<ScenarioContext, ClusterTopology> faults) {
        return new Scenario() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void build(ScenarioContext ctx) {
                ClusterTopology topo = new ClusterTopology(ctx, nodes, BuiltInScenarios.CLIENTS,
                        BuiltInScenarios.SERVERS, links, timers, quorum, ClusterTopology.RULES, tieBreaker, vipGroups);
                ctx.attach(topo);
                EchoTraffic.start(ctx, topo.clients, topo.servers, BuiltInScenarios.CONNECTIONS,
                        BuiltInScenarios.CHUNK_BYTES, BuiltInScenarios.CHUNK_PERIOD_NS, TRAFFIC_START_NS,
                        durationNs - BuiltInScenarios.CHUNK_PERIOD_NS);
                startProbes(ctx, topo, durationNs);
                ctx.simulation().addInvariant(new VipOwnership(topo.gateways, topo.vipsByInterface(), ORPHAN_BOUND_NS));
                faults.accept(ctx, topo);
                ctx.simulation().schedule(durationNs - 1, () -> checkRingReformed(ctx, topo));
            }

            @Override
            public long durationNs() {
                return durationNs;
            }

            @Override
            public boolean demandsConnectionSurvival() {
                // Every established flow must survive a single failure: flows are replicated to every member. The
                // chaos sweep strings faults back to back (TCP's own back-off then exceeds the stall bound), so it
                // reports survival and demands no resets instead (see ClusterChaosSweepTest).
                return !name.equals("chaos");
            }

            @Override
            public long stallNs() {
                return links.loss() > 0 ? BuiltInScenarios.LOSSY_STALL_NS : ScenarioContext.STALL_NS;
            }
        };
    }

    private static void startProbes(ScenarioContext ctx, ClusterTopology topo, long durationNs) {
        for (int i = 0; i < topo.clients.size(); i++) {
            SimHost client = topo.clients.get(i);
            SimHost server = topo.servers.get(i % topo.servers.size());
            client.bindUdp(PROBE_PORT, (host, srcIp, srcPort, dstPort, data) -> ctx.noteUdpEcho(host.name()));
            ctx.simulation().every(TRAFFIC_START_NS + i * 100_000L, PROBE_PERIOD_NS, () -> {
                client.sendUdp(PROBE_PORT, server.address(), EchoTraffic.ECHO_PORT, new byte[32]);
                return ctx.simulation().nowNs() + PROBE_PERIOD_NS < durationNs - BuiltInScenarios.CHUNK_PERIOD_NS;
            });
        }
    }

    /** Every running node whose links are up is in one quorate ring with all the others. */
    private static void checkRingReformed(ScenarioContext ctx, ClusterTopology topo) {
        List<SimNode> running = topo.gateways.stream().filter(g -> g.status() == SimNode.Status.RUNNING)
                .filter(g -> topo.linksOf(g).stream().allMatch(io.ringwall.sim.SimLink::isUp)).toList();
        for (SimNode g : running) {
            GatewayNode node = (GatewayNode) g.machine();
            if (node.ringMembers() != running.size() || !node.quorate()) {
                ctx.simulation().report(new Violation(ctx.simulation().nowNs(), "ring-reformed",
                        g.name() + " sees " + node.ringMembers() + " members (quorate " + node.quorate() + "), "
                                + running.size() + " nodes are running"));
            }
        }
    }
}
