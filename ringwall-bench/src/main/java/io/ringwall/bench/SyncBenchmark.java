package io.ringwall.bench;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.FlowKey;
import io.ringwall.conntrack.PacketFacts;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeCommand;
import io.ringwall.node.SyncStats;
import java.util.List;

import static io.ringwall.bench.BenchCluster.BUCKETS;
import static io.ringwall.bench.BenchCluster.WAN;
import static io.ringwall.bench.BenchCluster.WAN_VIP;

/**
 * Flow replication end to end, in one process and one thread: real {@link GatewayNode}s on the real clock,
 * joined by an in-memory wire that counts the sealed UDP payload of every cluster packet (message and packet
 * headers and AEAD tag included). Node 1 creates TCP flows straight in its conntrack (no packet parsing), so
 * what is measured is replication: coalescing, encoding, sealing, delivery, acks, opening and import on the
 * peers. Phases: (1) creations replicated to node 2, (2) one state change per flow (the SYN-ACK), (3) node 1
 * filled to {@link #BULK_FLOWS}, then node 3 joins and gets a bulk transfer. Prints one JSON line.
 *
 * <p>The cluster is active/standby, as docs/cluster.md describes it: one VIP group (a VIP on wan and on lan) held
 * by node 1, so node 1 owns every flow bucket and creates flows only in buckets it owns ("in active/standby all
 * buckets follow the VIP holder"). {@link #BACKUP_COUNT} 2 makes every other member a backup of every bucket
 * (full replication, as before buckets), so the joining node must receive all {@link #BULK_FLOWS} flows. The
 * nodes have no own address on wan and lan: cluster traffic runs on the dedicated cluster network only.
 *
 * <p>Before phase 1, {@code warmup} flows go through phases 1 and 2 unmeasured (default
 * {@link #DEFAULT_WARMUP_FLOWS}; they count towards the {@link #BULK_FLOWS} of phase 3): three nodes share this one
 * thread, and while the code is still interpreted a turn of the loop can outlast the ring's 30 ms ack timeout, so the
 * ring flapped and every re-join restarted the bulk transfers. Control-plane events (ring changes, maps, stalls)
 * and node calls slower than {@link #SLOW_CALL_NS} go to stderr.
 *
 * <p>Usage: {@code java -Xmx6g -cp benchmarks.jar io.ringwall.bench.SyncBenchmark [creates [warmup]]}. Every wait
 * is bounded by {@link #PHASE_LIMIT_NS}; a phase that runs out reports what it reached.
 */
public final class SyncBenchmark {
    static final int BULK_FLOWS = 1_000_000;
    /** Flows created and answered before the measured phases (they count towards the bulk's {@link #BULK_FLOWS}). */
    static final int DEFAULT_WARMUP_FLOWS = 100_000;
    static final long PHASE_LIMIT_NS = 20_000_000_000L;
    /** Flows created between two turns of the event loop (a data plane creates flows between packet batches). */
    static final int CREATE_CHUNK = 512;
    /** Every bucket backed up by both other members: the joiner must hold every flow. */
    static final int BACKUP_COUNT = 2;
    static final int SENDER = 0;
    /** A node call this long stalls the ring timers of every node (they share the thread): reported. */
    static final long SLOW_CALL_NS = 20_000_000L;
    static final int SLOW_CALLS_SHOWN = 40;

    private final long epochNs = System.nanoTime();
    private long slowCalls;
    /** Nodes 1 and 2 run from the start, node 3 joins in phase 3 ({@link BenchCluster#running}). */
    private final BenchCluster cluster = new BenchCluster(10_000_000L, 30_000_000L, BACKUP_COUNT, System::nanoTime,
            (node, event, detail) -> {
                if (!event.equals("rule") && !event.equals("neighbour-unreachable")) { // ring, maps, stalls, VIP moves
                    System.err.printf("[sync] %.3f n%d %s %s%n", (System.nanoTime() - epochNs) / 1e9, node + 1, event, detail);
                }
            }, this::noteSlow);
    private final List<GatewayNode> nodes = List.of(cluster.node(0), cluster.node(1), cluster.node(2));
    private final long[][] sealedBytes = cluster.sealedBytes;
    private final FlowKey key = new FlowKey();
    private final PacketFacts syn = new PacketFacts();
    private final PacketFacts synAck = new PacketFacts();

    public static void main(String[] args) {
        int creates = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_WARMUP_FLOWS;
        if (creates < 1 || warmup < 0 || warmup + creates > BULK_FLOWS) {
            throw new IllegalArgumentException("need 1 <= creates and warm-up + creates <= " + BULK_FLOWS);
        }
        new SyncBenchmark().run(creates, warmup);
    }

