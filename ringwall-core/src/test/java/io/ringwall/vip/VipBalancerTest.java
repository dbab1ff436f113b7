package io.ringwall.vip;

import static io.ringwall.vip.VipFixtures.bytesPerSecond;
import static io.ringwall.vip.VipFixtures.mask;
import static io.ringwall.vip.VipFixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.util.List;
import org.junit.jupiter.api.Test;

class VipBalancerTest {
    private static final BalanceConfig NO_SETTLE = new BalanceConfig(Long.MAX_VALUE, 25, 1_000_000, 0);

    private static int changedRows(VipTable a, VipTable b) {
        int n = 0;
        for (int i = 0; i < a.rows().size(); i++) {
            if (!a.rows().get(i).equals(b.rows().get(i))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void balancerMovesAtMostOneFreeVipPerVisit() {
        VipTable t = VipPolicy.initial(pool(8), RingView.of(0, 1, mask(0), true)); // all on node 0
        RingView three = RingView.of(0, 2, mask(0, 1, 2), true);
        ClusterLoads loads = bytesPerSecond(800_000_000, 0, 0);

        VipTable once = VipBalancer.balance(t, loads, three, NO_SETTLE);
        assertThat(changedRows(t, once)).isEqualTo(1);
        assertThat(once.ownedBy(1)).hasSize(1); // least loaded, lowest id; node 0 held the token: direct
        // Even with no settle time and unchanged (stale) loads, each visit moves at most one.
        VipTable twice = VipBalancer.balance(once, loads, three, NO_SETTLE);
        assertThat(changedRows(once, twice)).isLessThanOrEqualTo(1);
    }

    @Test
    void balancerWaitsForLoadsToSettleAfterAMove() {
        VipTable t = VipPolicy.initial(pool(8), RingView.of(0, 1, mask(0), true));
        BalanceConfig settle10 = new BalanceConfig(Long.MAX_VALUE, 25, 1_000_000, 10);
        ClusterLoads loads = bytesPerSecond(800_000_000, 0);
        VipTable moved = VipBalancer.balance(t, loads, RingView.of(0, 100, mask(0, 1), true), settle10);
        assertThat(moved.lastBalanceSeq()).isEqualTo(100);
        assertThat(VipBalancer.balance(moved, loads, RingView.of(0, 105, mask(0, 1), true), settle10)).isSameAs(moved);
        assertThat(VipBalancer.balance(moved, loads, RingView.of(0, 110, mask(0, 1), true), settle10)).isNotEqualTo(moved);
    }

    @Test
    void smallImbalanceOrNoisyLowRatesMoveNothing() {
        VipTable t = VipPolicy.initial(pool(8), RingView.of(0, 1, mask(0, 1), true));
        RingView two = RingView.of(0, 2, mask(0, 1), true);
        assertThat(VipBalancer.balance(t, bytesPerSecond(120_000_000, 100_000_000), two, NO_SETTLE)).isSameAs(t);
        assertThat(VipBalancer.balance(t, bytesPerSecond(900_000, 0), two, NO_SETTLE)).isSameAs(t);
    }

    @Test
    void overloadedNodeGivesAwayAVipEvenBelowTheImbalanceThreshold() {
        VipTable t = VipPolicy.initial(pool(8), RingView.of(0, 1, mask(0, 1), true)); // 4 + 4
        RingView two = RingView.of(0, 2, mask(0, 1), true);
        BalanceConfig limit = new BalanceConfig(110_000_000, 25, 1_000_000, 0);
        VipTable moved = VipBalancer.balance(t, bytesPerSecond(120_000_000, 60_000_000), two, limit);
        assertThat(moved.ownedBy(1)).hasSize(5);
    }

    @Test
    void singleVipCarryingAllTheLoadIsNotMovedBack() {
        VipTable t = VipPolicy.initial(pool(1), RingView.of(0, 1, mask(0), true));
        RingView two = RingView.of(0, 2, mask(0, 1), true);
        assertThat(VipBalancer.balance(t, bytesPerSecond(500_000_000, 0), two, NO_SETTLE)).isSameAs(t);
    }

    /** Fixed per-VIP traffic; node load = sum over the VIPs it answers for; one balance call per hop. */
    @Test
    void balancingHasHysteresisAndDoesNotFlap() {
        for (long seed = 1; seed <= 20; seed++) {
            Prng prng = new Prng(seed);
            int nodes = 2 + prng.nextInt(4);
            int vips = nodes + prng.nextInt(12);
            long[] vipLoad = new long[vips];
            for (int i = 0; i < vips; i++) {
                vipLoad[i] = 50_000_000 + prng.nextInt(50_000_000); // similar VIPs, up to 2x apart
            }
            VipTable t = VipPolicy.initial(pool(vips), RingView.of(0, 1, mask(0), true)); // all on node 0
            int all = (1 << nodes) - 1;
            BalanceConfig cfg = new BalanceConfig(Long.MAX_VALUE, 25, 1_000_000, 3);
            int moves = 0;
            int lastMoveHop = 0;
            for (int hop = 1; hop <= 3000; hop++) {
                RingView ring = RingView.of(hop % nodes, hop + 1, all, true);
                t = VipPolicy.reassign(t, ring);
                VipTable next = VipBalancer.balance(t, measure(t, vipLoad), ring, cfg);
                int changed = changedRows(t, next);
                assertThat(changed).isLessThanOrEqualTo(1);
                if (next.lastBalanceSeq() != t.lastBalanceSeq()) {
                    moves++;
                    lastMoveHop = hop;
                }
                t = next;
            }
            assertThat(moves).as("seed %d: moves", seed).isPositive().isLessThanOrEqualTo(vips);
            assertThat(lastMoveHop).as("seed %d: converged", seed).isLessThan(1000);
            long[] finalLoads = new long[nodes];
            for (int n = 0; n < nodes; n++) {
                finalLoads[n] = measure(t, vipLoad).get(n).bytesPerSecond();
            }
            long sum = java.util.Arrays.stream(vipLoad).sum();
            assertThat(java.util.Arrays.stream(finalLoads).max().getAsLong())
                    .as("seed %d: busiest node is not left with everything", seed)
                    .isLessThan(vips >= 2 * nodes ? sum * 3 / 4 : sum);
        }
    }

    private static ClusterLoads measure(VipTable t, long[] vipLoad) {
        long[] perNode = new long[VipTable.MAX_NODES];
        List<VipRow> rows = t.rows();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).currentHost() != VipRow.NONE) {
                perNode[rows.get(i).currentHost()] += vipLoad[i];
            }
        }
        ClusterLoads loads = ClusterLoads.NONE;
        for (int n = 0; n < VipTable.MAX_NODES; n++) {
            loads = loads.with(n, new NodeLoad(perNode[n], 0, 0));
        }
        return loads;
    }
}
