package io.ringwall.vip;

import java.util.ArrayList;
import java.util.List;

/** Small builders shared by the VIP tests. */
final class VipFixtures {
    private VipFixtures() {}

    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    /** VIPs 10.0.0.1 .. 10.0.0.n on interface 0, no preferences. */
    static List<VipSpec> pool(int n) {
        List<VipSpec> specs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            specs.add(new VipSpec(ip(10, 0, 0, i), 0));
        }
        return specs;
    }

    static int mask(int... nodes) {
        int m = 0;
        for (int n : nodes) {
            m |= 1 << n;
        }
        return m;
    }

    static RingView ring(int holder, int... members) {
        return RingView.of(holder, 1, mask(members), true);
    }

    static ClusterLoads bytesPerSecond(long... perNode) {
        ClusterLoads loads = ClusterLoads.NONE;
        for (int n = 0; n < perNode.length; n++) {
            loads = loads.with(n, new NodeLoad(perNode[n], perNode[n] / 1000, 10));
        }
        return loads;
    }

    static int hostOf(VipTable t, int vip) {
        return t.row(vip).currentHost();
    }
}
