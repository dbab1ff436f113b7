package io.ringwall.ring;

import io.ringwall.time.Prng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;

/**
 * Deterministic test harness: N TokenRing instances on a seeded fake network with latency, jitter, loss,
 * partitions, crash / restart / pause. One event queue, one thread; the same seed gives the same run.
 */
final class SimRingNetwork {
    static final long MS = 1_000_000L;

    private record Delivery(long atNs, long order, int from, int to, byte[] bytes) { }

    private final RingConfig config;
    private final Prng prng;
    private final TokenRing[] nodes;
    private final boolean[] crashed;
    private final boolean[] paused;
    private final int[] side;
    private final List<List<Delivery>> heldForPaused = new ArrayList<>();
    private final PriorityQueue<Delivery> queue = new PriorityQueue<>(
            (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.order, b.order));
    private long order;
    private long nowNs;
    private long latencyNs = 100_000;
    private long jitterNs = 50_000;
    private double loss;
    private long delivered;
    private long maxHolders;
    private boolean trackHolders;
    /** Drops the next token from {@code dropTokenFrom} to {@code dropTokenTo} (-1: none). */
    private int dropTokenFrom = -1;
    private int dropTokenTo = -1;
    /** Sees every message a node sends, before loss or partitions apply (null: nobody). */
    interface SendListener {
        void sent(int from, int to, byte[] message, int length);
    }

    private SendListener sendListener;
    /** Run after every delivery and timer (assertions that must hold at every instant). */
    private Runnable afterEveryEvent = () -> { };

    SimRingNetwork(int nodeCount, long seed) {
        this(RingConfig.defaults(nodeCount), seed);
    }

    SimRingNetwork(RingConfig config, long seed) {
        this.config = config;
        this.prng = new Prng(seed);
        int n = config.nodeCount();
        nodes = new TokenRing[n];
        crashed = new boolean[n];
        paused = new boolean[n];
        side = new int[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = newNode(i);
            heldForPaused.add(new ArrayList<>());
        }
    }

    private TokenRing newNode(int id) {
        return new TokenRing(id, config, (to, message, length, allPaths) -> send(id, to, message, length), prng.fork());
    }

    private void send(int from, int to, byte[] message, int length) {
        if (sendListener != null) {
            sendListener.sent(from, to, message, length);
        }
        if (to < 0 || to >= nodes.length || side[from] != side[to] || prng.chance(loss)) {
            return;
        }
        if (from == dropTokenFrom && to == dropTokenTo && RingCodec.decode(message, length) instanceof RingMessage.Token) {
            dropTokenFrom = -1;
            dropTokenTo = -1;
            return;
        }
        long delay = latencyNs + (jitterNs > 0 ? prng.nextInt((int) jitterNs) : 0);
        queue.add(new Delivery(nowNs + delay, order++, from, to, Arrays.copyOf(message, length)));
    }

    SimRingNetwork startAll() {
        for (int i = 0; i < nodes.length; i++) {
            nodes[i].start(nowNs);
        }
        return this;
    }

    void start(int node) {
        nodes[node].start(nowNs);
    }

    /** Advances simulated time to now + ms, running deliveries and node timers in time order. */
    void runMs(long ms) {
        runUntil(nowNs + ms * MS);
    }

    void runUntil(long endNs) {
        while (true) {
            long nextDelivery = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().atNs;
            int timerNode = -1;
            long nextTimer = Long.MAX_VALUE;
            for (int i = 0; i < nodes.length; i++) {
                if (!crashed[i] && !paused[i] && nodes[i].nextDeadlineNs() < nextTimer) {
                    nextTimer = nodes[i].nextDeadlineNs();
                    timerNode = i;
                }
            }
            long next = Math.min(nextDelivery, nextTimer);
            if (next > endNs) {
                nowNs = endNs;
                return;
            }
            nowNs = Math.max(nowNs, next);
            if (nextTimer <= nextDelivery) {
                nodes[timerNode].onTick(nowNs);
            } else {
                deliver(queue.poll());
            }
            if (trackHolders) {
                maxHolders = Math.max(maxHolders, holderCount());
            }
            afterEveryEvent.run();
        }
    }

    private void deliver(Delivery d) {
        if (crashed[d.to]) {
            return;
        }
        if (paused[d.to]) {
            heldForPaused.get(d.to).add(d);
            return;
        }
        delivered++;
        nodes[d.to].onMessage(nowNs, d.from, d.bytes, d.bytes.length);
    }

    // ---- faults ----

    void crash(int node) {
        crashed[node] = true;
    }

    /** A crashed node comes back with fresh state (a reboot) and starts joining. */
    void restart(int node) {
        crashed[node] = false;
        paused[node] = false;
        heldForPaused.get(node).clear();
        nodes[node] = newNode(node);
        nodes[node].start(nowNs);
    }

    void pause(int node) {
        paused[node] = true;
    }

    /** A paused node wakes up with its old state and then sees what queued up meanwhile. */
    void resume(int node) {
        paused[node] = false;
        List<Delivery> held = new ArrayList<>(heldForPaused.get(node));
        heldForPaused.get(node).clear();
        for (Delivery d : held) {
            queue.add(new Delivery(nowNs, order++, d.from, d.to, d.bytes));
        }
    }

    /** Puts each listed node on side 1, the rest on side 0; messages never cross sides. */
    void partition(int... sideOne) {
        Arrays.fill(side, 0);
        for (int n : sideOne) {
            side[n] = 1;
        }
    }

    void heal() {
        Arrays.fill(side, 0);
    }

    void onSend(SendListener listener) {
        sendListener = listener;
    }

    void afterEveryEvent(Runnable check) {
        afterEveryEvent = check;
    }

    /** Loses the next transmission of a token from one node to another (its resend gets through). */
    void dropNextToken(int from, int to) {
        dropTokenFrom = from;
        dropTokenTo = to;
    }

    void setLoss(double probability) {
        loss = probability;
    }

    void setLatency(long latency, long jitter) {
        latencyNs = latency;
        jitterNs = jitter;
    }

    /** Records the largest number of simultaneous HOLDING nodes from now on. */
    void trackHolders() {
        trackHolders = true;
        maxHolders = holderCount();
    }

    long maxHolders() {
        return maxHolders;
    }

    // ---- observation ----

    TokenRing node(int i) {
        return nodes[i];
    }

    int size() {
        return nodes.length;
    }

    long nowNs() {
        return nowNs;
    }

    long delivered() {
        return delivered;
    }

    boolean up(int i) {
        return !crashed[i] && !paused[i];
    }

    int side(int i) {
        return side[i];
    }

    long holderCount() {
        return countNodes(i -> up(i) && nodes[i].isHolder());
    }

    long countNodes(IntPredicate p) {
        long c = 0;
        for (int i = 0; i < nodes.length; i++) {
            if (p.test(i)) {
                c++;
            }
        }
        return c;
    }

    /** Bitmask of running nodes on the given side. */
    int upMask(int onSide) {
        int mask = 0;
        for (int i = 0; i < nodes.length; i++) {
            if (up(i) && side[i] == onSide) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    static int mask(int... ids) {
        int m = 0;
        for (int id : ids) {
            m |= 1 << id;
        }
        return m;
    }
}
