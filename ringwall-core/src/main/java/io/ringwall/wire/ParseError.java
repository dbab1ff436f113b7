package io.ringwall.wire;

/**
 * Why a wire view refused a packet. The data plane counts drops per ordinal, so append new
 * values at the end rather than reordering.
 */
public enum ParseError {
    OK,
    /** The buffer ends before the header (or the length a header declares) does. */
    TRUNCATED,
    ETH_BAD_VLAN,
    ARP_UNSUPPORTED,
    IP_BAD_VERSION,
    IP_BAD_HEADER_LENGTH,
    IP_BAD_TOTAL_LENGTH,
    IP_BAD_CHECKSUM,
    IP_BAD_OPTIONS,
    IP_BOGUS_FRAGMENT,
    TCP_BAD_OFFSET,
    TCP_BAD_OPTIONS,
    TCP_BAD_CHECKSUM,
    TCP_BAD_FLAGS,
    UDP_BAD_LENGTH,
    UDP_BAD_CHECKSUM,
    ICMP_TRUNCATED,
    ICMP_BAD_CHECKSUM;

    /** Number of values, for sizing per-error counter arrays. */
    public static final int COUNT = values().length;
}
