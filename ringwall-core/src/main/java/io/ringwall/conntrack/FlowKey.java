package io.ringwall.conntrack;

/**
 * Normalized 5-tuple of a flow, identical for both directions of the flow.
 *
 * <p>Address-family agnostic: both addresses are 128-bit (hi/lo longs); IPv4 is stored IPv4-mapped
 * ({@code ::ffff:a.b.c.d}). The endpoint with the smaller (address, port) comes first; {@link #swapped()}
 * records whether the packet's source was the second endpoint. For ICMP echo pass the identifier as both
 * ports (see {@link #setIcmpEchoV4}). Mutable and reusable so the data plane allocates nothing per packet.
 */
public final class FlowKey {
    public static final int FAMILY_V4 = 4;
    public static final int FAMILY_V6 = 6;
    /** Upper half of an IPv4-mapped IPv6 address's low long: ::ffff:0:0. */
    static final long V4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    int family;
    int protocol;
    long aHi, aLo, bHi, bLo;
    int aPort, bPort;
    boolean swapped;
    int hash;

    public void setV4(int protocol, int srcIp, int srcPort, int dstIp, int dstPort) {
        set(FAMILY_V4, protocol, 0L, V4_MAPPED_PREFIX | (srcIp & 0xFFFF_FFFFL), srcPort,
                0L, V4_MAPPED_PREFIX | (dstIp & 0xFFFF_FFFFL), dstPort);
    }

    /** ICMP echo request/reply: the echo identifier plays the role of both ports. */
    public void setIcmpEchoV4(int srcIp, int dstIp, int echoId) {
        setV4(1, srcIp, echoId, dstIp, echoId);
    }

    public void setV6(int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        set(FAMILY_V6, protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
    }

    void set(int family, int protocol, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort) {
        this.family = family;
        this.protocol = protocol & 0xFF;
        sPort &= 0xFFFF;
        dPort &= 0xFFFF;
        int cmp = Long.compareUnsigned(sHi, dHi);
        if (cmp == 0) {
            cmp = Long.compareUnsigned(sLo, dLo);
        }
        if (cmp == 0) {
            cmp = Integer.compare(sPort, dPort);
        }
        swapped = cmp > 0;
        if (swapped) {
            aHi = dHi; aLo = dLo; aPort = dPort;
            bHi = sHi; bLo = sLo; bPort = sPort;
        } else {
            aHi = sHi; aLo = sLo; aPort = sPort;
            bHi = dHi; bLo = dLo; bPort = dPort;
        }
        hash = computeHash(family, this.protocol, aHi, aLo, bHi, bLo, (aPort << 16) | bPort);
    }

    /**
     * Hash of the normalized key, hence the same for both directions; non-negative so that
     * {@code symmetricHash() % buckets} is a valid bucket. Unkeyed on purpose: every node must agree on buckets.
     */
    static int computeHash(int family, int protocol, long aHi, long aLo, long bHi, long bLo, int ports) {
        long h = 0x9E37_79B9_7F4A_7C15L * (family * 256L + protocol + 1);
        h = mix(h ^ aHi);
        h = mix(h ^ aLo);
        h = mix(h ^ bHi);
        h = mix(h ^ bLo);
        h = mix(h ^ (ports & 0xFFFF_FFFFL));
        return (int) (h ^ (h >>> 32)) & 0x7FFF_FFFF;
    }

    private static long mix(long z) { // murmur3 fmix64
        z = (z ^ (z >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return z ^ (z >>> 33);
    }

    /** Ports, family and protocol packed as stored in {@link FlowTable}'s key records. */
    long tail() {
        return ((long) ((aPort << 16) | bPort) << 32) | (family << 8) | protocol;
    }

    public boolean swapped() { return swapped; }
    public int protocol() { return protocol; }
    public int family() { return family; }
    public int symmetricHash() { return hash; }
    public int portA() { return aPort; }
    public int portB() { return bPort; }

    public boolean sameAs(FlowKey o) {
        return hash == o.hash && family == o.family && protocol == o.protocol && aHi == o.aHi && aLo == o.aLo
                && bHi == o.bHi && bLo == o.bLo && aPort == o.aPort && bPort == o.bPort;
    }

    public void copyFrom(FlowKey o) {
        family = o.family; protocol = o.protocol;
        aHi = o.aHi; aLo = o.aLo; bHi = o.bHi; bLo = o.bLo;
        aPort = o.aPort; bPort = o.bPort; swapped = o.swapped; hash = o.hash;
    }

    @Override
    public String toString() {
        return FlowText.protocolName(protocol) + " " + FlowText.address(family, aHi, aLo) + ":" + aPort
                + " <-> " + FlowText.address(family, bHi, bLo) + ":" + bPort + (swapped ? " (swapped)" : "");
    }
}
