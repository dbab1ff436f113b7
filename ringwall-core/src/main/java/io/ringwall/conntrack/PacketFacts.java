package io.ringwall.conntrack;

/**
 * What connection tracking needs to know about one packet; the data plane fills it from the parsed headers.
 * Mutable and reused per packet. Sequence numbers are raw 32-bit values (compared modulo 2^32).
 */
public final class PacketFacts {
    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_PSH = 0x08;
    public static final int TCP_ACK = 0x10;

    public static final int ICMP_ECHO_REPLY = 0;
    public static final int ICMP_ECHO_REQUEST = 8;
    public static final int ICMPV6_ECHO_REQUEST = 128;
    public static final int ICMPV6_ECHO_REPLY = 129;

    public int protocol;
    public int tcpFlags;
    public int seq, ack, window;
    public int payloadLength;
    /** Window scale option value from a SYN or SYN-ACK; -1 when absent. */
    public int windowScale = -1;
    public boolean sackPermitted;
    public int icmpType, icmpCode, icmpId;
    /** Bytes on the wire, for the byte counters. */
    public int length;

    /** Resets every field so stale options from a previous packet cannot leak into this one. */
    public PacketFacts clear() {
        protocol = 0; tcpFlags = 0; seq = 0; ack = 0; window = 0; payloadLength = 0;
        windowScale = -1; sackPermitted = false; icmpType = 0; icmpCode = 0; icmpId = 0; length = 0;
        return this;
    }
}
