package io.ringwall.bench;

import java.util.Locale;

/**
 * What an idle three-node cluster costs in the node code alone: three real {@link io.ringwall.node.GatewayNode}s on
 * a {@link BenchCluster} wire, driven by a virtual clock that jumps to the next deadline, so the thread does nothing
 * but the nodes' own work (token hops, acks, sealing and opening, the roles' per-visit work, housekeeping). No
 * kernel, no system calls, no JVM background threads: bench/idle.sh measures those on the real cluster; this one
 * says how much of its figure is ours and lets a change to the token path be compared in seconds.
 *
 * <p>Prints one JSON line per run: for each timer profile, the time spent in the nodes (the turns of the loop, wall
 * clock on one busy thread) per virtual second divided by the three nodes ({@code cpu_pct_per_node}, percent of one
 * core), token hops, frames and wake-ups (turns with a due timer or queued frames) per node per second, CPU
 * per hop, bytes allocated per hop (the wire's frame copies included; a real node's allocations are fresh memory
 * and so cache misses on every wakeup), sealed cluster bytes per node per second, and the ring changes seen while measuring (must be 0: an idle
 * ring that re-forms is not idle).
 *
 * <p>A real node wakes about a hundred times a second and finds its caches full of other processes' data; a loop
 * that runs nothing but the nodes finds them warm. {@code --cold} sweeps {@link #EVICT_BYTES} between turns (not
 * timed), so each turn starts as a real wakeup does and what the code touches per wakeup shows.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.ringwall.bench.IdleBenchmark [--cold] [warmup_s [measure_s]]} (virtual
 * seconds, defaults 300 and 300; the warm-up lets the JIT compile the token path).
 */
public final class IdleBenchmark {
    /** Time a frame spends on the in-memory wire: the next turn is this much later on the virtual clock. */
    static final long WIRE_NS = 20_000L;
    static final long SECOND_NS = 1_000_000_000L;
    static final int MAX_SECONDS = 3600;

    /** Bigger than this host's L2 (512 KiB per core): swept between turns in cold mode. */
    static final int EVICT_BYTES = 4 << 20;

    private long nowNs = SECOND_NS;
    private long ringChanges;
    private final BenchCluster cluster;
    /** Null unless cold: then every turn starts with the L1 and L2 caches full of other data. */
    private final byte[] evict;
    private long turnNs;

    private IdleBenchmark(long hopNs, long ackNs, boolean cold) {
        this.evict = cold ? new byte[EVICT_BYTES] : null;
        cluster = new BenchCluster(hopNs, ackNs, 1, () -> nowNs, (node, event, detail) -> {
            if (event.equals("ring")) {
                ringChanges++;
            }
        }, (node, what, startNs) -> { });
        cluster.running = BenchCluster.NODES;
    }

    public static void main(String[] args) {
        boolean cold = args.length > 0 && args[0].equals("--cold");
        int first = cold ? 1 : 0;
        int warmup = args.length > first ? Integer.parseInt(args[first]) : 300;
        int measure = args.length > first + 1 ? Integer.parseInt(args[first + 1]) : 300;
        if (warmup < 0 || warmup > MAX_SECONDS || measure < 1 || measure > MAX_SECONDS) {
            throw new IllegalArgumentException("warm-up must be 0.." + MAX_SECONDS + " and measure 1.." + MAX_SECONDS);
        }
        // fast first: its 5x hop rate compiles the token path in a fifth of the virtual time, so the default
        // profile's warm-up (same code) ends with the same compiled code
        String fast = new IdleBenchmark(2_000_000L, 5_000_000L, cold).run(warmup, measure);
        String defaults = new IdleBenchmark(10_000_000L, 30_000_000L, cold).run(warmup, measure);
        System.out.printf("{\"bench\":\"idle-core\",\"cold\":%b,\"warmup_s\":%d,\"seconds\":%d,\"default\":%s,"
                + "\"fast\":%s}%n", cold, warmup, measure, defaults, fast);
    }

    private String run(int warmupS, int measureS) {
        advance(warmupS * SECOND_NS);
        long ringBefore = ringChanges;
        long framesBefore = cluster.frames;
        long wakeupsBefore = cluster.wakeups;
        long hopsBefore = tokensReceived();
        long bytesBefore = sealedBytes();
        turnNs = 0;
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocBefore = threads.getCurrentThreadAllocatedBytes();
        advance(measureS * SECOND_NS);
        long cpuNs = turnNs;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocBefore;
        long hops = tokensReceived() - hopsBefore;
        int n = BenchCluster.NODES;
        return String.format(Locale.ROOT, "{\"cpu_pct_per_node\":%.3f,\"hops_per_node_s\":%.1f,\"cpu_us_per_hop\":%.2f,"
                        + "\"alloc_bytes_per_hop\":%.0f,\"frames_per_node_s\":%.1f,\"wakeups_per_node_s\":%.1f,\"bytes_per_node_s\":%.0f,\"ring_changes\":%d,"
                        + "\"members\":%d}",
                100.0 * cpuNs / n / (measureS * (double) SECOND_NS), (double) hops / n / measureS,
                hops == 0 ? 0.0 : cpuNs / 1000.0 / hops, hops == 0 ? 0.0 : (double) allocated / hops,
                (double) (cluster.frames - framesBefore) / n / measureS,
                (double) (cluster.wakeups - wakeupsBefore) / n / measureS,
                (double) (sealedBytes() - bytesBefore) / n / measureS, ringChanges - ringBefore,
                cluster.node(0).ringMembers());
    }

    /** Runs the cluster for {@code spanNs} of virtual time: turns while frames are in flight, else jumps ahead. */
    private void advance(long spanNs) {
        long end = nowNs + spanNs;
        while (nowNs < end) {
            if (evict != null) {
                for (int i = 0; i < evict.length; i += 64) {
                    evict[i] += (byte) nowNs; // written, so the lines are dirty and must be evicted too
                }
            }
            long startNs = System.nanoTime();
            cluster.turn();
            turnNs += System.nanoTime() - startNs;
            if (!cluster.wireEmpty()) {
                nowNs += WIRE_NS;
                continue;
            }
            long deadline = cluster.nextDeadlineNs();
            // a deadline that stays due after its tick would spin: time moves on by at least one wire delay
            nowNs = deadline == Long.MIN_VALUE ? nowNs + WIRE_NS : Math.max(deadline, nowNs + WIRE_NS);
        }
    }

    private long tokensReceived() {
        long sum = 0;
        for (int n = 0; n < BenchCluster.NODES; n++) {
            sum += cluster.node(n).ringCounters().tokensReceived();
        }
        return sum;
    }

    private long sealedBytes() {
        long sum = 0;
        for (long[] row : cluster.sealedBytes) {
            for (long b : row) {
                sum += b;
            }
        }
        return sum;
    }
}
