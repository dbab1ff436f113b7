package io.ringwall.wire;

import java.lang.foreign.MemorySegment;

/**
 * Reusable view of a TCP segment (RFC 9293) with its options parsed once by {@link #wrap}.
 * The checksum is checked separately ({@link #checksumValid}) because frames from NICs with
 * receive/transmit offload may carry a partial checksum.
 */
public final class TcpSegment {
    public static final int FIN = 1;
    public static final int SYN = 2;
    public static final int RST = 4;
    public static final int PSH = 8;
    public static final int ACK = 16;
    public static final int URG = 32;
    public static final int ECE = 64;
    public static final int CWR = 128;

    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int SEQ_OFFSET = 4;
    public static final int ACK_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_OFFSET = 18;
    public static final int MIN_HEADER_LENGTH = 20;

    public static final int OPT_EOL = 0;
    public static final int OPT_NOP = 1;
    public static final int OPT_MSS = 2;
    public static final int OPT_WSCALE = 3;
    public static final int OPT_SACK_PERMITTED = 4;
    public static final int OPT_SACK = 5;
    public static final int OPT_TIMESTAMPS = 8;
    private static final int OPT_MSS_LENGTH = 4;
    private static final int OPT_WSCALE_LENGTH = 3;
    private static final int OPT_SACK_PERMITTED_LENGTH = 2;
    private static final int OPT_TIMESTAMPS_LENGTH = 10;
    private static final int SACK_BLOCK_LENGTH = 8;
    /** 40 option bytes hold at most 4 SACK blocks. */
    public static final int MAX_SACK_BLOCKS = 4;
    /** RFC 7323 §2.3: a shift above 14 is treated as 14. */
    public static final int MAX_WINDOW_SCALE = 14;

    private MemorySegment segment;
    private int offset;
    private int length;
    private int headerLength;
    private int mss;
    private int windowScale;
    private boolean sackPermitted;
    private boolean hasTimestamps;
    private int tsVal;
    private int tsEcr;
    private int sackBlocks;
    private int sackOffset;

    /** Views the {@code length} bytes at {@code offset} (the IP payload) as a segment. */
    public ParseError wrap(MemorySegment s, int offset, int length) {
        this.segment = null;
        if (!BigEndian.fits(s, offset, length) || length < MIN_HEADER_LENGTH) {
            return ParseError.TRUNCATED;
        }
        int hl = (BigEndian.u8(s, offset + DATA_OFFSET_OFFSET) >>> 4) * 4;
        if (hl < MIN_HEADER_LENGTH || hl > length) {
            return ParseError.TCP_BAD_OFFSET;
        }
        int flags = BigEndian.u8(s, offset + FLAGS_OFFSET);
        if ((flags & SYN) != 0 && (flags & (FIN | RST)) != 0) {
            return ParseError.TCP_BAD_FLAGS;
        }
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackBlocks = 0;
        sackOffset = 0;
        if (!parseOptions(s, offset + MIN_HEADER_LENGTH, offset + hl)) {
            return ParseError.TCP_BAD_OPTIONS;
        }
        this.segment = s;
        this.offset = offset;
        this.length = length;
        this.headerLength = hl;
        return ParseError.OK;
    }

    private boolean parseOptions(MemorySegment s, int pos, int end) {
        while (pos < end) {
            int kind = BigEndian.u8(s, pos);
            if (kind == OPT_EOL) {
                return true;
            }
            if (kind == OPT_NOP) {
                pos++;
                continue;
            }
            if (pos + 1 >= end) {
                return false;
            }
            int len = BigEndian.u8(s, pos + 1);
            if (len < 2 || pos + len > end) {
                return false;
            }
            switch (kind) {
                case OPT_MSS -> {
                    if (len != OPT_MSS_LENGTH) return false;
                    mss = BigEndian.u16(s, pos + 2);
                }
                case OPT_WSCALE -> {
                    if (len != OPT_WSCALE_LENGTH) return false;
                    windowScale = Math.min(BigEndian.u8(s, pos + 2), MAX_WINDOW_SCALE);
                }
                case OPT_SACK_PERMITTED -> {
                    if (len != OPT_SACK_PERMITTED_LENGTH) return false;
                    sackPermitted = true;
                }
                case OPT_SACK -> {
                    int blocks = (len - 2) / SACK_BLOCK_LENGTH;
                    if ((len - 2) % SACK_BLOCK_LENGTH != 0 || blocks < 1 || blocks > MAX_SACK_BLOCKS) return false;
                    sackBlocks = blocks;
                    sackOffset = pos + 2;
                }
                case OPT_TIMESTAMPS -> {
                    if (len != OPT_TIMESTAMPS_LENGTH) return false;
                    hasTimestamps = true;
                    tsVal = BigEndian.i32(s, pos + 2);
                    tsEcr = BigEndian.i32(s, pos + 6);
                }
                default -> { } // unknown options are skipped by their length
            }
            pos += len;
        }
        return true;
    }

