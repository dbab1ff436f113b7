package io.ringwall.conntrack;

/**
 * Flow states, one number space for all protocols so a single 4-bit field and one timeout table suffice.
 * TCP states follow netfilter's names and meaning; UDP and ICMP have pseudo-states.
 */
public final class FlowState {
    public static final int TCP_NONE = 0;
    public static final int TCP_SYN_SENT = 1;
    public static final int TCP_SYN_RECV = 2;
    public static final int TCP_ESTABLISHED = 3;
    public static final int TCP_FIN_WAIT = 4;
    public static final int TCP_CLOSE_WAIT = 5;
    public static final int TCP_LAST_ACK = 6;
    public static final int TCP_TIME_WAIT = 7;
    public static final int TCP_CLOSE = 8;
    /** Simultaneous open: SYN seen from both sides. */
    public static final int TCP_SYN_SENT2 = 9;
    public static final int UDP_UNREPLIED = 10;
    public static final int UDP_REPLIED = 11;
    public static final int ICMP_UNREPLIED = 12;
    public static final int ICMP_REPLIED = 13;
    static final int COUNT = 14;

    private static final String[] NAMES = {"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
        "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2", "UNREPLIED", "REPLIED", "UNREPLIED", "REPLIED"};

    private FlowState() {}

    public static String name(int state) {
        return state >= 0 && state < COUNT ? NAMES[state] : "?" + state;
    }

    static boolean validFor(int protocol, int state) {
        return switch (protocol) {
            case 6 -> state >= TCP_NONE && state <= TCP_SYN_SENT2;
            case 17 -> state == UDP_UNREPLIED || state == UDP_REPLIED;
            case 1, 58 -> state == ICMP_UNREPLIED || state == ICMP_REPLIED;
            default -> false;
        };
    }
}
