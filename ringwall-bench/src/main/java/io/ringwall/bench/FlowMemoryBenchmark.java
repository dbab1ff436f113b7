package io.ringwall.bench;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.ConntrackConfig;
import io.ringwall.conntrack.FlowKey;
import io.ringwall.conntrack.PacketFacts;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Heap bytes per tracked flow with 1M UDP flows in a 2^20-slot active store: measured as the heap growth
 * (MemoryMXBean, after GC) from building and filling the store, and computed exactly from the array sizes.
 * The single-shot time is the cost of creating 1M flows. Also runnable as a plain main().
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class FlowMemoryBenchmark {
    static final int FLOWS = 1_000_000;

    @Benchmark
    public Conntrack fillMillionFlows() {
        return measure();
    }

    static Conntrack measure() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        Conntrack ct = new Conntrack(ConntrackConfig.defaults().withCapacities(ConntrackLookupBenchmark.CAPACITY, 1));
        FlowKey k = new FlowKey();
        PacketFacts udp = new PacketFacts();
        udp.protocol = 17;
        udp.length = 100;
        for (int i = 0; i < FLOWS; i++) {
            k.setV4(17, 0x0A00_0000 | (i >>> 6), 1024 + (i & 63), 0x0808_0808, 53);
            if (ct.create(k, udp, i) < 0) {
                throw new IllegalStateException("create failed at " + i);
            }
        }
        long after = usedAfterGc(memory);
        double measured = (after - before) / (double) FLOWS;
        double computed = ct.active().heapBytesPerSlot() * ct.active().capacity() / FLOWS;
        System.out.printf("%nflow memory: %d flows in capacity %d: measured %.1f heap bytes/flow, computed %.1f"
                        + " bytes/flow (%.1f per slot of capacity)%n", ct.active().size(), ct.active().capacity(),
                measured, computed, ct.active().heapBytesPerSlot());
        return ct;
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    public static void main(String[] args) {
        measure();
    }
}
