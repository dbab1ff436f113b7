package io.ringwall.wire;

/** Dotted-quad IPv4 addresses held as an int (a.b.c.d = a<<24 | b<<16 | c<<8 | d). */
public final class Ipv4Address {
    public static final int MAX_PREFIX_LENGTH = 32;
    private static final int OCTETS = 4;

    private Ipv4Address() {}

    /** Parses "a.b.c.d" strictly: four decimal octets 0..255 without leading zeros (which some tools read as octal). */
    public static int parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv4 address is missing");
        }
        int value = 0;
        int octets = 0;
        int pos = 0;
        int n = text.length();
        while (octets < OCTETS) {
            int start = pos;
            int octet = 0;
            while (pos < n && pos - start < 4 && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                octet = octet * 10 + (text.charAt(pos) - '0');
                pos++;
            }
            int digits = pos - start;
            if (digits == 0 || digits > 3) {
                throw invalid(text, "expected 1 to 3 digits at position " + start);
            }
            if (digits > 1 && text.charAt(start) == '0') {
                throw invalid(text, "octet with a leading zero at position " + start);
            }
            if (octet > 255) {
                throw invalid(text, "octet " + octet + " is above 255");
            }
            value = value << 8 | octet;
            octets++;
            if (octets < OCTETS) {
                if (pos >= n || text.charAt(pos) != '.') {
                    throw invalid(text, "expected '.' at position " + pos);
                }
                pos++;
            }
        }
        if (pos != n) {
            throw invalid(text, "unexpected text after the fourth octet at position " + pos);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid IPv4 address '" + text + "': " + why);
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }

    /** The netmask of a prefix length 0..32 (mask(24) = 255.255.255.0). */
    public static int mask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("prefix length must be 0..32: " + prefixLength);
        }
        return prefixLength == 0 ? 0 : -1 << (MAX_PREFIX_LENGTH - prefixLength);
    }

    public static boolean inSubnet(int address, int network, int prefixLength) {
        int m = mask(prefixLength);
        return (address & m) == (network & m);
    }
}
