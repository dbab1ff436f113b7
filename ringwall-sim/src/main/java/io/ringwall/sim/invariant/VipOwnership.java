package io.ringwall.sim.invariant;

import io.ringwall.node.GatewayNode;
import io.ringwall.sim.Invariant;
import io.ringwall.sim.SimNode;
import io.ringwall.sim.Simulation;
import io.ringwall.sim.Violation;
import io.ringwall.wire.Ipv4Address;
import java.util.List;

/**
 * SPEC §9 / §7 invariants on VIPs, checked after every event:
 * <ul>
 *   <li>never two running nodes of quorate rings answer for the same VIP;</li>
 *   <li>while some running node is in a quorate ring, no VIP stays without an owner longer than
 *       {@code orphanBoundNs} (measured from the moment it lost its owner).</li>
 * </ul>
 */
public final class VipOwnership implements Invariant {
    private final List<SimNode> gateways;
    private final int[] ifIndexes;
    private final int[] vips;
    private final long orphanBoundNs;
    private final long[] orphanSinceNs;
    private final boolean[] reported;
    private final boolean[] doubled;
    private long maxOrphanNs;

    /** {@code vipsByInterface[i]} are the VIPs of interface i. */
    public VipOwnership(List<SimNode> gateways, int[][] vipsByInterface, long orphanBoundNs) {
        this.gateways = gateways;
        int n = 0;
        for (int[] v : vipsByInterface) {
            n += v.length;
        }
        ifIndexes = new int[n];
        vips = new int[n];
        int k = 0;
        for (int itf = 0; itf < vipsByInterface.length; itf++) {
            for (int vip : vipsByInterface[itf]) {
                ifIndexes[k] = itf;
                vips[k++] = vip;
            }
        }
        this.orphanBoundNs = orphanBoundNs;
        this.orphanSinceNs = new long[n];
        this.reported = new boolean[n];
        this.doubled = new boolean[n];
        java.util.Arrays.fill(orphanSinceNs, -1);
    }

    @Override
    public String name() {
        return "vip-ownership";
    }

    @Override
    public void check(Simulation sim, List<Violation> out) {
        boolean anyQuorate = false;
        for (SimNode g : gateways) {
            if (g.status() == SimNode.Status.RUNNING && g.machine() instanceof GatewayNode node && node.quorate()) {
                anyQuorate = true;
            }
        }
        long now = sim.nowNs();
        for (int k = 0; k < vips.length; k++) {
            int owners = 0;
            String names = "";
            for (SimNode g : gateways) {
                if (g.status() == SimNode.Status.RUNNING && g.machine() instanceof GatewayNode node
                        && node.quorate() && node.ownsVip(ifIndexes[k], vips[k])) {
                    owners++;
                    names += " " + g.name();
                }
            }
            if (owners > 1 && !doubled[k]) { // once per episode: the start of a double ownership is what matters
                out.add(new Violation(now, name(), "VIP " + Ipv4Address.format(vips[k]) + " answered by" + names));
            }
            doubled[k] = owners > 1;
            if (owners == 0 && anyQuorate) {
                if (orphanSinceNs[k] < 0) {
                    orphanSinceNs[k] = now;
                }
                long orphan = now - orphanSinceNs[k];
                maxOrphanNs = Math.max(maxOrphanNs, orphan);
                if (orphan > orphanBoundNs && !reported[k]) {
                    reported[k] = true;
                    out.add(new Violation(now, name(), "VIP " + Ipv4Address.format(vips[k]) + " without an owner for "
                            + orphan / 1_000_000 + " ms while a quorate ring exists"));
                }
            } else {
                orphanSinceNs[k] = -1;
                reported[k] = false;
            }
        }
    }

    /** The longest time any VIP was without an owner while a quorate ring existed. */
    public long maxOrphanNs() {
        return maxOrphanNs;
    }
}
