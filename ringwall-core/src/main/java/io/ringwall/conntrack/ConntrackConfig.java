package io.ringwall.conntrack;

import java.time.Duration;

/**
 * Capacities and per-state idle timeouts. Defaults follow netfilter's (nf_conntrack_tcp_timeout_* etc.),
 * except capacities, which default small enough for tests; production sizes them from the node config
 * (the layout is designed for 1M flows per store at under 256 heap bytes each).
 */
public record ConntrackConfig(
        int activeCapacity,
        int standbyCapacity,
        Duration tcpSynSent,
        Duration tcpSynRecv,
        Duration tcpEstablished,
        Duration tcpFinWait,
        Duration tcpCloseWait,
        Duration tcpLastAck,
        Duration tcpTimeWait,
        Duration tcpClose,
        Duration udpUnreplied,
        Duration udpReplied,
        Duration icmp) {

    public static final int DEFAULT_CAPACITY = 65_536;
    /** Upper bound per store: keeps slot*2 indexes and the open-addressing index within int range. */
    public static final int MAX_CAPACITY = 1 << 26;

    public ConntrackConfig {
        if (activeCapacity < 1 || activeCapacity > MAX_CAPACITY || standbyCapacity < 1 || standbyCapacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacities must be in [1, " + MAX_CAPACITY + "]");
        }
        for (Duration d : new Duration[] {tcpSynSent, tcpSynRecv, tcpEstablished, tcpFinWait, tcpCloseWait,
            tcpLastAck, tcpTimeWait, tcpClose, udpUnreplied, udpReplied, icmp}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    public static ConntrackConfig defaults() {
        return new ConntrackConfig(DEFAULT_CAPACITY, DEFAULT_CAPACITY,
                Duration.ofSeconds(120),     // syn_sent
                Duration.ofSeconds(60),      // syn_recv
                Duration.ofDays(5),          // established
                Duration.ofSeconds(120),     // fin_wait
                Duration.ofSeconds(60),      // close_wait
                Duration.ofSeconds(30),      // last_ack
                Duration.ofSeconds(120),     // time_wait
                Duration.ofSeconds(10),      // close
                Duration.ofSeconds(30),      // udp unreplied
                Duration.ofSeconds(120),     // udp replied (netfilter's udp_timeout_stream)
                Duration.ofSeconds(30));     // icmp
    }

    public ConntrackConfig withCapacities(int active, int standby) {
        return new ConntrackConfig(active, standby, tcpSynSent, tcpSynRecv, tcpEstablished, tcpFinWait, tcpCloseWait,
                tcpLastAck, tcpTimeWait, tcpClose, udpUnreplied, udpReplied, icmp);
    }

    /** Idle timeout in ns indexed by {@link FlowState} value. */
    long[] timeoutsByState() {
        long[] t = new long[FlowState.COUNT];
        t[FlowState.TCP_NONE] = tcpSynSent.toNanos();
        t[FlowState.TCP_SYN_SENT] = tcpSynSent.toNanos();
        t[FlowState.TCP_SYN_SENT2] = tcpSynSent.toNanos();
        t[FlowState.TCP_SYN_RECV] = tcpSynRecv.toNanos();
        t[FlowState.TCP_ESTABLISHED] = tcpEstablished.toNanos();
        t[FlowState.TCP_FIN_WAIT] = tcpFinWait.toNanos();
        t[FlowState.TCP_CLOSE_WAIT] = tcpCloseWait.toNanos();
        t[FlowState.TCP_LAST_ACK] = tcpLastAck.toNanos();
        t[FlowState.TCP_TIME_WAIT] = tcpTimeWait.toNanos();
        t[FlowState.TCP_CLOSE] = tcpClose.toNanos();
        t[FlowState.UDP_UNREPLIED] = udpUnreplied.toNanos();
        t[FlowState.UDP_REPLIED] = udpReplied.toNanos();
        t[FlowState.ICMP_UNREPLIED] = icmp.toNanos();
        t[FlowState.ICMP_REPLIED] = icmp.toNanos();
        return t;
    }
}
