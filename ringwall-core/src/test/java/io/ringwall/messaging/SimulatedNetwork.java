package io.ringwall.messaging;

import io.ringwall.time.Prng;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A seeded lossy, duplicating, reordering network between MessageLayer instances, driven by a
 * time-ordered event queue on the test thread. Each (from, to, path) link can be cut.
 */
final class SimulatedNetwork {
    static final byte[] SECRET = "0123456789abcdef-cluster-secret".getBytes();
    static final long MS = 1_000_000L;

    record Delivery(long atNs, long order, int to, int path, byte[] packet) {}
    record Received(int peer, int channel, byte[] message) {}
    record Failed(int peer, long messageId, byte[] message) {}
    record Delivered(int peer, long messageId) {}
    record Sent(int from, int to, int path, byte[] packet) {}

    final Prng prng;
    final MessageLayer[] nodes;
    final List<List<Received>> received = new ArrayList<>();
    final List<List<Failed>> failed = new ArrayList<>();
    final List<List<Delivered>> delivered = new ArrayList<>();
    final List<Sent> sent = new ArrayList<>();
    final boolean[][][] cut;
    double loss;
    double duplicate;
    long baseLatencyNs = 200_000;
    long jitterNs = 300_000;
    long nowNs = 1_000 * MS;
    private long order;
    private final PriorityQueue<Delivery> queue = new PriorityQueue<>(
            (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.order, b.order));

    SimulatedNetwork(long seed, int nodeCount, int paths, java.util.function.UnaryOperator<MessagingConfig> tweak) {
        prng = new Prng(seed);
        nodes = new MessageLayer[nodeCount];
        cut = new boolean[nodeCount][nodeCount][paths];
        for (int i = 0; i < nodeCount; i++) {
            received.add(new ArrayList<>());
            failed.add(new ArrayList<>());
            delivered.add(new ArrayList<>());
            nodes[i] = create(i, paths, tweak.apply(config(i, nodeCount, paths)));
        }
    }

    static MessagingConfig config(int self, int nodeCount, int paths) {
        int[] pathsPerPeer = new int[nodeCount];
        java.util.Arrays.fill(pathsPerPeer, paths);
        return MessagingConfig.defaults(self, SECRET, pathsPerPeer);
    }

    /** (Re)creates node {@code i}, e.g. to simulate a restart. */
    MessageLayer create(int i, int paths, MessagingConfig config) {
        final int self = i;
        MessageListener listener = new MessageListener() {
            @Override public void onMessage(int peer, int channel, byte[] message) {
                received.get(self).add(new Received(peer, channel, message));
            }
            @Override public void onFailure(int peer, long messageId, byte[] message) {
                failed.get(self).add(new Failed(peer, messageId, message));
            }
            @Override public void onDelivered(int peer, long messageId) {
                delivered.get(self).add(new Delivered(peer, messageId));
            }
        };
        Transport transport = (peer, path, packet, length) -> transmit(self, peer, path, packet, length);
        nodes[i] = new MessageLayer(config, transport, listener, prng.fork());
        return nodes[i];
    }

    private void transmit(int from, int to, int path, byte[] packet, int length) {
        byte[] copy = java.util.Arrays.copyOf(packet, length);
        sent.add(new Sent(from, to, path, copy));
        if (to >= nodes.length || cut[from][to][path] || prng.chance(loss)) {
            return;
        }
        int copies = prng.chance(duplicate) ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            long at = nowNs + baseLatencyNs + prng.nextInt((int) jitterNs + 1);
            queue.add(new Delivery(at, order++, to, path, copy));
        }
    }

    /** Runs deliveries and timers until nothing is left or {@code untilNs} is reached. */
    void runUntil(long untilNs) {
        while (true) {
            long timer = Long.MAX_VALUE;
            int timerNode = -1;
            for (int i = 0; i < nodes.length; i++) {
                long d = nodes[i].nextDeadlineNs();
                if (d < timer) {
                    timer = d;
                    timerNode = i;
                }
            }
            Delivery next = queue.peek();
            long at = Math.min(timer, next == null ? Long.MAX_VALUE : next.atNs);
            if (at == Long.MAX_VALUE || at > untilNs) {
                nowNs = Math.max(nowNs, Math.min(untilNs, nowNs + 0));
                return;
            }
            nowNs = Math.max(nowNs, at);
            if (next != null && next.atNs <= timer) {
                queue.poll();
                nodes[next.to].onPacket(nowNs, next.path, next.packet, next.packet.length);
            } else {
                nodes[timerNode].onTick(nowNs);
            }
        }
    }

    void runFor(long durationNs) {
        long until = nowNs + durationNs;
        runUntil(until);
        nowNs = until;
    }
}
