package io.ringwall.bench;

import io.ringwall.node.Effects;
import io.ringwall.node.GatewayNode;
import io.ringwall.node.NodeConfig;
import io.ringwall.time.Prng;
import io.ringwall.wire.FrameBuilder;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.MacAddress;
import io.ringwall.wire.TcpSegment;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one packet of an established TCP flow through the whole node pipeline (Ethernet, IPv4 with
 * header checksum, TCP with options and checksum unless offloaded, conntrack window tracking, the rule set,
 * TTL decrement, neighbour lookup, MAC rewrite, handing the frame to the driver). Each iteration first
 * restores the frame from a template (the node decrements its TTL in place); that copy is included.
 * Run with {@code -prof gc} to see allocation per operation (expected: 0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {
    private static final long WAN_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final long LAN_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final long CLIENT_MAC = MacAddress.parse("02:00:00:00:01:10");
    private static final long SERVER_MAC = MacAddress.parse("02:00:00:00:02:10");
    private static final int CLIENT = Ipv4Address.parse("10.1.0.10");
    private static final int SERVER = Ipv4Address.parse("10.2.0.10");
    private static final String RULES = """
            policy drop
            accept state established,related
            accept in wan out lan proto tcp dport 80,443
            accept proto icmp
            """;

    /** Payload bytes per segment: 0 is a pure ACK, 1448 a full MSS-sized data segment. */
    @Param({"0", "1448"})
    int payload;

    /** Whether the L4 checksum is verified (false = the driver reported CHECKSUM_PARTIAL/DATA_VALID). */
    @Param({"true", "false"})
    boolean verifyChecksum;

    private GatewayNode node;
    private final MemorySegment template = MemorySegment.ofArray(new byte[2048]);
    private final MemorySegment frame = MemorySegment.ofArray(new byte[2048]);
    private int length;
    private long nowNs = 1_000_000_000L;
    private long sentBytes;

    @Setup(Level.Trial)
    public void establish() {
        NodeConfig config = new NodeConfig("bench", List.of(
                new NodeConfig.InterfaceConfig(0, "wan", WAN_MAC, 1500, Ipv4Address.parse("10.1.0.0"), 24, 0,
                        List.of(Ipv4Address.parse("10.1.0.1"))),
                new NodeConfig.InterfaceConfig(1, "lan", LAN_MAC, 1500, Ipv4Address.parse("10.2.0.0"), 24, 0,
                        List.of(Ipv4Address.parse("10.2.0.1")))),
                List.of(), new NodeConfig.RulesSource("bench.rules", RULES), NodeConfig.DataplaneLimits.defaults());
        Effects sink = new Effects() {
            @Override
            public void sendFrame(int ifIndex, MemorySegment f, int len, int offloadFlags) {
                sentBytes += len;
            }

            @Override
            public void log(String event, String detail) {
            }
        };
        node = new GatewayNode(config, sink, new Prng(1));
        node.onTick(nowNs);
        int n = FrameBuilder.arp(frame, LAN_MAC, SERVER_MAC, 2, SERVER_MAC, SERVER, LAN_MAC, Ipv4Address.parse("10.2.0.1"));
        node.onFrame(nowNs, 1, frame, n, 0);
        n = FrameBuilder.arp(frame, WAN_MAC, CLIENT_MAC, 1, CLIENT_MAC, CLIENT, 0, Ipv4Address.parse("10.1.0.1"));
        node.onFrame(nowNs, 0, frame, n, 0);
        n = FrameBuilder.tcp(frame, WAN_MAC, CLIENT_MAC, CLIENT, SERVER, 64, 40000, 80, 1000, 0, TcpSegment.SYN, 65535, null, null, 0);
        node.onFrame(nowNs, 0, frame, n, 0);
        n = FrameBuilder.tcp(frame, LAN_MAC, SERVER_MAC, SERVER, CLIENT, 64, 80, 40000, 5000, 1001,
                TcpSegment.SYN | TcpSegment.ACK, 65535, null, null, 0);
        node.onFrame(nowNs, 1, frame, n, 0);
        length = FrameBuilder.tcp(template, WAN_MAC, CLIENT_MAC, CLIENT, SERVER, 64, 40000, 80, 1001, 5001,
                TcpSegment.ACK, 65535, null, MemorySegment.ofArray(new byte[payload]), payload);
        MemorySegment.copy(template, 0, frame, 0, length);
        node.onFrame(nowNs, 0, frame, length, 0);
        if (node.conntrack().active().size() != 1 || sentBytes == 0) {
            throw new IllegalStateException("flow not established: " + node.conntrack().active().size());
        }
    }

    @Benchmark
    public long establishedFlowPacket() {
        MemorySegment.copy(template, 0, frame, 0, length);
        nowNs += 1_000;
        node.onFrame(nowNs, 0, frame, length, verifyChecksum ? 0 : io.ringwall.node.Offload.CSUM_VALID);
        return sentBytes;
    }
}
