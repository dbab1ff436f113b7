package io.ringwall.sim.scenario;

import io.ringwall.sim.NodeFactory;
import io.ringwall.sim.SimNode;
import io.ringwall.sim.Simulation;
import io.ringwall.sim.host.SimHost;
import io.ringwall.sim.host.TcpConnection;
import io.ringwall.sim.invariant.EstablishedConnectionsStayAlive;

import java.util.ArrayList;
import java.util.List;

/** What a scenario builds into and what the runner measures afterwards. */
public final class ScenarioContext {
    /** Default: a watched connection with unacknowledged data and no progress for this long is stalled. */
    public static final long STALL_NS = 1_000_000_000L;
    /** Locally administered unicast prefix 02:00:00 for every simulated MAC. */
    private static final long MAC_PREFIX = 0x0200_0000_0000L;

    private final Simulation simulation;
    private final NodeFactory nodeFactory;
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<SimHost> hosts = new ArrayList<>();
    private final List<TcpConnection> watched = new ArrayList<>();
    private final long stallNs;
    private final EstablishedConnectionsStayAlive alive;
    private long nextMac = 1;
    private final java.util.Map<String, Long> lastUdpEchoNs = new java.util.HashMap<>();
    private long udpMaxGapNs;
    private final java.util.Map<Class<?>, Object> attachments = new java.util.HashMap<>();
    private long udpSent, udpEchoed, pingsSent;

    public ScenarioContext(Simulation simulation, NodeFactory nodeFactory) {
        this(simulation, nodeFactory, STALL_NS);
    }

    public ScenarioContext(Simulation simulation, NodeFactory nodeFactory, long stallNs) {
        this(simulation, nodeFactory, stallNs, true);
    }

    public ScenarioContext(Simulation simulation, NodeFactory nodeFactory, long stallNs, boolean demandSurvival) {
        this.simulation = simulation;
        this.nodeFactory = nodeFactory;
        this.stallNs = stallNs;
        this.alive = new EstablishedConnectionsStayAlive(stallNs);
        if (demandSurvival) {
            simulation.addInvariant(alive);
        }
    }

    /**
     * Records a UDP echo received by {@code host}: the longest interval between two echoes of the same host
     * is the UDP gap (how long the path through the gateway was dark, e.g. during a failover).
     */
    public void noteUdpEcho(String host) {
        long now = simulation.nowNs();
        Long last = lastUdpEchoNs.put(host, now);
        if (last != null) {
            udpMaxGapNs = Math.max(udpMaxGapNs, now - last);
        }
    }

    /** Keeps an object a scenario built (e.g. its topology) for tests and demos to find. */
    public void attach(Object o) {
        attachments.put(o.getClass(), o);
    }

    public <T> T attachment(Class<T> type) {
        return type.cast(attachments.get(type));
    }

    public long udpMaxGapNs() {
        return udpMaxGapNs;
    }

    public long stallNs() {
        return stallNs;
    }

    public Simulation simulation() {
        return simulation;
    }

    public NodeFactory nodeFactory() {
        return nodeFactory;
    }

    /** MACs are handed out in build order, so the same scenario always gets the same ones. */
    public long nextMac() {
        return MAC_PREFIX | nextMac++;
    }

    public SimNode addNode(SimNode node) {
        nodes.add(node);
        return node;
    }

    public SimHost addHost(SimHost host) {
        hosts.add(host);
        return host;
    }

    /** Counts the connection in the result and checks it with the stay-alive invariant. */
    public TcpConnection watch(TcpConnection connection) {
        watched.add(connection);
        alive.watch(connection);
        return connection;
    }

    public List<SimNode> nodes() {
        return List.copyOf(nodes);
    }

    public List<SimHost> hosts() {
        return List.copyOf(hosts);
    }

    public List<TcpConnection> watched() {
        return List.copyOf(watched);
    }

    public SimNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    void countUdpSent() {
        udpSent++;
    }

    void countUdpEchoed() {
        udpEchoed++;
    }

    void countPingSent() {
        pingsSent++;
    }

    public long udpSent() {
        return udpSent;
    }

    public long udpEchoed() {
        return udpEchoed;
    }

    public long pingsSent() {
        return pingsSent;
    }

    public long pingsAnswered() {
        return hosts.stream().flatMap(h -> h.pings().stream()).filter(p -> p.answered()).count();
    }
}
