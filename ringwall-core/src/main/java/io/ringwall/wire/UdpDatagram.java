package io.ringwall.wire;

import java.lang.foreign.MemorySegment;

/**
 * Reusable view of a UDP datagram (RFC 768). The UDP length field rules: bytes after it (up to
 * the IP payload length) are ignored, as Linux does.
 */
public final class UdpDatagram {
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;
    /** A zero checksum field means "none"; a computed zero is sent as 0xFFFF instead. */
    private static final int NO_CHECKSUM = 0;
    private static final int ZERO_CHECKSUM_ON_WIRE = 0xFFFF;

    private MemorySegment segment;
    private int offset;
    private int udpLength;

    public ParseError wrap(MemorySegment s, int offset, int length) {
        this.segment = null;
        if (!BigEndian.fits(s, offset, length) || length < HEADER_LENGTH) {
            return ParseError.TRUNCATED;
        }
        int declared = BigEndian.u16(s, offset + LENGTH_OFFSET);
        if (declared < HEADER_LENGTH || declared > length) {
            return ParseError.UDP_BAD_LENGTH;
        }
        this.segment = s;
        this.offset = offset;
        this.udpLength = declared;
        return ParseError.OK;
    }

    /** True when the checksum matches, or when the sender sent none (0). */
    public boolean checksumValid(int srcIp, int dstIp) {
        if (checksum() == NO_CHECKSUM) {
            return true;
        }
        int sum = Checksums.sum(segment, offset, udpLength, Checksums.pseudoHeaderV4(srcIp, dstIp, Ipv4Packet.PROTO_UDP, udpLength));
        return Checksums.fold(sum) == 0;
    }

    public int srcPort() {
        return BigEndian.u16(segment, offset + SRC_PORT_OFFSET);
    }

    public int dstPort() {
        return BigEndian.u16(segment, offset + DST_PORT_OFFSET);
    }

    public int checksum() {
        return BigEndian.u16(segment, offset + CHECKSUM_OFFSET);
    }

    /** The UDP length field (header + payload). */
    public int length() {
        return udpLength;
    }

    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return udpLength - HEADER_LENGTH;
    }

    public void setSrcPort(int port) {
        setPort(SRC_PORT_OFFSET, port);
    }

    public void setDstPort(int port) {
        setPort(DST_PORT_OFFSET, port);
    }

    private void setPort(int field, int port) {
        int old = BigEndian.u16(segment, offset + field);
        BigEndian.setU16(segment, offset + field, port);
        int oldChecksum = checksum();
        if (oldChecksum != NO_CHECKSUM) {
            int updated = Checksums.incremental16(oldChecksum, old, port);
            BigEndian.setU16(segment, offset + CHECKSUM_OFFSET, updated == 0 ? ZERO_CHECKSUM_ON_WIRE : updated);
        }
    }

    /** Computes and stores the checksum of the {@code l4Length}-byte datagram at {@code offset}. */
    public static void fillChecksum(MemorySegment s, int offset, int l4Length, int srcIp, int dstIp) {
        BigEndian.setU16(s, offset + CHECKSUM_OFFSET, 0);
        int sum = Checksums.sum(s, offset, l4Length, Checksums.pseudoHeaderV4(srcIp, dstIp, Ipv4Packet.PROTO_UDP, l4Length));
        int checksum = Checksums.fold(sum);
        BigEndian.setU16(s, offset + CHECKSUM_OFFSET, checksum == 0 ? ZERO_CHECKSUM_ON_WIRE : checksum);
    }
}
