package io.ringwall.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An L2 segment: a learning switch. It learns source MACs per port (a MAC seen on a new port moves,
 * which is what makes gratuitous ARP after a VIP takeover work), forwards known unicast to one port
 * and floods broadcast, multicast and unknown destinations to every other port. Two ports can be isolated from
 * each other ({@link #isolate}), as a switch with port isolation or a broken path between two of its ports would:
 * each still reaches every other port, but not the other.
 */
public final class SimSegment {
    /** Bound of the MAC table; when full, new MACs are not learned and their frames are flooded. */
    public static final int MAC_TABLE_MAX = 4096;
    /** Entries not refreshed for this long are forgotten (Linux bridge default: 300 s). */
    public static final long MAC_AGEING_NS = 300_000_000_000L;

    private record Learned(int port, long learnedAtNs) {
    }

    private final Simulation sim;
    private final String name;
    private final List<SimLink> ports = new ArrayList<>();
    private final Map<Long, Learned> macTable = new HashMap<>();
    /** Port pairs that do not reach each other, as {@code min << 32 | max}. */
    private final java.util.Set<Long> isolated = new java.util.HashSet<>();
    private long framesFlooded, framesSwitched, framesFiltered, framesIsolated;

    public SimSegment(Simulation sim, String name) {
        this.sim = sim;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public SimLink attach(FrameEndpoint endpoint, LinkProfile profile) {
        SimLink link = new SimLink(sim, endpoint, this, ports.size(), profile);
        ports.add(link);
        return link;
    }

    /** Frames between the ports of {@code a} and {@code b} are dropped from now on, in both directions. */
    public void isolate(SimLink a, SimLink b) {
        isolated.add(pair(ports.indexOf(a), ports.indexOf(b)));
        sim.trace().record(sim.nowNs(), name, "isolate", a.endpoint().name() + " " + b.endpoint().name());
    }

    /** Undoes {@link #isolate}. */
    public void rejoin(SimLink a, SimLink b) {
        isolated.remove(pair(ports.indexOf(a), ports.indexOf(b)));
        sim.trace().record(sim.nowNs(), name, "rejoin", a.endpoint().name() + " " + b.endpoint().name());
    }

    private static long pair(int p, int q) {
        return (long) Math.min(p, q) << 32 | Math.max(p, q);
    }

    private boolean reaches(int from, int to) {
        if (isolated.isEmpty() || !isolated.contains(pair(from, to))) {
            return true;
        }
        framesIsolated++;
        return false;
    }

    public List<SimLink> links() {
        return List.copyOf(ports);
    }

    /** The port a MAC was learned on, or -1. */
    public int portOf(long mac) {
        Learned l = macTable.get(mac);
        return l == null || sim.nowNs() - l.learnedAtNs >= MAC_AGEING_NS ? -1 : l.port;
    }

    void forward(int inPort, byte[] frame) {
        if (frame.length < 14) {
            return;
        }
        long dst = io.ringwall.sim.packet.Bytes.mac(frame, 0);
        long src = io.ringwall.sim.packet.Bytes.mac(frame, 6);
        learn(src, inPort);
        boolean groupAddress = (dst & 0x0100_0000_0000L) != 0; // I/G bit: broadcast and multicast
        int outPort = groupAddress ? -1 : portOf(dst);
        if (outPort == inPort) {
            framesFiltered++; // destination lives behind the port it came from
            return;
        }
        if (outPort >= 0) {
            framesSwitched++;
            if (reaches(inPort, outPort)) {
                ports.get(outPort).deliverToEndpoint(frame);
            }
            return;
        }
        framesFlooded++;
        boolean first = true;
        for (int p = 0; p < ports.size(); p++) {
            if (p != inPort && reaches(inPort, p)) {
                ports.get(p).deliverToEndpoint(first ? frame : frame.clone());
                first = false;
            }
        }
    }

    private void learn(long src, int port) {
        if ((src & 0x0100_0000_0000L) != 0) {
            return; // a group address is never a source
        }
        if (macTable.size() >= MAC_TABLE_MAX && !macTable.containsKey(src)) {
            return;
        }
        macTable.put(src, new Learned(port, sim.nowNs()));
    }

    public long framesFlooded() {
        return framesFlooded;
    }

    public long framesSwitched() {
        return framesSwitched;
    }

    public long framesFiltered() {
        return framesFiltered;
    }

    /** Frames not delivered because their two ports are isolated from each other. */
    public long framesIsolated() {
        return framesIsolated;
    }
}
