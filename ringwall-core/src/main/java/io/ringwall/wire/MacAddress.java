package io.ringwall.wire;

/** 48-bit MAC addresses held in the low bits of a long. */
public final class MacAddress {
    private static final int OCTETS = 6;

    private MacAddress() {}

    /** Parses six hex octets separated by ':' or '-' (e.g. "02:00:5e:10:00:01"). */
    public static long parse(String text) {
        if (text == null || text.length() != OCTETS * 3 - 1) {
            throw new IllegalArgumentException("invalid MAC address '" + text + "': expected xx:xx:xx:xx:xx:xx");
        }
        long value = 0;
        for (int i = 0; i < OCTETS; i++) {
            int pos = i * 3;
            int hi = Character.digit(text.charAt(pos), 16);
            int lo = Character.digit(text.charAt(pos + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("invalid MAC address '" + text + "': bad hex digit at position " + pos);
            }
            if (i < OCTETS - 1) {
                char sep = text.charAt(pos + 2);
                if (sep != ':' && sep != '-') {
                    throw new IllegalArgumentException("invalid MAC address '" + text + "': expected ':' at position " + (pos + 2));
                }
            }
            value = value << 8 | (hi << 4 | lo);
        }
        return value;
    }

    public static String format(long mac) {
        StringBuilder sb = new StringBuilder(OCTETS * 3 - 1);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
