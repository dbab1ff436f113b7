package io.ringwall.node;

import io.ringwall.time.Prng;
import io.ringwall.wire.Ipv4Address;
import io.ringwall.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Drives one {@link GatewayNode} with no I/O, in the style of Netty's EmbeddedChannel: write frames in,
 * read what the node sent out, advance time. Topology: interface 0 "wan" 10.1.0.0/24 (VIP 10.1.0.1),
 * interface 1 "lan" 10.2.0.0/24 (VIP 10.2.0.1).
 */
final class NodeHarness implements Effects {
    static final long WAN_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final long LAN_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final long CLIENT_MAC = MacAddress.parse("02:00:00:00:01:10");
    static final long SERVER_MAC = MacAddress.parse("02:00:00:00:02:10");
    static final int WAN_VIP = Ipv4Address.parse("10.1.0.1");
    static final int LAN_VIP = Ipv4Address.parse("10.2.0.1");
    static final int CLIENT = Ipv4Address.parse("10.1.0.10");
    static final int SERVER = Ipv4Address.parse("10.2.0.10");
    static final String DEFAULT_RULES = """
            policy drop
            accept state established,related
            accept in wan out lan proto tcp dport 80,443
            accept in wan out lan proto udp dport 53
            reject in wan out lan proto tcp dport 23
            reject in wan out lan proto udp dport 69
            accept proto icmp
            """;

    record Sent(int ifIndex, byte[] frame, int offloadFlags) {
        MemorySegment segment() {
            return MemorySegment.ofArray(frame);
        }
    }

    final GatewayNode node;
    final Deque<Sent> sent = new ArrayDeque<>();
    final List<String> logs = new ArrayList<>();
    long nowNs = 1_000_000_000L;

    NodeHarness() {
        this(DEFAULT_RULES);
    }

    NodeHarness(String rules) {
        NodeConfig config = new NodeConfig("gw1", List.of(
                new NodeConfig.InterfaceConfig(0, "wan", WAN_MAC, 1500, Ipv4Address.parse("10.1.0.0"), 24, 0, List.of(WAN_VIP)),
                new NodeConfig.InterfaceConfig(1, "lan", LAN_MAC, 1500, Ipv4Address.parse("10.2.0.0"), 24, 0, List.of(LAN_VIP))),
                List.of(), new NodeConfig.RulesSource("rules.conf", rules), NodeConfig.DataplaneLimits.defaults());
        node = new GatewayNode(config, this, new Prng(7));
        node.onTick(nowNs);
        sent.clear(); // start-up announcements are tested separately
    }

    @Override
    public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
        byte[] copy = new byte[length];
        MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, 0, copy, 0, length);
        sent.add(new Sent(ifIndex, copy, offloadFlags));
    }

    @Override
    public void log(String event, String detail) {
        logs.add(event + " " + detail);
    }

    void receive(int ifIndex, MemorySegment frame, int length) {
        node.onFrame(nowNs, ifIndex, frame, length, 0);
    }

    void advanceMs(long ms) {
        nowNs += ms * 1_000_000L;
        node.onTick(nowNs);
    }

    /** Runs timers like a driver would for {@code ms}, waking at every deadline the node asks for. */
    void runForMs(long ms) {
        long end = nowNs + ms * 1_000_000L;
        while (true) {
            long next = node.nextDeadlineNs();
            if (next - end > 0) {
                nowNs = end;
                return;
            }
            nowNs = Math.max(nowNs, next);
            node.onTick(nowNs);
        }
    }

    Sent poll() {
        return sent.poll();
    }
}
