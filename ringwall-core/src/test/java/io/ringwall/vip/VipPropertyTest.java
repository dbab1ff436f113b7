package io.ringwall.vip;

import static io.ringwall.vip.VipFixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeded random runs of a ring: crashes, restarts, operator moves / preferences, changing loads, one token
 * hop per step. Each node answers for the VIPs of the last table it saw (none without quorum), as a real
 * node applying {@link VipOwnershipDiff}s would.
 */
class VipPropertyTest {
    private static final int STEPS = 3000;

    @Test
    void noVipIsEverAnsweredTwiceAndEveryVipGetsAnOwner() {
        for (long seed = 1; seed <= 40; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        Prng prng = new Prng(seed);
        int n = 3 + prng.nextInt(3);
        List<VipSpec> specs = new ArrayList<>();
        int vips = 2 + prng.nextInt(9);
        for (int i = 1; i <= vips; i++) {
            specs.add(new VipSpec(ip(10, 0, 0, i), 0, prng.chance(0.3) ? prng.nextInt(n) : VipRow.NONE));
        }
        boolean[] alive = new boolean[n];
        VipTable[] applied = new VipTable[n];
        java.util.Arrays.fill(alive, true);
        java.util.Arrays.fill(applied, VipTable.EMPTY);
        BalanceConfig cfg = new BalanceConfig(400_000_000, 25, 1_000_000, 2 + prng.nextInt(10));
        ClusterLoads loads = ClusterLoads.NONE;
        int holder = 0;
        long seq = 1;
        VipTable token = VipPolicy.initial(specs, view(holder, seq, alive, n));
        int[] darkHops = new int[vips];

        for (int step = 0; step < STEPS; step++) {
            // Faults and operator actions between hops.
            int victim = prng.nextInt(n);
            if (prng.chance(0.03) && alive[victim] && liveCount(alive) > 1) {
                alive[victim] = false;
            } else if (prng.chance(0.05) && !alive[victim]) {
                alive[victim] = true;
                applied[victim] = VipTable.EMPTY; // a restarted node answers for nothing until it sees the token
            }
            if (prng.chance(0.05)) {
                loads = loads.with(prng.nextInt(n), new NodeLoad(prng.nextInt(1_000_000_000), 0, 0));
            }
            // The token moves to the next live node in node-map order.
            holder = nextLive(holder, alive, n);
            seq++;
            RingView ring = view(holder, seq, alive, n);
            VipTable seen = token;
            if (prng.chance(0.05)) {
                int vip = specs.get(prng.nextInt(vips)).vip();
                token = VipPolicy.move(token, vip, prng.nextInt(n), ring).table();
            }
            if (prng.chance(0.03)) {
                int vip = specs.get(prng.nextInt(vips)).vip();
                token = prng.chance(0.7) ? VipPolicy.prefer(token, vip, prng.nextInt(n)).table()
                        : VipPolicy.unpin(token, vip).table();
            }
            token = VipPolicy.reassign(token, ring);
            token = VipBalancer.balance(token, loads, ring, cfg);
            assertThat(VipCodec.decode(VipCodec.encode(token))).isEqualTo(token);
            // The holder applies what it saw and what it produced (release before the token leaves it).
            applied[holder] = ring.quorate() ? token : VipTable.EMPTY;

            for (int v = 0; v < vips; v++) {
                VipRow row = token.rows().get(v);
                int answering = 0;
                for (int node = 0; node < n; node++) {
                    if (alive[node] && contains(applied[node].ownedBy(node), row.vip())) {
                        answering++;
                    }
                }
                assertThat(answering).as("seed %d step %d: VIP %d answered by %d nodes", seed, step, v, answering)
                        .isLessThanOrEqualTo(1);
                if (ring.quorate()) {
                    boolean waitingForOldOwner = row.moving() && ring.isMember(row.releasingHost())
                            && row.releasingHost() != holder;
                    assertThat(row.currentHost() != VipRow.NONE || waitingForOldOwner)
                            .as("seed %d step %d: %s has no owner after the holder's step", seed, step, row).isTrue();
                    assertThat(row.currentHost() == VipRow.NONE || ring.isMember(row.currentHost())).isTrue();
                    darkHops[v] = answering == 0 ? darkHops[v] + 1 : 0;
                    // Owner assigned at once; it announces within one rotation (+ one more while releasing).
                    assertThat(darkHops[v]).as("seed %d step %d: VIP %d dark", seed, step, v)
                            .isLessThanOrEqualTo(2 * liveCount(alive) + 1);
                } else {
                    darkHops[v] = 0;
                }
            }
            assertThat(seen.rows().size()).isEqualTo(token.rows().size());
        }
    }

    private static RingView view(int holder, long seq, boolean[] alive, int n) {
        int members = 0;
        for (int i = 0; i < n; i++) {
            if (alive[i]) {
                members |= 1 << i;
            }
        }
        return RingView.of(holder, seq, members, Integer.bitCount(members) * 2 > n);
    }

    private static int nextLive(int from, boolean[] alive, int n) {
        for (int k = 1; k <= n; k++) {
            int c = (from + k) % n;
            if (alive[c]) {
                return c;
            }
        }
        throw new AssertionError("no live node");
    }

    private static int liveCount(boolean[] alive) {
        int c = 0;
        for (boolean a : alive) {
            c += a ? 1 : 0;
        }
        return c;
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }
}
