package io.ringwall.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import org.junit.jupiter.api.Test;

/** Seeded random faults, then quiet: the ring must re-form within the documented bound and stay single-token. */
class ChaosSweepTest {
    private static final int SEEDS = 240;
    private static final long CHAOS_MS = 1_500;
    private static final long STEP_MS = 20;
    private static final long OBSERVE_MS = 600;

    /** docs/membership.md "Bounds": time after the last fault by which every live node is in one ring. */
    static long reformBoundMs(RingConfig c) {
        return 3 * c.tokenLossMs() + c.probeIntervalMs() + c.nodeCount() * (c.tokenHopMs() + c.tokenAckTimeoutMs());
    }

    @Test
    void seededChaosSweepReformsOneRingWithOneToken() {
        long removals = 0;
        long regenerations = 0;
        long merges = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Prng dice = new Prng(seed * 7919);
            int nodes = 2 + dice.nextInt(4);
            SimRingNetwork net = new SimRingNetwork(nodes, seed).startAll();
            net.setLatency(50_000 + dice.nextInt(400_000), dice.nextInt(300_000));
            net.setLoss(dice.chance(0.5) ? 0 : dice.nextDouble() * 0.05);
            boolean[] crashed = new boolean[nodes];
            boolean[] paused = new boolean[nodes];
            for (long t = 0; t < CHAOS_MS; t += STEP_MS) {
                net.runMs(STEP_MS);
                int n = dice.nextInt(nodes);
                switch (dice.nextInt(12)) {
                    case 0 -> { net.crash(n); crashed[n] = true; }
                    case 1 -> { if (crashed[n]) { net.restart(n); crashed[n] = false; paused[n] = false; } }
                    case 2 -> { if (!crashed[n]) { net.pause(n); paused[n] = true; } }
                    case 3 -> { if (paused[n] && !crashed[n]) { net.resume(n); paused[n] = false; } }
                    case 4 -> net.partition(n);
                    case 5 -> net.heal();
                    default -> { }
                }
            }
            // Faults stop: crashed nodes stay down for a while (some never return), the rest heal.
            net.heal();
            net.setLoss(0);
            for (int i = 0; i < nodes; i++) {
                if (paused[i] && !crashed[i]) {
                    net.resume(i);
                }
                if (crashed[i] && dice.chance(0.5)) {
                    net.restart(i);
                    crashed[i] = false;
                }
            }
            RingConfig c = RingConfig.defaults(nodes);
            net.runMs(reformBoundMs(c));
            int live = net.upMask(0);
            String where = "seed " + seed + " (" + nodes + " nodes, live " + Integer.toBinaryString(live) + ")";
            for (int i = 0; i < nodes; i++) {
                if (net.up(i)) {
                    assertThat(net.node(i).inRing()).as(where + " node %d in a ring", i).isTrue();
                    assertThat(net.node(i).members()).as(where + " node %d members", i).isEqualTo(live);
                }
            }
            net.trackHolders();
            net.runMs(OBSERVE_MS);
            assertThat(net.maxHolders()).as(where + " holders at once").isEqualTo(live == 0 ? 0 : 1);
            for (int i = 0; i < nodes; i++) {
                if (net.up(i)) {
                    assertThat(net.node(i).members()).as(where + " node %d members stay", i).isEqualTo(live);
                }
                removals += net.node(i).counters().membersRemoved();
                regenerations += net.node(i).counters().regenerations();
                merges += net.node(i).counters().mergesLeft();
            }
        }
        // The sweep must actually exercise failure detection, regeneration and merging.
        assertThat(removals).isGreaterThan(SEEDS);
        assertThat(regenerations).isGreaterThan(SEEDS);
        assertThat(merges).isGreaterThan(SEEDS / 10);
    }

    @Test
    void sameSeedGivesSameRun() {
        long[] a = runOnce(42);
        long[] b = runOnce(42);
        assertThat(a).containsExactly(b);
    }

    private static long[] runOnce(long seed) {
        SimRingNetwork net = new SimRingNetwork(4, seed).startAll();
        net.setLoss(0.02);
        net.runMs(300);
        net.crash(2);
        net.runMs(300);
        net.restart(2);
        net.runMs(600);
        return new long[] {net.delivered(), net.node(0).sequence(), net.node(0).epoch(), net.node(3).sequence()};
    }
}
