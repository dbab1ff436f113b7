package io.ringwall.sim.scenario;

import io.ringwall.sim.SimNode;
import io.ringwall.sim.Simulation;
import io.ringwall.sim.host.TcpConnection;

/** A built scenario that can be advanced in steps (the live demo) or run to its end at once. */
public final class ScenarioRun {
    private final Scenario scenario;
    private final ScenarioContext context;
    private final long endNs;

    ScenarioRun(Scenario scenario, ScenarioContext context) {
        this.scenario = scenario;
        this.context = context;
        this.endNs = context.simulation().nowNs() + scenario.durationNs();
    }

    public Scenario scenario() {
        return scenario;
    }

    public ScenarioContext context() {
        return context;
    }

    public Simulation simulation() {
        return context.simulation();
    }

    public long endNs() {
        return endNs;
    }

    public boolean finished() {
        return simulation().nowNs() >= endNs;
    }

    /** Advances simulated time by {@code stepNs}, never past the scenario's end. */
    public void advance(long stepNs) {
        simulation().runUntil(Math.min(endNs, simulation().nowNs() + stepNs));
    }

    public ScenarioResult runToEnd() {
        simulation().runUntil(endNs);
        return result();
    }

    /** Measures the run as it stands now. */
    public ScenarioResult result() {
        long now = simulation().nowNs();
        int survived = 0, reset = 0;
        long maxGapNs = 0;
        for (TcpConnection c : context.watched()) {
            if (c.wasReset()) {
                reset++;
            }
            if (isAlive(c, now, context.stallNs())) {
                survived++;
            }
            maxGapNs = Math.max(maxGapNs, gapNs(c, now));
        }
        return new ScenarioResult(scenario.name(), simulation().seed(), context.nodes().size(),
                context.watched().size(), survived, reset, maxGapNs / 1e6, simulation().violations(),
                simulation().trace().hash(), context.udpMaxGapNs() / 1e6);
    }

    /** Established, never reset or timed out, still open, and delivered data within {@code stallNs}. */
    static boolean isAlive(TcpConnection c, long nowNs, long stallNs) {
        return c.establishedNs() >= 0 && !c.wasReset() && !c.timedOut()
                && c.state() != TcpConnection.State.CLOSED
                && nowNs - Math.max(c.lastDeliveryNs(), c.establishedNs()) <= stallNs;
    }

    private static long gapNs(TcpConnection c, long nowNs) {
        if (c.establishedNs() < 0) {
            return nowNs - c.createdNs();
        }
        long flowEnd = c.closedByUser() && c.closedNs() >= 0 ? c.closedNs() : nowNs;
        long last = Math.max(c.lastDeliveryNs(), c.establishedNs());
        return Math.max(c.maxDeliveryGapNs(), Math.max(0, flowEnd - last));
    }

    /** A status snapshot for a terminal line or the web console. */
    public DemoStatus status() {
        long now = simulation().nowNs();
        var nodes = context.nodes().stream().map(n -> new DemoStatus.NodeStatus(n.name(), n.status().name(),
                n.framesIn(), n.framesOut(), n.framesDroppedWhileDown(), n.restarts())).toList();
        int alive = 0, reset = 0;
        for (TcpConnection c : context.watched()) {
            alive += isAlive(c, now, context.stallNs()) ? 1 : 0;
            reset += c.wasReset() ? 1 : 0;
        }
        long delivered = context.hosts().stream().mapToLong(h -> h.framesIn()).sum();
        return new DemoStatus(now, nodes, context.watched().size(), alive, reset, delivered,
                context.udpSent(), context.udpEchoed(), context.pingsSent(), context.pingsAnswered(),
                simulation().violations().size());
    }
}
