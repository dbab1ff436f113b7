package io.ringwall.bench;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.FlowKey;
import io.ringwall.conntrack.PacketFacts;
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

/**
 * Flow replication end to end, in one process and one thread: real {@link GatewayNode}s on the real clock,
 * joined by an in-memory wire that counts the sealed UDP payload of every cluster packet (message and packet
 * headers and AEAD tag included). Node 1 creates TCP flows straight in its conntrack (no packet parsing), so
 * what is measured is replication: coalescing, encoding, sealing, delivery, acks, opening and import on the
 * peers. Phases: (1) creations replicated to node 2, (2) one state change per flow (the SYN-ACK), (3) node 1
 * filled to {@link #BULK_FLOWS}, then node 3 joins and gets a bulk transfer. Prints one JSON line.
 *
 * <p>Usage: {@code java -Xmx6g -cp benchmarks.jar io.ringwall.bench.SyncBenchmark [creates]}. Every wait is
 * bounded by {@link #PHASE_LIMIT_NS}; a phase that runs out reports what it reached.
 */
public final class SyncBenchmark {
    static final int BULK_FLOWS = 1_000_000;
    static final long PHASE_LIMIT_NS = 20_000_000_000L;
    /** Flows created between two turns of the event loop (a data plane creates flows between packet batches). */
    static final int CREATE_CHUNK = 512;
    static final int WIRE_LIMIT = 200_000;
    static final int CLUSTER_PORT = 7400;
    static final int SUBNET = 10 << 24 | 9 << 16;

    private final List<GatewayNode> nodes = new ArrayList<>();
    private final List<ArrayDeque<byte[]>> inboxes = new ArrayList<>();
    private final long[][] sealedBytes = new long[3][3]; // [from][to]
    private long wireDrops;
    private long frames;
    private final FlowKey key = new FlowKey();
    private final PacketFacts syn = new PacketFacts();
    private final PacketFacts synAck = new PacketFacts();

    public static void main(String[] args) {
        int creates = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        new SyncBenchmark().run(creates);
    }

    void run(int creates) {
        syn.protocol = 6;
        syn.tcpFlags = PacketFacts.TCP_SYN;
        syn.window = 64240;
        syn.windowScale = 7;
        syn.sackPermitted = true;
        syn.length = 60;
        synAck.protocol = 6;
        synAck.tcpFlags = PacketFacts.TCP_SYN | PacketFacts.TCP_ACK;
        synAck.window = 65160;
        synAck.windowScale = 7;
        synAck.sackPermitted = true;
        synAck.length = 60;

        start(0);
        start(1);
        waitFor(() -> inRing(0, 2) && inRing(1, 2), "ring of 2");
        Conntrack owner = nodes.get(0).conntrack();
        Conntrack peer = nodes.get(1).conntrack();

        // (1) creations
        long bytesBefore = sealedBytes[0][1], acksBefore = sealedBytes[1][0];
        long t0 = System.nanoTime();
        int made = 0;
        while (made < creates && System.nanoTime() - t0 < PHASE_LIMIT_NS) {
            for (int i = 0; i < CREATE_CHUNK && made < creates; i++, made++) {
                flowKey(made, false);
                syn.seq = made * 7919;
                owner.create(key, syn, System.nanoTime());
            }
            turn();
        }
        int target = made;
        waitFor(() -> peer.standby().size() >= target, "creations replicated");
        System.err.println("[sync] after creations: dirty=" + owner.dirty().size() + " bytes01=" + sealedBytes[0][1] + " bytes10="
                + sealedBytes[1][0] + " standby=" + peer.standby().size() + " " + peer.counters() + " frames=" + frames
                + " ring_members=" + nodes.get(0).ringMembers());
        System.err.println("[sync] sender " + nodes.get(0).syncStats());
        System.err.println("[sync] receiver " + nodes.get(1).syncStats());
        double createSeconds = (System.nanoTime() - t0) / 1e9;
        double bytesPerCreate = (double) (sealedBytes[0][1] - bytesBefore) / made;
        double ackBytesPerCreate = (double) (sealedBytes[1][0] - acksBefore) / made;

        // (2) one state change per flow: the SYN-ACK from the server
        bytesBefore = sealedBytes[0][1];
        long importsBefore = peer.counters().replicasImported();
        long t1 = System.nanoTime();
        for (int done = 0; done < made && System.nanoTime() - t1 < PHASE_LIMIT_NS; ) {
            for (int i = 0; i < CREATE_CHUNK && done < made; i++, done++) {
                flowKey(done, true);
                synAck.seq = done * 104_729;
                synAck.ack = done * 7919 + 1;
                owner.classify(key, synAck, System.nanoTime());
            }
            turn();
        }
        int updates = made;
        waitFor(() -> peer.counters().replicasImported() - importsBefore >= updates, "updates replicated");
        double updateSeconds = (System.nanoTime() - t1) / 1e9;
        double bytesPerUpdate = (double) (sealedBytes[0][1] - bytesBefore) / made;

        // (3) fill node 1 to BULK_FLOWS (replicated to node 2 as deltas), then node 3 joins
        long t2 = System.nanoTime();
        int total = made;
        while (total < BULK_FLOWS && System.nanoTime() - t2 < PHASE_LIMIT_NS) {
            for (int i = 0; i < CREATE_CHUNK && total < BULK_FLOWS; i++, total++) {
                flowKey(total, false);
                owner.create(key, syn, System.nanoTime());
            }
            turn();
        }
        int filled = total;
        waitFor(() -> peer.standby().size() >= filled, "fill replicated");
        long t3 = System.nanoTime();
        start(2);
        Conntrack joiner = nodes.get(2).conntrack();
        long[] firstImport = {0};
        waitFor(() -> {
            if (firstImport[0] == 0 && joiner.standby().size() > 0) {
                firstImport[0] = System.nanoTime();
            }
            return joiner.standby().size() >= filled;
        }, "bulk transfer");
        long t4 = System.nanoTime();
        double bulkSeconds = (t4 - t3) / 1e9;
        double bulkTransferSeconds = firstImport[0] == 0 ? -1 : (t4 - firstImport[0]) / 1e9;
        System.err.println("[sync] end sender " + nodes.get(0).syncStats());
        System.err.println("[sync] end receiver " + nodes.get(1).syncStats());
        System.err.println("[sync] end joiner " + nodes.get(2).syncStats());
        double bulkBytesPerFlow = (double) sealedBytes[0][2] / Math.max(1, joiner.standby().size());

        System.out.printf("{\"bench\":\"sync\",\"creates_per_s\":%.0f,\"bytes_per_create\":%.1f,"
                        + "\"bytes_per_update\":%.1f,\"bulk_1m_s\":%.2f,\"updates_per_s\":%.0f,"
                        + "\"ack_bytes_per_create\":%.1f,\"bulk_transfer_s\":%.2f,\"bulk_bytes_per_flow\":%.1f,"
                        + "\"creates\":%d,\"bulk_flows\":%d,\"joiner_standby\":%d,\"replicas_malformed\":%d,"
                        + "\"wire_drops\":%d}%n",
                made / createSeconds, bytesPerCreate, bytesPerUpdate, bulkSeconds, updates / updateSeconds,
                ackBytesPerCreate, bulkTransferSeconds, bulkBytesPerFlow, made, filled, joiner.standby().size(),
                peer.counters().replicasMalformed() + joiner.counters().replicasMalformed(), wireDrops);
    }

