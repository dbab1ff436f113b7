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
                }));
    }

    /** One gateway between clients and servers; {@code faults} schedules what happens to it. */
    public static Scenario oneGateway(String name, BiConsumer<ScenarioContext, SimNode> faults) {
        return new Scenario() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void build(ScenarioContext ctx) {
                GatewayTopology topo = new GatewayTopology(ctx, 1, CLIENTS, SERVERS,
                        LinkProfile.ideal().withLatency(50_000, 20_000));
                EchoTraffic.start(ctx, topo, CONNECTIONS, CHUNK_BYTES, CHUNK_PERIOD_NS, TRAFFIC_START_NS,
                        DURATION_NS - CHUNK_PERIOD_NS);
                faults.accept(ctx, topo.gateways.getFirst());
            }

            @Override
            public long durationNs() {
                return DURATION_NS;
            }
        };
    }
}
