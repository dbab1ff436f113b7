package io.ringwall.node;

import io.ringwall.ring.RingStatus;
import io.ringwall.ring.TokenRing;
import io.ringwall.vip.ClusterLoads;
import io.ringwall.vip.NodeLoad;
import io.ringwall.vip.VipRow;
import io.ringwall.vip.VipTable;
import io.ringwall.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link NodeStatus} of the whole cluster from what this member knows (ring, train, VIP table). */
final class ClusterStatus {
    private ClusterStatus() {
    }

    static NodeStatus of(NodeConfig config, ClusterMember member, VipRole role, NodeInfoRole info,
                         NodeStatus.Counters counters, NodeStatus.Defer defer, NodeStatus.Buckets buckets,
                         NodeDiagnostics diagnostics) {
        ClusterSettings s = member.settings();
        TokenRing ring = member.ring();
        RingStatus rs = ring.status();
        int selfBit = 1 << s.selfId();
        String mode;
        if (!ring.inRing()) {
            mode = "joining";
        } else if ((role.closedMask() & selfBit) != 0) {
            mode = "closed";
        } else if (!role.quorate(ring)) {
            mode = "no-quorum";
        } else {
            mode = rs.alone() ? "alone" : "member";
        }
        List<NodeStatus.Vip> vips = new ArrayList<>();
        VipTable table = role.table();
        if (table != null) {
            for (VipRow r : table.rows()) {
                String current = r.currentHost() >= 0 ? s.members().get(r.currentHost()).name()
                        : r.pendingHost() >= 0 ? "(moving to " + s.members().get(r.pendingHost()).name() + ")" : "-";
                String preferred = r.preferredHost() >= 0 ? s.members().get(r.preferredHost()).name() : "-";
                vips.add(new NodeStatus.Vip(Ipv4Address.format(r.vip()), config.interfaces().get(r.ifIndex()).name(),
                        current, preferred, r.flag()));
            }
        }
        List<NodeStatus.Load> loads = new ArrayList<>();
        ClusterLoads l = role.loads();
        for (ClusterSettings.Member m : s.members()) {
            if (l.reported(m.id())) {
                NodeLoad nl = l.get(m.id());
                loads.add(new NodeStatus.Load(m.name(), nl.bytesPerSecond(), nl.packetsPerSecond(), nl.flows()));
            }
        }
        return new NodeStatus(config.nodeName(), mode, ring.epoch(), role.memberNames(ring.members()),
                role.quorate(ring), rs.lastRotationNs(), vips, loads, counters, defer,
                info.mismatches(ring.members()), buckets, role.up(ring.members()), diagnostics);
    }
}
