package io.ringwall.bench;

import io.ringwall.node.ClusterSettings;
import io.ringwall.node.Effects;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeConfig;
import io.ringwall.time.Prng;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Three real {@link GatewayNode}s in one process and one thread, joined by an in-memory wire that counts the sealed
 * UDP payload of every cluster packet (message and packet headers and AEAD tag included). Each interface is one
 * segment with a switch that knows every MAC: a unicast frame reaches the node it is addressed to, a broadcast or
 * multicast frame every other running node. The nodes run on the clock they are given
 * (the real one, or a virtual one that jumps to the next deadline).
 *
 * <p>Topology, as bench/lib/cluster.sh builds it for the real cluster: a cluster network (interface 0, no VIPs,
 * 10.9.0.0/24, node k is 10.9.0.k) and one VIP group: a VIP on wan (interface 1) and on lan (interface 2). The nodes
 * have no own address on wan and lan: cluster traffic runs on the cluster network only.
 */
final class BenchCluster {
    static final int NODES = 3;
    static final int WIRE_LIMIT = 200_000;
    static final int CLUSTER_PORT = 7400;
    static final int SUBNET = 10 << 24 | 9 << 16;
    static final int WAN_VIP = 10 << 24 | 1 << 16 | 1;
    static final int LAN_VIP = 10 << 24 | 2 << 16 | 1;
    static final int WAN = 1;
    static final int BUCKETS = 1024;

    /** A frame on the in-memory wire: the interface (segment) it travels on and its bytes. */
    private record Frame(int ifIndex, byte[] bytes) {
    }

    /** What the harness does with a node's log lines: (node index, event, detail). */
    interface LogSink {
        void log(int node, String event, String detail);
    }

    /** Told how long each node call took, so a harness can report the slow ones. */
    interface CallTimer {
        void took(int node, String what, long startNs);
    }

    private final List<GatewayNode> nodes = new ArrayList<>();
    private final List<ArrayDeque<Frame>> inboxes = new ArrayList<>();
    final long[][] sealedBytes = new long[NODES][NODES]; // [from][to]
    private final LongSupplier clock;
    private final CallTimer timer;
    long wireDrops;
    long frames;
    /**
     * Turns in which a node had something to do (a due timer or queued frames): the wake-ups of a real node's loop,
     * which sleeps in ppoll(2) until one of the two. Frames that arrive within one turn count once, as a burst does.
     */
    long wakeups;
    /** Nodes 0..running-1 are up; the others get no frames, like a host that is off. */
    int running;

    /**
     * Builds the three nodes with the given ring timers and bucket distribution; none runs until {@link #running}
     * counts it.
     */
    BenchCluster(long tokenHopNs, long tokenAckTimeoutNs, int backupCount, LongSupplier clock, LogSink sink,
                 CallTimer timer) {
        this.clock = clock;
        this.timer = timer;
        for (int index = 0; index < NODES; index++) {
            build(index, tokenHopNs, tokenAckTimeoutNs, backupCount, sink);
        }
    }

    GatewayNode node(int index) {
        return nodes.get(index);
    }

