package io.ringwall.sim.host;

/**
 * An ICMP error a host received (time exceeded, destination unreachable), with the quoted
 * original packet's destination and protocol.
 */
public record IcmpError(long timeNs, int type, int code, int fromIp, int originalDstIp, int originalProtocol) {
    public static final int DEST_UNREACHABLE = 3;
    public static final int TIME_EXCEEDED = 11;
}
