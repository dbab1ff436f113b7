package io.ringwall.wire;

import java.lang.foreign.MemorySegment;

/**
 * Reusable view of an IPv4 header (RFC 791). {@link #wrap} validates version, lengths,
 * checksum, option syntax and fragment sanity once; accessors cannot fail afterwards, and the
 * mutators keep the header checksum right by incremental update (RFC 1624).
 */
public final class Ipv4Packet {
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;

    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int ID_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SRC_OFFSET = 12;
    public static final int DST_OFFSET = 16;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_PACKET_LENGTH = 65_535;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    /** Fragment offsets count 8-byte units, and every fragment but the last carries a multiple of 8 bytes. */
    private static final int FRAGMENT_UNIT = 8;
    private static final int OPTION_EOL = 0;
    private static final int OPTION_NOP = 1;
    /**
     * Smallest first fragment we let through per protocol: it must hold the whole TCP base
     * header (so flags cannot be rewritten by a later fragment, RFC 1858) or the UDP/ICMP header.
     */
    private static final int MIN_FIRST_FRAGMENT_TCP = 20;
    private static final int MIN_FIRST_FRAGMENT_UDP = 8;
    private static final int MIN_FIRST_FRAGMENT_ICMP = 8;

    private MemorySegment segment;
    private int offset;
    private int headerLength;
    private int totalLength;

    /**
     * Views {@code length} bytes at {@code offset}. Bytes beyond the total length (Ethernet
     * padding) are allowed and ignored; a total length beyond the bytes present is TRUNCATED.
     */
    public ParseError wrap(MemorySegment s, int offset, int length) {
        return wrap(s, offset, length, false);
    }

    /**
     * Views the IP header quoted inside an ICMP error: usually only the header and 8 data bytes
     * are present, so a total length beyond them is accepted (payloadLength() is then what is
     * present), and neither the checksum nor fragment sanity is checked (we match, not forward).
     */
    public ParseError wrapQuoted(MemorySegment s, int offset, int length) {
        return wrap(s, offset, length, true);
    }

    private ParseError wrap(MemorySegment s, int offset, int length, boolean quoted) {
        this.segment = null;
        if (!BigEndian.fits(s, offset, length) || length < 1) {
            return ParseError.TRUNCATED;
        }
        int versionIhl = BigEndian.u8(s, offset + VERSION_IHL_OFFSET);
        if ((versionIhl >>> 4) != 4) {
            return ParseError.IP_BAD_VERSION;
        }
        int hl = (versionIhl & 0x0F) * 4;
        if (hl < MIN_HEADER_LENGTH) {
            return ParseError.IP_BAD_HEADER_LENGTH;
        }
        if (length < hl) {
            return ParseError.TRUNCATED;
        }
        int total = BigEndian.u16(s, offset + TOTAL_LENGTH_OFFSET);
        if (total < hl) {
            return ParseError.IP_BAD_TOTAL_LENGTH;
        }
        if (total > length) {
            if (!quoted) {
                return ParseError.TRUNCATED;
            }
            total = length;
        }
        if (!quoted && Checksums.fold(Checksums.sum(s, offset, hl, 0)) != 0) {
            return ParseError.IP_BAD_CHECKSUM;
        }
        if (!optionsWellFormed(s, offset + MIN_HEADER_LENGTH, offset + hl)) {
            return ParseError.IP_BAD_OPTIONS;
        }
        int flagsFrag = BigEndian.u16(s, offset + FLAGS_FRAGMENT_OFFSET);
        int protocol = BigEndian.u8(s, offset + PROTOCOL_OFFSET);
        if (!quoted && !fragmentSane(flagsFrag, protocol, total - hl)) {
            return ParseError.IP_BOGUS_FRAGMENT;
        }
        this.segment = s;
        this.offset = offset;
        this.headerLength = hl;
        this.totalLength = total;
        return ParseError.OK;
    }

    private static boolean optionsWellFormed(MemorySegment s, int pos, int end) {
        while (pos < end) {
            int type = BigEndian.u8(s, pos);
            if (type == OPTION_EOL) {
                return true; // the rest is padding
            }
            if (type == OPTION_NOP) {
                pos++;
                continue;
            }
            if (pos + 1 >= end) {
                return false; // no room for the length byte
            }
            int len = BigEndian.u8(s, pos + 1);
            if (len < 2 || pos + len > end) {
                return false;
            }
            pos += len;
        }
        return true;
    }

