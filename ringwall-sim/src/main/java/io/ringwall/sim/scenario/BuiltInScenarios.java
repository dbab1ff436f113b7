package io.ringwall.sim.scenario;

import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.SimNode;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The scenarios every build runs. All use one gateway between 4 clients and 2 servers with 8
 * long-lived TCP echo connections (512 bytes every 20 ms each), UDP probes and pings.
 */
public final class BuiltInScenarios {
    public static final int CLIENTS = 4;
    public static final int SERVERS = 2;
    public static final int CONNECTIONS = 8;
    public static final int CHUNK_BYTES = 512;
    public static final long CHUNK_PERIOD_NS = 20_000_000L;
    public static final long TRAFFIC_START_NS = 10_000_000L;
    public static final long DURATION_NS = 4_000_000_000L;
    public static final long FAULT_AT_NS = 1_500_000_000L;
    public static final long RECOVER_AFTER_NS = 500_000_000L;
    public static final double LOSSY_LOSS = 0.01;
    public static final double LOSSY_DUPLICATE = 0.01;
    public static final double LOSSY_REORDER = 0.01;
    public static final long LOSSY_REORDER_DELAY_NS = 2_000_000L;
    /** Two lost retransmissions in a row already pause a flow 200 + 400 + 800 ms. */
    public static final long LOSSY_STALL_NS = 3_000_000_000L;

    private BuiltInScenarios() {
    }

    public static List<Scenario> all() {
        return List.of(
                oneGateway("baseline", (ctx, gw) -> { }),
                oneGateway("gateway-crash", (ctx, gw) -> ctx.simulation().schedule(FAULT_AT_NS, gw::crash)),
                oneGateway("gateway-restart", (ctx, gw) -> {
                    ctx.simulation().schedule(FAULT_AT_NS, gw::crash);
                    ctx.simulation().schedule(FAULT_AT_NS + RECOVER_AFTER_NS, gw::restart);
                }),
                oneGateway("gateway-pause", (ctx, gw) -> {
                    ctx.simulation().schedule(FAULT_AT_NS, gw::pause);
                    ctx.simulation().schedule(FAULT_AT_NS + RECOVER_AFTER_NS, gw::resume);
                }),
                lossyBaseline());
    }

    /** The single-gateway scenarios and the cluster scenarios (SPEC §12). */
    public static List<Scenario> everything() {
        List<Scenario> all = new java.util.ArrayList<>(all());
        all.addAll(ClusterScenarios.all());
        all.addAll(TieBreakerScenarios.all());
        all.addAll(ActiveActiveScenarios.all());
        all.addAll(HandoverCrashScenarios.all());
        return List.copyOf(all);
    }

    /** Baseline over bad links: 1 % loss, 1 % duplication, 1 % reordering, 200 µs ± 100 µs per hop. */
    public static Scenario lossyBaseline() {
        LinkProfile lossy = LinkProfile.ideal().withLatency(200_000, 100_000).withLoss(LOSSY_LOSS)
                .withDuplicate(LOSSY_DUPLICATE).withReorder(LOSSY_REORDER, LOSSY_REORDER_DELAY_NS);
        Scenario base = oneGateway("baseline-lossy", lossy, (ctx, gw) -> { });
        return new Scenario() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public void build(ScenarioContext context) {
                base.build(context);
            }

            @Override
            public long durationNs() {
                return base.durationNs();
            }

            @Override
            public long stallNs() {
                return LOSSY_STALL_NS;
            }
        };
    }

    /** One gateway between clients and servers; {@code faults} schedules what happens to it. */
    public static Scenario oneGateway(String name, BiConsumer<ScenarioContext, SimNode> faults) {
        return oneGateway(name, LinkProfile.ideal().withLatency(50_000, 20_000), faults);
    }

    public static Scenario oneGateway(String name, LinkProfile links, BiConsumer<ScenarioContext, SimNode> faults) {
        return oneGateway(name, links, faults, DURATION_NS);
    }

    /** The live demo: the baseline topology and traffic, kept going for {@code durationNs}. */
    public static Scenario live(long durationNs) {
        return oneGateway("baseline", LinkProfile.ideal().withLatency(50_000, 20_000), (ctx, gw) -> { }, durationNs);
    }

    public static Scenario oneGateway(String name, LinkProfile links, BiConsumer<ScenarioContext, SimNode> faults,
                                      long durationNs) {
        return new Scenario() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void build(ScenarioContext ctx) {
                GatewayTopology topo = new GatewayTopology(ctx, 1, CLIENTS, SERVERS, links);
                EchoTraffic.start(ctx, topo, CONNECTIONS, CHUNK_BYTES, CHUNK_PERIOD_NS, TRAFFIC_START_NS,
                        durationNs - CHUNK_PERIOD_NS);
                faults.accept(ctx, topo.gateways.getFirst());
            }

            @Override
            public long durationNs() {
                return durationNs;
            }
        };
    }
}
