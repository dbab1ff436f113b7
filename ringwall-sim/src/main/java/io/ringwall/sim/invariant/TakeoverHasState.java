package io.ringwall.sim.invariant;

import io.ringwall.conntrack.FlowKey;
import io.ringwall.conntrack.FlowTable;
import io.ringwall.node.GatewayNode;
import io.ringwall.sim.Invariant;
import io.ringwall.sim.SimNode;
import io.ringwall.sim.Simulation;
import io.ringwall.sim.Violation;
import io.ringwall.sim.host.SimHost;
import io.ringwall.sim.host.TcpConnection;
import io.ringwall.wire.Ipv4Address;
import java.util.List;

/**
 * SPEC §5.5 and §5.7, checked at the moment a node starts answering for a VIP (in a quorate ring):
 * <ul>
 *   <li>its connection state is in: it is not still waiting for a member's bulk transfer
 *       ({@link GatewayNode#stateSynced()});</li>
 *   <li>every TCP connection of the watched clients that has been established for at least
 *       {@code replicationLagNs} and is still open is held by the node that owns its bucket in the new VIP owner's
 *       bucket map (SPEC §5.1: the VIP owner passes the flow's packets there), so its next packets find their
 *       state;</li>
 *   <li>and every flow at least that old that another running member holds (handled or as a replica) is held by
 *       its bucket's owner: nothing that survives anywhere is missing where the packets go.</li>
 * </ul>
 * "Held" means in the owner's active or standby store (an owner promotes its replicas when it adopts the map; a
 * node whose map lags a notice promotes them a moment later, before the VIP's traffic reaches it).
 * The last two checks are independent of how the node decides it is synced: they look at the flows themselves.
 * They scan the other members' stores, but only when a node starts answering for the VIP.
 */
public final class TakeoverHasState implements Invariant {
    private static final int PROTO_TCP = 6;

    private final List<SimNode> gateways;
    private final List<SimHost> clients;
    private final int ifIndex;
    private final int vip;
    private final long replicationLagNs;
    private final boolean[] owned;
    private final FlowKey key = new FlowKey();
    private long takeovers;

    public TakeoverHasState(List<SimNode> gateways, List<SimHost> clients, int ifIndex, int vip, long replicationLagNs) {
        this.gateways = gateways;
        this.clients = clients;
        this.ifIndex = ifIndex;
        this.vip = vip;
        this.replicationLagNs = replicationLagNs;
        this.owned = new boolean[gateways.size()];
    }

    @Override
    public String name() {
        return "takeover-has-state";
    }

    @Override
    public void check(Simulation sim, List<Violation> out) {
        for (int i = 0; i < gateways.size(); i++) {
            SimNode g = gateways.get(i);
            boolean owns = g.status() == SimNode.Status.RUNNING && g.machine() instanceof GatewayNode node
                    && node.quorate() && node.ownsVip(ifIndex, vip);
            if (owns && !owned[i]) {
                takeovers++;
                verify(sim, g, (GatewayNode) g.machine(), out);
            }
            owned[i] = owns;
        }
    }

    private void verify(Simulation sim, SimNode g, GatewayNode node, List<Violation> out) {
        long now = sim.nowNs();
        String what = g.name() + " took VIP " + Ipv4Address.format(vip);
        if (!node.stateSynced()) {
            out.add(new Violation(now, name(), what + " before its bulk transfer of connection state was complete"));
        }
        GatewayNode owners = newestMap(node);
        int missing = 0;
        String first = null;
        for (SimHost client : clients) {
            for (TcpConnection c : client.tcpConnections()) {
                if (!c.isEstablished() || c.wasReset() || now - c.establishedNs() < replicationLagNs) {
                    continue;
                }
                key.setV4(PROTO_TCP, client.address(), c.localPort(), c.remoteIp(), c.remotePort());
                if (!heldByOwner(g, owners, key)) {
                    missing++;
                    first = first != null ? first : client.name() + ":" + c.localPort() + " -> "
                            + Ipv4Address.format(c.remoteIp()) + ":" + c.remotePort();
                }
            }
        }
        if (missing > 0) {
            out.add(new Violation(now, name(), what + " without the state of " + missing
                    + " established connection(s), e.g. " + first));
        }
        for (SimNode other : gateways) {
            if (other != g && other.status() == SimNode.Status.RUNNING && other.machine() instanceof GatewayNode peer) {
                int lacking = lacking(g, owners, peer.conntrack().active(), true, now)
                        + lacking(g, owners, peer.conntrack().standby(), false, now);
                if (lacking > 0) {
                    out.add(new Violation(now, name(), what + " without " + lacking + " flow(s) that "
                            + other.name() + " holds"));
                }
            }
        }
    }

    /**
     * The newest bucket map any running node has: the holder sends the VIP table and the bucket map in two
     * notices, so a new VIP owner may start answering a moment before the map that goes with it arrives.
     */
    private GatewayNode newestMap(GatewayNode viewer) {
        GatewayNode newest = viewer;
        for (SimNode x : gateways) {
            if (x.status() == SimNode.Status.RUNNING && x.machine() instanceof GatewayNode n
                    && n.bucketStats().generation() > newest.bucketStats().generation()) {
                newest = n;
            }
        }
        return newest;
    }

    /** Whether the node owning {@code k}'s bucket in {@code map}'s view holds the flow, active or as a replica. */
    private boolean heldByOwner(SimNode viewerNode, GatewayNode map, FlowKey k) {
        int owner = map.bucketOwnerOf(k.symmetricHash());
        SimNode holder = owner < 0 ? viewerNode : gateways.get(owner);
        if (holder.status() != SimNode.Status.RUNNING || !(holder.machine() instanceof GatewayNode h)) {
            return false;
        }
        return h.conntrack().active().lookup(k) >= 0 || h.conntrack().standby().lookup(k) >= 0;
    }

    /** Flows of {@code table} older than the replication lag that their bucket's owner does not hold. */
    private int lacking(SimNode viewer, GatewayNode owners, FlowTable table, boolean skipLocal, long now) {
        int lacking = 0;
        for (int s = 0; s < table.capacity(); s++) {
            if (table.used(s) && !(skipLocal && table.local(s)) && now - table.createdNs(s) >= replicationLagNs) {
                table.keyOf(s, key);
                if (!heldByOwner(viewer, owners, key)) {
                    lacking++;
                }
            }
        }
        return lacking;
    }

    /** How many times a node started answering for the VIP. */
    public long takeovers() {
        return takeovers;
    }
}
