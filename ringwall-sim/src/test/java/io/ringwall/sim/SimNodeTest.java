package io.ringwall.sim;

import io.ringwall.sim.host.SimHost;
import io.ringwall.sim.scenario.GatewayTopology;
import io.ringwall.sim.scenario.ScenarioContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimNodeTest {
    final Simulation sim = new Simulation(5);
    final ScenarioContext ctx = new ScenarioContext(sim, TestRouterNode::new);
    final GatewayTopology topo = new GatewayTopology(ctx, 1, 1, 1, LinkProfile.ideal());
    final SimNode gw = topo.gateways.getFirst();

    @Test
    void nodeIsTickedAtItsDeadlines() {
        sim.runUntil(1_000_000_000L);
        assertThat(((TestRouterNode) gw.machine()).ticks).isEqualTo(10);
    }

    @Test
    void fastClockDriftMakesTheNodeTickMoreOften() {
        gw.setClockDrift(0.10);
        sim.runUntil(1_000_000_000L);
        assertThat(((TestRouterNode) gw.machine()).ticks).isEqualTo(11);
        assertThat(gw.nodeNowNs()).isEqualTo(1_100_000_000L);
    }

    @Test
    void crashDropsTrafficAndRestartBuildsAFreshMachine() {
        SimHost client = topo.clients.getFirst();
        SimHost server = topo.servers.getFirst();
        sim.runFor(1_000_000);
        var before = client.ping(server.address(), 64);
        sim.runFor(10_000_000);
        assertThat(before.answered()).isTrue();
        var original = gw.machine();

        gw.crash();
        var during = client.ping(server.address(), 64);
        sim.runFor(10_000_000);
        assertThat(during.answered()).isFalse();
        assertThat(gw.framesDroppedWhileDown()).isPositive();
        assertThat(gw.machine()).isNull();

        gw.restart();
        assertThat(gw.machine()).isNotSameAs(original);
        var after = client.ping(server.address(), 64);
        sim.runFor(10_000_000);
        assertThat(after.answered()).isTrue();
        assertThat(gw.restarts()).isEqualTo(1);
    }

    @Test
    void smallTtlProbeDrawsTimeExceededFromTheRouter() {
        SimHost client = topo.clients.getFirst();
        var probe = client.ping(topo.servers.getFirst().address(), 1);
        sim.runFor(10_000_000);
        assertThat(probe.answered()).isFalse();
        assertThat(probe.error()).isNotNull();
        assertThat(probe.error().type()).isEqualTo(io.ringwall.sim.host.IcmpError.TIME_EXCEEDED);
        assertThat(probe.error().fromIp()).isEqualTo(GatewayTopology.CLIENT_VIP);
    }

    @Test
    void nodeLogLinesEnterTheTrace() {
        assertThat(gw.logEvents()).isEqualTo(1); // TestRouterNode logs "start"
        assertThat(sim.trace().recentLines()).anyMatch(l -> l.contains("gw1 log:start gw1"));
    }
}
