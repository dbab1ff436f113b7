package io.ringwall.dataplane;

import io.ringwall.node.Effects;
import io.ringwall.wire.EthernetFrame;

/**
 * Passing a frame to the node that owns its flow's bucket (SPEC §5.1): on the segment it came from by rewriting
 * its MAC addresses, or, when the owner cannot be reached there, encapsulated over the cluster link
 * ({@link FrameTunnel}). Single-threaded like the pipeline that owns it.
 */
final class OwnerPassing {
    private final Effects effects;
    private final DataplaneCounters counters;
    private final ArpCache neighbours;
    private final long[] macs;
    private FlowDistribution distribution;
    /** Null until clustered with a tunnel: then frames for an unreachable owner are handled here. */
    private FrameTunnel tunnel;

    OwnerPassing(Effects effects, DataplaneCounters counters, ArpCache neighbours, long[] macs) {
        this.effects = effects;
        this.counters = counters;
        this.neighbours = neighbours;
        this.macs = macs;
    }

    void enable(FlowDistribution flowDistribution) {
        this.distribution = flowDistribution;
    }

    void enableTunnel(FrameTunnel frameTunnel) {
        this.tunnel = frameTunnel;
    }

    /**
     * Sends the frame unchanged but for its MAC addresses to {@code node}'s own address on the segment it came
     * from (no TTL decrement: the owner routes it). If the owner has no address there, its MAC is unknown yet (its
     * cluster traffic on that segment resolves it within a token rotation) or the segment is marked down for it,
     * the frame goes to it encapsulated over the cluster link instead. Never if a peer sent it here (by MAC or
     * encapsulated): a node that gets a frame from another member handles it, so two members with different maps
     * never bounce a frame between them ({@code tunnelled}: the frame arrived encapsulated).
     */
    boolean passTo(EthernetFrame eth, int inIf, int node, int length, int offload, boolean tunnelled) {
        if (tunnelled || distribution.fromPeer(inIf, eth.src())) {
            distribution.countLoopAvoided();
            return false;
        }
        int address = distribution.addressOf(inIf, node);
        long mac = address == 0 || distribution.segmentDown(inIf, node) ? -1 : neighbours.lookup(address);
        if (mac < 0) {
            return encapsulate(eth, inIf, node, length, offload);
        }
        eth.setSrc(macs[inIf]);
        eth.setDst(mac);
        effects.sendFrame(inIf, eth.segment(), length, offload);
        counters.transmitted(inIf, length);
        distribution.countRedirected();
        return true;
    }

    /** The fallback of {@link #passTo}: the frame travels to {@code node} in cluster datagrams, or is handled here. */
    private boolean encapsulate(EthernetFrame eth, int inIf, int node, int length, int offload) {
        if (tunnel == null || !tunnel.send(node, inIf, eth.segment(), length, offload)) {
            distribution.countPeerUnreachable();
            return false;
        }
        return true;
    }
}
