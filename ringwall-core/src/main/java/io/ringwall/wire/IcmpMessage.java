package io.ringwall.wire;

import java.lang.foreign.MemorySegment;

/**
 * Reusable view of an ICMPv4 message (RFC 792). For error messages {@link #wrap} also checks
 * that the quoted IP header is present, so the data plane can match the error to a flow.
 */
public final class IcmpMessage {
    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;

    public static final int UNREACH_NET = 0;
    public static final int UNREACH_HOST = 1;
    public static final int UNREACH_PROTOCOL = 2;
    public static final int UNREACH_PORT = 3;
    public static final int UNREACH_FRAG_NEEDED = 4;
    public static final int UNREACH_NET_PROHIBITED = 9;
    public static final int UNREACH_HOST_PROHIBITED = 10;
    public static final int UNREACH_ADMIN_PROHIBITED = 13;
    public static final int TIME_EXCEEDED_TTL = 0;
    public static final int TIME_EXCEEDED_REASSEMBLY = 1;

    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;
    /** RFC 792: an error quotes the original IP header plus the first 64 bits of its data. */
    public static final int QUOTED_DATA_LENGTH = 8;

    private MemorySegment segment;
    private int offset;
    private int length;

    public ParseError wrap(MemorySegment s, int offset, int length) {
        this.segment = null;
        if (!BigEndian.fits(s, offset, length)) {
            return ParseError.TRUNCATED;
        }
        if (length < HEADER_LENGTH) {
            return ParseError.ICMP_TRUNCATED;
        }
        if (isErrorType(BigEndian.u8(s, offset + TYPE_OFFSET)) && !quotesIpHeader(s, offset + HEADER_LENGTH, length - HEADER_LENGTH)) {
            return ParseError.ICMP_TRUNCATED;
        }
        this.segment = s;
        this.offset = offset;
        this.length = length;
        return ParseError.OK;
    }

    private static boolean quotesIpHeader(MemorySegment s, int pos, int available) {
        if (available < Ipv4Packet.MIN_HEADER_LENGTH) {
            return false;
        }
        int versionIhl = BigEndian.u8(s, pos);
        int hl = (versionIhl & 0x0F) * 4;
        return (versionIhl >>> 4) == 4 && hl >= Ipv4Packet.MIN_HEADER_LENGTH && hl <= available;
    }

    public static boolean isErrorType(int type) {
        return type == DEST_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }

    /** Verifies the checksum over the whole message ({@code length} from wrap). */
    public boolean checksumValid() {
        return Checksums.fold(Checksums.sum(segment, offset, length, 0)) == 0;
    }

    public int type() {
        return BigEndian.u8(segment, offset + TYPE_OFFSET);
    }

    public int code() {
        return BigEndian.u8(segment, offset + CODE_OFFSET);
    }

    public int checksum() {
        return BigEndian.u16(segment, offset + CHECKSUM_OFFSET);
    }

    /** Echo identifier (meaningful for echo request/reply). */
    public int identifier() {
        return BigEndian.u16(segment, offset + IDENTIFIER_OFFSET);
    }

    /** Echo sequence number (meaningful for echo request/reply). */
    public int sequence() {
        return BigEndian.u16(segment, offset + SEQUENCE_OFFSET);
    }

    /** Next-hop MTU of a "fragmentation needed" unreachable (RFC 1191). */
    public int nextHopMtu() {
        return BigEndian.u16(segment, offset + SEQUENCE_OFFSET);
    }

    public boolean isError() {
        return isErrorType(type());
    }

    /** Absolute offset of the quoted IP header of an error message (the data after the 8-byte header otherwise). */
    public int embeddedOffset() {
        return offset + HEADER_LENGTH;
    }

    public int embeddedLength() {
        return length - HEADER_LENGTH;
    }

    public int length() {
        return length;
    }

    /** Changes the type (e.g. echo request into reply), keeping the checksum right by incremental update. */
    public void setType(int type) {
        int oldWord = BigEndian.u16(segment, offset + TYPE_OFFSET); // type and code share one checksum word
        int newWord = (type & 0xFF) << 8 | code();
        BigEndian.setU16(segment, offset + TYPE_OFFSET, newWord);
        BigEndian.setU16(segment, offset + CHECKSUM_OFFSET, Checksums.incremental16(checksum(), oldWord, newWord));
    }

    /** Computes and stores the checksum of the {@code length}-byte message at {@code offset}. */
    public static void fillChecksum(MemorySegment s, int offset, int length) {
        BigEndian.setU16(s, offset + CHECKSUM_OFFSET, 0);
        BigEndian.setU16(s, offset + CHECKSUM_OFFSET, Checksums.fold(Checksums.sum(s, offset, length, 0)));
    }
}
