package io.ringwall.filter;

/**
 * What the matcher looks at in one packet. Mutable and reused: the data plane owns one instance
 * and refills it per packet, so matching allocates nothing. Fields a packet does not have (ports
 * of an ICMP packet, the out interface before routing) may hold anything; rules that need them
 * also require the protocol, and an unknown interface is -1, which no rule names.
 */
public final class FilterInput {
    public static final int UNKNOWN_INTERFACE = -1;

    public int inIf = UNKNOWN_INTERFACE;
    public int outIf = UNKNOWN_INTERFACE;
    /** 4 for IPv4 (the only family so far). */
    public int family = Cidr.FAMILY_IPV4;
    /** a.b.c.d = a<<24|b<<16|c<<8|d. */
    public int srcV4;
    public int dstV4;
    /** IP protocol number 0-255. */
    public int protocol;
    public int srcPort;
    public int dstPort;
    public int icmpType;
    public int icmpCode;
    /** Exactly one {@link CtState} bit. */
    public int ctState;

    /** Fills the common IPv4 fields at once (tests, simulator); returns this for chaining. */
    public FilterInput set(int inIf, int outIf, int srcV4, int dstV4, int protocol, int srcPort, int dstPort, int ctState) {
        this.inIf = inIf;
        this.outIf = outIf;
        this.family = Cidr.FAMILY_IPV4;
        this.srcV4 = srcV4;
        this.dstV4 = dstV4;
        this.protocol = protocol;
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        this.ctState = ctState;
        return this;
    }
}
