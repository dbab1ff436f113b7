package io.ringwall.sim.scenario;

import java.util.List;

/** A snapshot of a running scenario for the live demo; {@link #line()} is one terminal status line. */
public record DemoStatus(long simTimeNs, List<NodeStatus> nodes, int connections, int connectionsAlive,
                         int connectionsReset, long framesDeliveredToHosts, long udpSent, long udpEchoed,
                         long pingsSent, long pingsAnswered, int invariantViolations) {
    public DemoStatus {
        nodes = List.copyOf(nodes);
    }

    public record NodeStatus(String name, String status, long framesIn, long framesOut, long framesDropped,
                             long restarts) {
    }

    public String line() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "t=%8.3fs", simTimeNs / 1e9));
        for (NodeStatus n : nodes) {
            b.append(String.format(java.util.Locale.ROOT, " | %s %s in=%d out=%d", n.name(),
                    n.status().equals("RUNNING") ? "up" : n.status().toLowerCase(java.util.Locale.ROOT),
                    n.framesIn(), n.framesOut()));
        }
        b.append(String.format(java.util.Locale.ROOT, " | tcp %d/%d alive, %d reset | udp %d/%d | ping %d/%d | frames %d",
                connectionsAlive, connections, connectionsReset, udpEchoed, udpSent, pingsAnswered, pingsSent,
                framesDeliveredToHosts));
        if (invariantViolations > 0) {
            b.append(" | VIOLATIONS ").append(invariantViolations);
        }
        return b.toString();
    }
}
