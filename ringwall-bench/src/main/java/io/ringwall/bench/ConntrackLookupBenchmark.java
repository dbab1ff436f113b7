package io.ringwall.bench;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.ConntrackConfig;
import io.ringwall.conntrack.CtVerdict;
import io.ringwall.conntrack.FlowKey;
import io.ringwall.conntrack.PacketFacts;
import io.ringwall.time.Prng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-packet cost of connection tracking with 1M established TCP flows in the active store:
 * the bare index lookup, and a full classify (lookup + window tracking + counters) of an in-window ACK.
 * Probe keys are drawn at random so lookups miss the CPU caches as they would under real traffic.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ConntrackLookupBenchmark {
    static final int FLOWS = 1_000_000;
    static final int CAPACITY = 1 << 20;
    private static final int PROBES = 1 << 14;
    private static final int PROTO_TCP = 6;

    private Conntrack ct;
    private final FlowKey[] probes = new FlowKey[PROBES];
    private final int[] probeFlow = new int[PROBES];
    private final PacketFacts facts = new PacketFacts();
    private final FlowKey reply = new FlowKey();
    private int next;
    private long nowNs = 1_000_000_000L;

    @Setup(Level.Trial)
    public void fill() {
        ct = new Conntrack(ConntrackConfig.defaults().withCapacities(CAPACITY, 1));
        FlowKey k = new FlowKey();
        for (int i = 0; i < FLOWS; i++) {
            establish(k, i);
        }
        Prng prng = new Prng(7);
        for (int p = 0; p < PROBES; p++) {
            int flow = prng.nextInt(FLOWS);
            probes[p] = new FlowKey();
            clientKey(probes[p], flow);
            probeFlow[p] = flow;
        }
        if (ct.active().size() != FLOWS) {
            throw new IllegalStateException("filled " + ct.active().size());
        }
    }

    static void clientKey(FlowKey k, int flow) {
        k.setV4(PROTO_TCP, 0x0A00_0000 | (flow >>> 6), 1024 + (flow & 63), 0xC0A8_0001 + (flow % 13), 443);
    }

    private void establish(FlowKey k, int flow) {
        clientKey(k, flow);
        nowNs += 10;
        ct.create(k, segment(PacketFacts.TCP_SYN, 1000, 0), nowNs);
        reply.setV4(PROTO_TCP, 0xC0A8_0001 + (flow % 13), 443, 0x0A00_0000 | (flow >>> 6), 1024 + (flow & 63));
        ct.classify(reply, segment(PacketFacts.TCP_SYN | PacketFacts.TCP_ACK, 5000, 1001), nowNs);
        if (ct.classify(k, segment(PacketFacts.TCP_ACK, 1001, 5001), nowNs) != CtVerdict.ESTABLISHED) {
            throw new IllegalStateException("handshake failed for flow " + flow);
        }
    }

    private PacketFacts segment(int flags, int seq, int ack) {
        facts.clear();
        facts.protocol = PROTO_TCP;
        facts.tcpFlags = flags;
        facts.seq = seq;
        facts.ack = ack;
        facts.window = 65535;
        facts.length = 40;
        return facts;
    }

    @Benchmark
    public int lookupEstablished() {
        int p = next++ & (PROBES - 1);
        return ct.active().lookup(probes[p]);
    }

    @Benchmark
    public int classifyEstablishedAck() {
        int p = next++ & (PROBES - 1);
        // an in-window duplicate ACK: tracked fully but leaves the windows as they are
        return ct.classify(probes[p], segment(PacketFacts.TCP_ACK, 1001, 5001), nowNs);
    }
}
