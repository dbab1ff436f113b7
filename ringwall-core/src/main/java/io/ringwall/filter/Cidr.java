package io.ringwall.filter;

/**
 * An address prefix. The address is stored as 128 bits ({@code high}, {@code low}) next to its
 * family so IPv6 can be added without changing the model; an IPv4 address lives in the low 32 bits
 * of {@code low} (a.b.c.d = a<<24|b<<16|c<<8|d, the same order as the rest of core).
 * Host bits below the prefix are always zero.
 */
public record Cidr(int family, long high, long low, int prefixLength) {
    public static final int FAMILY_IPV4 = 4;
    public static final int IPV4_BITS = 32;

    public Cidr {
        if (family != FAMILY_IPV4) {
            throw new IllegalArgumentException("only IPv4 is supported: family " + family);
        }
        if (prefixLength < 0 || prefixLength > IPV4_BITS) {
            throw new IllegalArgumentException("IPv4 prefix length out of range: " + prefixLength);
        }
        if (high != 0 || (low >>> IPV4_BITS) != 0) {
            throw new IllegalArgumentException("IPv4 address wider than 32 bits");
        }
        if ((((int) low) & ~maskV4(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set below /" + prefixLength);
        }
    }

    public static Cidr ipv4(int address, int prefixLength) {
        return new Cidr(FAMILY_IPV4, 0, Integer.toUnsignedLong(address), prefixLength);
    }

    /** The network mask of an IPv4 prefix length (0 for /0, all ones for /32). */
    public static int maskV4(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (IPV4_BITS - prefixLength);
    }

    public int v4Address() {
        return (int) low;
    }

    public int v4Mask() {
        return maskV4(prefixLength);
    }

    public boolean containsV4(int address) {
        return (address & v4Mask()) == v4Address();
    }

    public static String formatV4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    @Override
    public String toString() {
        return formatV4(v4Address()) + "/" + prefixLength;
    }
}
