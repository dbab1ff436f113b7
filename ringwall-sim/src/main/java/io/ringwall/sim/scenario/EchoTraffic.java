package io.ringwall.sim.scenario;

import io.ringwall.sim.Simulation;
import io.ringwall.sim.host.SimHost;
import io.ringwall.sim.host.TcpApp;
import io.ringwall.sim.host.TcpConnection;
import io.ringwall.time.Prng;

/**
 * Long-lived traffic from clients to servers: TCP echo connections that write a chunk every
 * period, UDP echo probes and pings. Connections are spread round-robin over clients and servers.
 */
public final class EchoTraffic {
    public static final int ECHO_PORT = 7;
    public static final int UDP_CLIENT_PORT = 5000;
    public static final long UDP_PERIOD_NS = 100_000_000L;
    public static final long PING_PERIOD_NS = 250_000_000L;
    /** Connections open 10 ms apart so handshakes do not all coincide. */
    public static final long CONNECT_SPACING_NS = 10_000_000L;
    /** A writer stops adding chunks while this much is still unacknowledged (bounds the send buffer). */
    public static final int UNACKED_MAX = 64 * 1024;

    private EchoTraffic() {
    }

    /** Starts everything at {@code startNs}; writers and probes stop at {@code stopNs}. */
    public static void start(ScenarioContext ctx, GatewayTopology topo, int connections, int chunkBytes,
                             long chunkPeriodNs, long startNs, long stopNs) {
        start(ctx, topo.clients, topo.servers, connections, chunkBytes, chunkPeriodNs, startNs, stopNs);
    }

    /** Starts everything at {@code startNs}; writers and probes stop at {@code stopNs}. */
    public static void start(ScenarioContext ctx, java.util.List<SimHost> clients, java.util.List<SimHost> servers,
                             int connections, int chunkBytes, long chunkPeriodNs, long startNs, long stopNs) {
        Simulation sim = ctx.simulation();
        Prng prng = sim.forkPrng();
        for (SimHost server : servers) {
            server.listen(ECHO_PORT, TcpApp.ECHO);
            server.udpEcho(ECHO_PORT);
        }
        for (int i = 0; i < connections; i++) {
            SimHost client = clients.get(i % clients.size());
            SimHost server = servers.get(i % servers.size());
            long seed = prng.nextLong();
            sim.schedule(startNs + i * CONNECT_SPACING_NS, () -> {
                TcpConnection c = ctx.watch(client.connect(server.address(), ECHO_PORT, TcpApp.NONE));
                Prng payload = new Prng(seed);
                sim.every(sim.nowNs() + chunkPeriodNs, chunkPeriodNs, () -> {
                    if (sim.nowNs() >= stopNs || c.state() == TcpConnection.State.CLOSED) {
                        return false;
                    }
                    if (c.isEstablished() && c.bytesUnacked() < UNACKED_MAX) {
                        byte[] chunk = new byte[chunkBytes];
                        for (int b = 0; b < chunk.length; b++) {
                            chunk[b] = (byte) payload.nextInt(256);
                        }
                        c.write(chunk);
                    }
                    return true;
                });
            });
        }
        for (int i = 0; i < clients.size(); i++) {
            SimHost client = clients.get(i);
            SimHost server = servers.get(i % servers.size());
            client.bindUdp(UDP_CLIENT_PORT, (host, srcIp, srcPort, dstPort, data) -> {
                ctx.countUdpEchoed();
                ctx.noteUdpEcho(host.name());
            });
            sim.every(startNs + UDP_PERIOD_NS + i, UDP_PERIOD_NS, () -> {
                ctx.countUdpSent();
                client.sendUdp(UDP_CLIENT_PORT, server.address(), ECHO_PORT, new byte[64]);
                return sim.nowNs() + UDP_PERIOD_NS < stopNs;
            });
            sim.every(startNs + PING_PERIOD_NS + i, PING_PERIOD_NS, () -> {
                ctx.countPingSent();
                client.ping(server.address(), SimHost.DEFAULT_TTL);
                return sim.nowNs() + PING_PERIOD_NS < stopNs;
            });
        }
    }
}