    /** Frames queued on the wire for running nodes. */
    boolean wireEmpty() {
        for (int n = 0; n < running; n++) {
            if (!inboxes.get(n).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The earliest deadline of the running nodes ({@link Long#MIN_VALUE} while one has not started). */
    long nextDeadlineNs() {
        long earliest = Long.MAX_VALUE;
        for (int n = 0; n < running; n++) {
            long d = nodes.get(n).nextDeadlineNs();
            if (d == Long.MIN_VALUE) {
                return d;
            }
            earliest = Math.min(earliest, d);
        }
        return earliest;
    }

    /** One turn of the event loop: each node runs its overdue timers, then reads the frames queued for it. */
    void turn() {
        for (int n = 0; n < running; n++) {
            GatewayNode node = nodes.get(n);
            long now = clock.getAsLong();
            long deadline = node.nextDeadlineNs();
            ArrayDeque<Frame> inbox = inboxes.get(n);
            boolean due = deadline == Long.MIN_VALUE || deadline - now <= 0; // MIN_VALUE: not started yet
            if (due || !inbox.isEmpty()) {
                wakeups++;
            }
            if (due) {
                node.onTick(now);
                timer.took(n, "tick", now);
            }
            for (int queued = inbox.size(); queued > 0; queued--) {
                Frame f = inbox.poll();
                long at = clock.getAsLong();
                node.onFrame(at, f.ifIndex(), MemorySegment.ofArray(f.bytes()), f.bytes().length, 0);
                timer.took(n, "frame", at);
            }
        }
    }

    private void build(int index, long tokenHopNs, long tokenAckTimeoutNs, int backupCount, LogSink sink) {
        List<ClusterSettings.Member> members = new ArrayList<>();
        for (int k = 0; k < NODES; k++) {
            members.add(new ClusterSettings.Member(k, "n" + (k + 1), List.of(SUBNET + k + 1)));
        }
        ClusterSettings settings = new ClusterSettings(index, members, CLUSTER_PORT,
                "benchmark-cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8), tokenHopNs, tokenAckTimeoutNs, 0,
                "majority", "bench-v1", index + 1).withDistribution(new ClusterSettings.Distribution(BUCKETS, backupCount));
        long mac = macOf(index, 0);
        var cluster = new NodeConfig.InterfaceConfig(0, "cluster", mac, 1500, SUBNET, 24, SUBNET + index + 1, List.of());
        var wan = new NodeConfig.InterfaceConfig(WAN, "wan", mac + 1, 1500, WAN_VIP & ~0xFF, 24, 0, List.of(WAN_VIP));
        var lan = new NodeConfig.InterfaceConfig(2, "lan", mac + 2, 1500, LAN_VIP & ~0xFF, 24, 0, List.of(LAN_VIP));
        NodeConfig config = new NodeConfig("n" + (index + 1), List.of(cluster, wan, lan), List.of(),
                new NodeConfig.RulesSource("rules.txt", "policy drop\n"),
                new NodeConfig.DataplaneLimits(1 << 20, 1024, 16, 100), settings);
        inboxes.add(new ArrayDeque<>());
        int self = index;
        nodes.add(new GatewayNode(config, new Effects() {
            @Override
            public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
                byte[] copy = frame.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
                frames++;
                int payload = ifIndex == 0 ? sealedPayload(copy) : 0;
                for (int to = 0; to < running; to++) {
                    if (to == self || !reaches(copy, to, ifIndex)) {
                        continue;
                    }
                    if (inboxes.get(to).size() >= WIRE_LIMIT) {
                        wireDrops++;
                        continue;
                    }
                    if (payload > 0 && isFor(copy, to)) {
                        sealedBytes[self][to] += payload;
                    }
                    inboxes.get(to).add(new Frame(ifIndex, copy));
                }
            }

            @Override
            public void log(String event, String detail) {
                sink.log(self, event, detail);
            }
        }, new Prng(index + 1)));
    }

    /** Node {@code index}'s MAC address on interface {@code ifIndex}. */
    private static long macOf(int index, int ifIndex) {
        return 0x02_00_00_00_00_00L | (long) (index + 1) << 8 | ifIndex;
    }

    /**
     * Whether a frame reaches node {@code to}: a switch that has learned every MAC delivers a unicast frame to its
     * owner only (broadcast and multicast to everyone), so a token between two nodes does not wake the third.
     */
    private static boolean reaches(byte[] f, int to, int ifIndex) {
        if ((f[0] & 1) != 0) {
            return true;
        }
        long dst = 0;
        for (int i = 0; i < 6; i++) {
            dst = dst << 8 | (f[i] & 0xFF);
        }
        return dst == macOf(to, ifIndex);
    }

    /** UDP payload length of a cluster packet (IPv4, to the cluster port), else 0. */
    private static int sealedPayload(byte[] f) {
        if (f.length < 42 || (f[12] & 0xFF) != 0x08 || f[13] != 0 || f[23] != 17) {
            return 0;
        }
        int ihl = (f[14] & 0x0F) * 4;
        int udp = 14 + ihl;
        int dport = (f[udp + 2] & 0xFF) << 8 | (f[udp + 3] & 0xFF);
        int len = (f[udp + 4] & 0xFF) << 8 | (f[udp + 5] & 0xFF);
        return dport == CLUSTER_PORT ? len - 8 : 0;
    }

    private static boolean isFor(byte[] f, int node) {
        int dst = (f[30] & 0xFF) << 24 | (f[31] & 0xFF) << 16 | (f[32] & 0xFF) << 8 | (f[33] & 0xFF);
        return dst == SUBNET + node + 1;
    }
}
