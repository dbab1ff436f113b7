package io.ringwall.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An L2 segment: a learning switch. It learns source MACs per port (a MAC seen on a new port moves,
 * which is what makes gratuitous ARP after a VIP takeover work), forwards known unicast to one port
 * and floods broadcast, multicast and unknown destinations to every other port.
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
    private long framesFlooded, framesSwitched, framesFiltered;

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
            ports.get(outPort).deliverToEndpoint(frame);
            return;
        }
        framesFlooded++;
        boolean first = true;
        for (int p = 0; p < ports.size(); p++) {
            if (p != inPort) {
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
}
