package io.ringwall.sim.invariant;

import io.ringwall.sim.Invariant;
import io.ringwall.sim.Simulation;
import io.ringwall.sim.Violation;
import io.ringwall.sim.host.TcpConnection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every watched TCP connection that reached ESTABLISHED and was not deliberately closed stays
 * alive: it is never reset, never times out, and while it has unacknowledged data the peer
 * acknowledges or delivers data at least every {@code stallNs}. Each connection is reported at most once.
 */
public final class EstablishedConnectionsStayAlive implements Invariant {
    private final List<TcpConnection> watched = new ArrayList<>();
    private final Set<TcpConnection> reported = new HashSet<>();
    private final long stallNs;

    public EstablishedConnectionsStayAlive(long stallNs) {
        this.stallNs = stallNs;
    }

    public void watch(TcpConnection connection) {
        watched.add(connection);
    }

    @Override
    public String name() {
        return "established-connections-stay-alive";
    }

    @Override
    public void check(Simulation simulation, List<Violation> violations) {
        long now = simulation.nowNs();
        for (int i = 0; i < watched.size(); i++) {
            TcpConnection c = watched.get(i);
            if (c.establishedNs() < 0 || c.closedByUser() || reported.contains(c)) {
                continue;
            }
            String problem = problem(c, now);
            if (problem != null) {
                reported.add(c);
                violations.add(new Violation(now, name(), c + " " + problem));
            }
        }
    }

    private String problem(TcpConnection c, long now) {
        if (c.wasReset()) {
            return "was reset";
        }
        if (c.timedOut()) {
            return "timed out";
        }
        if (c.state() == TcpConnection.State.CLOSED) {
            return "closed by the peer";
        }
        long lastProgress = Math.max(Math.max(c.lastDeliveryNs(), c.lastAckProgressNs()), c.establishedNs());
        if (c.bytesUnacked() > 0 && now - lastProgress > stallNs) {
            return "stalled for " + (now - lastProgress) / 1_000_000 + " ms";
        }
        return null;
    }
}
