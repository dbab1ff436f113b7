package io.ringwall.conntrack;

/** Human-readable rendering of flow fields (control plane only; allocates). */
final class FlowText {
    private FlowText() {}

    static String protocolName(int protocol) {
        return switch (protocol) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "icmpv6";
            default -> "proto" + protocol;
        };
    }

    static String address(int family, long hi, long lo) {
        if (family == FlowKey.FAMILY_V4) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            long word = i < 4 ? hi : lo;
            int shift = 48 - 16 * (i & 3);
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Long.toHexString((word >>> shift) & 0xFFFF));
        }
        return sb.toString();
    }
}