    /** Verifies the checksum over the pseudo header and the whole segment ({@code length} from wrap). */
    public boolean checksumValid(int srcIp, int dstIp) {
        int sum = Checksums.sum(segment, offset, length, Checksums.pseudoHeaderV4(srcIp, dstIp, Ipv4Packet.PROTO_TCP, length));
        return Checksums.fold(sum) == 0;
    }

    public int srcPort() {
        return BigEndian.u16(segment, offset + SRC_PORT_OFFSET);
    }

    public int dstPort() {
        return BigEndian.u16(segment, offset + DST_PORT_OFFSET);
    }

    public int seq() {
        return BigEndian.i32(segment, offset + SEQ_OFFSET);
    }

    public int ack() {
        return BigEndian.i32(segment, offset + ACK_OFFSET);
    }

    /** The flag byte (FIN..CWR). */
    public int flags() {
        return BigEndian.u8(segment, offset + FLAGS_OFFSET);
    }

    public boolean hasFlags(int mask) {
        return (flags() & mask) == mask;
    }

    /** The raw (unscaled) window field. */
    public int window() {
        return BigEndian.u16(segment, offset + WINDOW_OFFSET);
    }

    public int checksum() {
        return BigEndian.u16(segment, offset + CHECKSUM_OFFSET);
    }

    public int urgentPointer() {
        return BigEndian.u16(segment, offset + URGENT_OFFSET);
    }

    public int headerLength() {
        return headerLength;
    }

    public int payloadOffset() {
        return offset + headerLength;
    }

    public int payloadLength() {
        return length - headerLength;
    }

    /** MSS option value, or -1 when absent. */
    public int mss() {
        return mss;
    }

    /** Window scale shift (clamped to 14), or -1 when absent. */
    public int windowScale() {
        return windowScale;
    }

    public boolean sackPermitted() {
        return sackPermitted;
    }

    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    public int tsVal() {
        return tsVal;
    }

    public int tsEcr() {
        return tsEcr;
    }

    /** Number of SACK blocks (0..4) in the last SACK option. */
    public int sackBlockCount() {
        return sackBlocks;
    }

    /** Left edge of SACK block {@code i} (0 <= i < sackBlockCount()). */
    public int sackLeft(int i) {
        return BigEndian.i32(segment, sackOffset + i * SACK_BLOCK_LENGTH);
    }

    /** Right edge of SACK block {@code i} (0 <= i < sackBlockCount()). */
    public int sackRight(int i) {
        return BigEndian.i32(segment, sackOffset + i * SACK_BLOCK_LENGTH + 4);
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
        BigEndian.setU16(segment, offset + CHECKSUM_OFFSET, Checksums.incremental16(checksum(), old, port));
    }

    /** Computes and stores the checksum of the {@code l4Length}-byte segment at {@code offset}. */
    public static void fillChecksum(MemorySegment s, int offset, int l4Length, int srcIp, int dstIp) {
        BigEndian.setU16(s, offset + CHECKSUM_OFFSET, 0);
        int sum = Checksums.sum(s, offset, l4Length, Checksums.pseudoHeaderV4(srcIp, dstIp, Ipv4Packet.PROTO_TCP, l4Length));
        BigEndian.setU16(s, offset + CHECKSUM_OFFSET, Checksums.fold(sum));
    }
}