    private static boolean fragmentSane(int flagsFrag, int protocol, int payloadLength) {
        boolean more = (flagsFrag & FLAG_MF) != 0;
        int fragOffset = (flagsFrag & FRAGMENT_OFFSET_MASK) * FRAGMENT_UNIT;
        if (fragOffset + payloadLength > MAX_PACKET_LENGTH) {
            return false; // the reassembled datagram would exceed 64 KiB ("ping of death")
        }
        if (more && (payloadLength == 0 || payloadLength % FRAGMENT_UNIT != 0)) {
            return false;
        }
        if (protocol == PROTO_TCP && fragOffset == FRAGMENT_UNIT) {
            return false; // RFC 1858: offset 1 can overwrite the TCP flags of the first fragment
        }
        if (more && fragOffset == 0) {
            int min = switch (protocol) {
                case PROTO_TCP -> MIN_FIRST_FRAGMENT_TCP;
                case PROTO_UDP -> MIN_FIRST_FRAGMENT_UDP;
                case PROTO_ICMP -> MIN_FIRST_FRAGMENT_ICMP;
                default -> 0;
            };
            return payloadLength >= min;
        }
        return true;
    }

    public int headerLength() {
        return headerLength;
    }

    /** The total length of the datagram (for a quoted header: the bytes present, at most the field). */
    public int totalLength() {
        return totalLength;
    }

    public int tos() {
        return BigEndian.u8(segment, offset + TOS_OFFSET);
    }

    public int ttl() {
        return BigEndian.u8(segment, offset + TTL_OFFSET);
    }

    public int protocol() {
        return BigEndian.u8(segment, offset + PROTOCOL_OFFSET);
    }

    public int src() {
        return BigEndian.i32(segment, offset + SRC_OFFSET);
    }

    public int dst() {
        return BigEndian.i32(segment, offset + DST_OFFSET);
    }

    public int identification() {
        return BigEndian.u16(segment, offset + ID_OFFSET);
    }

    public int checksum() {
        return BigEndian.u16(segment, offset + CHECKSUM_OFFSET);
    }

    public boolean moreFragments() {
        return (BigEndian.u16(segment, offset + FLAGS_FRAGMENT_OFFSET) & FLAG_MF) != 0;
    }

    public boolean dontFragment() {
        return (BigEndian.u16(segment, offset + FLAGS_FRAGMENT_OFFSET) & FLAG_DF) != 0;
    }

    /** Offset of this fragment's data in the original datagram, in bytes. */
    public int fragmentOffset() {
        return (BigEndian.u16(segment, offset + FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK) * FRAGMENT_UNIT;
    }

    public boolean isFragment() {
        return moreFragments() || fragmentOffset() != 0;
    }

    /** A first fragment or an unfragmented packet: the one that carries the L4 header. */
    public boolean carriesL4Header() {
        return fragmentOffset() == 0;
    }

    /** Start of the IP header in the segment. */
    public int offset() {
        return offset;
    }

    /** Absolute offset of the payload in the segment. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    public int payloadLength() {
        return totalLength - headerLength;
    }

    public MemorySegment segment() {
        return segment;
    }

    public void decrementTtl() {
        int wordOffset = offset + TTL_OFFSET; // TTL and protocol share one 16-bit checksum word
        int oldWord = BigEndian.u16(segment, wordOffset);
        int newWord = oldWord - 0x0100;
        BigEndian.setU16(segment, wordOffset, newWord);
        updateChecksum16(oldWord, newWord & 0xFFFF);
    }

    public void setSrc(int address) {
        int old = src();
        BigEndian.setI32(segment, offset + SRC_OFFSET, address);
        BigEndian.setU16(segment, offset + CHECKSUM_OFFSET, Checksums.incremental32(checksum(), old, address));
    }

    public void setDst(int address) {
        int old = dst();
        BigEndian.setI32(segment, offset + DST_OFFSET, address);
        BigEndian.setU16(segment, offset + CHECKSUM_OFFSET, Checksums.incremental32(checksum(), old, address));
    }

    private void updateChecksum16(int oldWord, int newWord) {
        BigEndian.setU16(segment, offset + CHECKSUM_OFFSET, Checksums.incremental16(checksum(), oldWord, newWord));
    }

    /** Writes a 20-byte header without options, DF clear and a correct checksum; returns 20. */
    public static int writeHeader(MemorySegment s, int offset, int totalLength, int id, int ttl,
                                  int protocol, int src, int dst) {
        BigEndian.setU8(s, offset + VERSION_IHL_OFFSET, 0x45);
        BigEndian.setU8(s, offset + TOS_OFFSET, 0);
        BigEndian.setU16(s, offset + TOTAL_LENGTH_OFFSET, totalLength);
        BigEndian.setU16(s, offset + ID_OFFSET, id);
        BigEndian.setU16(s, offset + FLAGS_FRAGMENT_OFFSET, 0);
        BigEndian.setU8(s, offset + TTL_OFFSET, ttl);
        BigEndian.setU8(s, offset + PROTOCOL_OFFSET, protocol);
        BigEndian.setU16(s, offset + CHECKSUM_OFFSET, 0);
        BigEndian.setI32(s, offset + SRC_OFFSET, src);
        BigEndian.setI32(s, offset + DST_OFFSET, dst);
        BigEndian.setU16(s, offset + CHECKSUM_OFFSET, Checksums.fold(Checksums.sum(s, offset, MIN_HEADER_LENGTH, 0)));
        return MIN_HEADER_LENGTH;
    }
}
