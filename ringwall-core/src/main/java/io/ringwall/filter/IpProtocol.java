package io.ringwall.filter;

/** IP protocol numbers the rule language names; {@link #ANY} marks a rule without {@code proto}. */
public final class IpProtocol {
    public static final int ANY = -1;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int MAX = 255;

    private IpProtocol() {
    }

    /** Protocols whose packets carry ports, so {@code sport}/{@code dport} make sense. */
    public static boolean hasPorts(int protocol) {
        return protocol == TCP || protocol == UDP;
    }

    /** The rule-file spelling: a name for tcp/udp/icmp, else the number. */
    public static String describe(int protocol) {
        return switch (protocol) {
            case ICMP -> "icmp";
            case TCP -> "tcp";
            case UDP -> "udp";
            default -> Integer.toString(protocol);
        };
    }
}
