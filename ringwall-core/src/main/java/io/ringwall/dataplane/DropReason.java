package io.ringwall.dataplane;

/** Why the data plane dropped a frame; counted per interface. */
public enum DropReason {
    /** The frame failed a wire-format check; the parse error counters say which. */
    MALFORMED,
    /** Not IPv4 or ARP (IPv6 is on the roadmap). */
    UNSUPPORTED_ETHERTYPE,
    /** Unicast frame for another MAC address (flooded by a switch). */
    NOT_FOR_US,
    /** Addressed to this node but no local service handles it. */
    LOCAL_UNHANDLED,
    /** No route to the destination. */
    NO_ROUTE,
    /** TTL would reach zero. */
    TTL_EXPIRED,
    /** Larger than the egress MTU and not a GSO super-frame. */
    MTU_EXCEEDED,
    /** Connection tracking judged the packet invalid (e.g. out of the TCP window). */
    CT_INVALID,
    /** Connection table full and nothing could be early-dropped. */
    CT_FULL,
    /** Dropped by a rule or the default policy. */
    FILTER_DROP,
    /** Rejected by a rule or the default policy (a RST or ICMP error was sent, rate permitting). */
    FILTER_REJECT,
    /** A non-first fragment whose first fragment was never seen. */
    FRAGMENT_UNKNOWN,
    /** A fragment overlapping one already seen. */
    FRAGMENT_OVERLAP,
    /** The next hop did not answer ARP, or its pending queue was full. */
    NEIGHBOUR_UNRESOLVED,
    /** A GSO super-frame of a type the driver cannot pass through. */
    GSO_UNSUPPORTED,
    /** ARP for an address this node does not own (normal on a shared segment; counted, not an error). */
    ARP_NOT_OURS,
    /**
     * A cluster packet of this node's that waited for its peer's MAC longer than the token ack timeout: a token
     * or a 911 is stale by then (its sender has already acted on the missing answer) and the message layer
     * resends its own packets, so it is not sent late.
     */
    CLUSTER_PACKET_STALE;

    private static final DropReason[] VALUES = values();

    public static DropReason of(int ordinal) {
        return VALUES[ordinal];
    }

    public static int count() {
        return VALUES.length;
    }
}