    void run(int creates, int warmup) {
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

        // The flow tables (about 1.2 GB) are allocated with the nodes: moved to the old generation now, not by the
        // first young collection in the middle of a phase (a 300 ms pause that stalls every node of the ring).
        System.gc();
        cluster.running = 2;
        waitFor(() -> inRing(0, 2) && inRing(1, 2), "ring of 2");
        holdVipsOnSender();
        Conntrack owner = nodes.get(0).conntrack();
        Conntrack peer = nodes.get(1).conntrack();

        // (0) warm-up, not measured: the same work on other flows, so the phases below run compiled code (before
        // this, the ring flapped during JIT warm-up and every flap restarted the bulk transfers)
        int warm = create(owner, 0, warmup);
        waitFor(() -> peer.standby().size() >= warm, "warm-up creations replicated");
        long warmImports = peer.counters().replicasImported();
        answer(owner, 0, warm);
        waitFor(() -> peer.counters().replicasImported() - warmImports >= warm, "warm-up updates replicated");
        System.err.println("[sync] after warm-up: " + warm + " flows, sender " + nodes.get(SENDER).syncStats());
        SyncStats senderBefore = nodes.get(SENDER).syncStats();

        // (1) creations
        long bytesBefore = sealedBytes[0][1], acksBefore = sealedBytes[1][0];
        long t0 = System.nanoTime();
        int made = create(owner, warm, warm + creates) - warm;
        int target = warm + made;
        waitFor(() -> peer.standby().size() >= target, "creations replicated");
        System.err.println("[sync] after creations: dirty=" + owner.dirty().size() + " bytes01=" + sealedBytes[0][1] + " bytes10="
                + sealedBytes[1][0] + " standby=" + peer.standby().size() + " " + peer.counters() + " frames=" + cluster.frames
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
        int updates = answer(owner, warm, warm + made) - warm;
        waitFor(() -> peer.counters().replicasImported() - importsBefore >= updates, "updates replicated");
        double updateSeconds = (System.nanoTime() - t1) / 1e9;
        double bytesPerUpdate = (double) (sealedBytes[0][1] - bytesBefore) / made;
        SyncStats senderAfter = nodes.get(SENDER).syncStats();
        System.err.println("[sync] after updates: sender " + senderAfter + " receiver " + nodes.get(1).syncStats() + " " + peer.counters());

        // (3) fill node 1 to BULK_FLOWS (replicated to node 2 as deltas), then node 3 joins
        int filled = create(owner, warm + made, BULK_FLOWS);
        waitFor(() -> peer.standby().size() >= filled, "fill replicated");
        long t3 = System.nanoTime();
        cluster.running = 3;
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
        // node 2 sends the joiner its replicas of the buckets the joiner must hold, too (docs/cluster.md)
        double bulkAllBytesPerFlow = (double) (sealedBytes[0][2] + sealedBytes[1][2]) / Math.max(1, joiner.standby().size());

        System.out.printf("{\"bench\":\"sync\",\"creates_per_s\":%.0f,\"bytes_per_create\":%.1f,"
                        + "\"bytes_per_update\":%.1f,\"bulk_1m_s\":%.2f,\"updates_per_s\":%.0f,"
                        + "\"ack_bytes_per_create\":%.1f,\"bulk_transfer_s\":%.2f,\"bulk_bytes_per_flow\":%.1f,"
                        + "\"bulk_bytes_per_flow_all_members\":%.1f,"
                        + "\"creates\":%d,\"bulk_flows\":%d,\"joiner_standby\":%d,\"replicas_malformed\":%d,"
                        + "\"wire_drops\":%d,\"config\":\"active-standby\",\"vip_holder\":\"n1\","
                        + "\"buckets\":%d,\"backup_count\":%d,\"sender_buckets\":%d,\"joiner_backs_up_all\":%b,"
                        + "\"warmup_flows\":%d,\"sender_bulk_starts\":%d,\"slow_calls\":%d}%n",
                made / createSeconds, bytesPerCreate, bytesPerUpdate, bulkSeconds, updates / updateSeconds,
                ackBytesPerCreate, bulkTransferSeconds, bulkBytesPerFlow, bulkAllBytesPerFlow, made, filled,
                joiner.standby().size(), peer.counters().replicasMalformed() + joiner.counters().replicasMalformed(),
                cluster.wireDrops, nodes.get(SENDER).bucketStats().buckets(), nodes.get(SENDER).bucketStats().backupCount(),
                nodes.get(SENDER).bucketStats().owned(), joinerBacksUpAll(), warm,
                senderAfter.bulkTransfers() - senderBefore.bulkTransfers(), slowCalls);
        System.err.println("[sync] sender bulk transfers started during creations and updates: "
                + senderAfter.bulkCauses() + " (before: " + senderBefore.bulkCauses() + ")");
    }

    /**
     * Active/standby with node 1 as the VIP holder: the operator prefers node 1 for the VIP group ({@code ringwall
     * prefer 10.1.0.1 n1}, flag 3: it returns there whenever node 1 is alive), retried until a quorate ring carried
     * it out. Then waits until both nodes have installed a map in which node 1 owns every bucket.
     */
    private void holdVipsOnSender() {
        NodeCommand.Result[] result = {null};
        long start = System.nanoTime();
        while ((result[0] == null || !result[0].ok()) && System.nanoTime() - start < PHASE_LIMIT_NS) {
            result[0] = null;
            nodes.get(SENDER).onCommand(System.nanoTime(), new NodeCommand.PreferVip(WAN_VIP, "n1"), r -> result[0] = r);
            waitFor(() -> result[0] != null, "the prefer command");
        }
        System.err.println("[sync] prefer: " + result[0]);
        waitFor(() -> vipHolder() == SENDER && senderOwnsAllBuckets(), "n1 holding the VIPs and every bucket");
        System.err.println("[sync] configuration: " + nodes.get(SENDER).bucketStats());
    }

    /** The node that answers for the wan VIP, or -1. */
    private int vipHolder() {
        for (int n = 0; n < cluster.running; n++) {
            if (nodes.get(n).ownsVip(WAN, WAN_VIP)) {
                return n;
            }
        }
        return -1;
    }

    /** Every node installed the same map generation, in which node 1 owns every bucket. */
    private boolean senderOwnsAllBuckets() {
        long generation = nodes.get(SENDER).bucketStats().generation();
        for (int n = 0; n < cluster.running; n++) {
            if (nodes.get(n).bucketStats().generation() != generation) {
                return false;
            }
        }
        return nodes.get(SENDER).bucketStats().owned() == BUCKETS;
    }

    /**
     * Whether the joining node is a backup of every bucket: with three members and two backups per bucket, every
     * node but the owner is one (BucketMap), so the joiner must hold every flow.
     */
    private boolean joinerBacksUpAll() {
        return nodes.get(SENDER).bucketStats().backupCount() >= 2 && nodes.get(SENDER).ringMembers() == 3;
    }

    /** Node 1 creates flows {@code from..to-1} (after their SYN), {@link #CREATE_CHUNK} between turns; returns the end. */
    private int create(Conntrack owner, int from, int to) {
        long start = System.nanoTime();
        int next = from;
        while (next < to && System.nanoTime() - start < PHASE_LIMIT_NS) {
            for (int i = 0; i < CREATE_CHUNK && next < to; i++, next++) {
                flowKey(next, false);
                syn.seq = next * 7919;
                owner.create(key, syn, System.nanoTime());
            }
            cluster.turn();
        }
        return next;
    }

    /** The server answers flows {@code from..to-1} (a SYN-ACK each: one state change); returns the end. */
    private int answer(Conntrack owner, int from, int to) {
        long start = System.nanoTime();
        int next = from;
        while (next < to && System.nanoTime() - start < PHASE_LIMIT_NS) {
            for (int i = 0; i < CREATE_CHUNK && next < to; i++, next++) {
                flowKey(next, true);
                synAck.seq = next * 104_729;
                synAck.ack = next * 7919 + 1;
                owner.classify(key, synAck, System.nanoTime());
            }
            cluster.turn();
        }
        return next;
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

    /**
     * A node call that kept the (shared) loop longer than {@link #SLOW_CALL_NS} stalls every node's ring timers:
     * the first {@link #SLOW_CALLS_SHOWN} go to stderr, all are counted.
     */
    private void noteSlow(int node, String what, long startNs) {
        long tookNs = System.nanoTime() - startNs;
        if (tookNs > SLOW_CALL_NS && slowCalls++ < SLOW_CALLS_SHOWN) {
            System.err.printf("[sync] %.3f n%d slow %s: %d ms%n", (startNs - epochNs) / 1e9, node + 1, what, tookNs / 1_000_000);
        }
    }

    private void waitFor(java.util.function.BooleanSupplier done, String what) {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > PHASE_LIMIT_NS) {
                System.err.println("[sync] gave up waiting for " + what);
                return;
            }
            cluster.turn();
        }
    }
}