    private boolean inRing(int node, int members) {
        return nodes.get(node).status(System.nanoTime()).members().size() == members;
    }

    /** Flow i: client 10.1.x.y:port to server 10.2.0.1:443 (reply = the server's direction). */
    private void flowKey(int i, boolean reply) {
        int client = 10 << 24 | 1 << 16 | (i >>> 14);
        int port = 1024 + (i & 0x3FFF);
        int server = 10 << 24 | 2 << 16 | 1;
        if (reply) {
            key.setV4(6, server, 443, client, port);
        } else {
            key.setV4(6, client, port, server, 443);
        }
    }

    private void start(int index) {
        List<ClusterSettings.Member> members = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            members.add(new ClusterSettings.Member(k, "n" + (k + 1), List.of(SUBNET + k + 1)));
        }
        ClusterSettings settings = new ClusterSettings(index, members, CLUSTER_PORT,
                "benchmark-cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8), 10_000_000L, 30_000_000L, 0,
                "1", "bench-v1", index + 1);
        var cluster = new NodeConfig.InterfaceConfig(0, "cluster", 0x02_00_00_00_00_01L + index, 1500, SUBNET, 24,
                SUBNET + index + 1, List.of());
        NodeConfig config = new NodeConfig("n" + (index + 1), List.of(cluster), List.of(),
                new NodeConfig.RulesSource("rules.txt", "policy drop\n"),
                new NodeConfig.DataplaneLimits(1 << 20, 1024, 16, 100), settings);
        inboxes.add(new ArrayDeque<>());
        int self = index;
        nodes.add(new GatewayNode(config, new Effects() {
            @Override
            public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
                byte[] copy = frame.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
                frames++;
                int payload = sealedPayload(copy);
                for (int to = 0; to < inboxes.size(); to++) { // one shared segment: every node sees every frame
                    if (to == self) {
                        continue;
                    }
                    if (inboxes.get(to).size() >= WIRE_LIMIT) {
                        wireDrops++;
                        continue;
                    }
                    if (payload > 0 && isFor(copy, to)) {
                        sealedBytes[self][to] += payload;
                    }
                    inboxes.get(to).add(copy);
                }
            }

            @Override
            public void log(String event, String detail) {
            }
        }, new Prng(index + 1)));
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

    /** One turn of the event loop: each node runs its overdue timers, then reads the frames queued for it. */
    private void turn() {
        for (int n = 0; n < nodes.size(); n++) {
            GatewayNode node = nodes.get(n);
            long now = System.nanoTime();
            long deadline = node.nextDeadlineNs();
            if (deadline == Long.MIN_VALUE || deadline - now <= 0) { // MIN_VALUE: not started yet
                node.onTick(now);
            }
            ArrayDeque<byte[]> inbox = inboxes.get(n);
            for (int queued = inbox.size(); queued > 0; queued--) {
                byte[] f = inbox.poll();
                node.onFrame(System.nanoTime(), 0, MemorySegment.ofArray(f), f.length, 0);
            }
        }
    }

    private void waitFor(java.util.function.BooleanSupplier done, String what) {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > PHASE_LIMIT_NS) {
                System.err.println("[sync] gave up waiting for " + what);
                return;
            }
            turn();
        }
    }
}
