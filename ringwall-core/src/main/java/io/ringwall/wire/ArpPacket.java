package io.ringwall.wire;

import java.lang.foreign.MemorySegment;

/** Reusable view of an Ethernet/IPv4 ARP packet (RFC 826); other hardware or protocol types are refused. */
public final class ArpPacket {
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;
    public static final int HTYPE_ETHERNET = 1;
    public static final int LENGTH = 28;

    public static final int HTYPE_OFFSET = 0;
    public static final int PTYPE_OFFSET = 2;
    public static final int HLEN_OFFSET = 4;
    public static final int PLEN_OFFSET = 5;
    public static final int OP_OFFSET = 6;
    public static final int SENDER_MAC_OFFSET = 8;
    public static final int SENDER_IP_OFFSET = 14;
    public static final int TARGET_MAC_OFFSET = 18;
    public static final int TARGET_IP_OFFSET = 24;
    private static final int MAC_LENGTH = 6;
    private static final int IPV4_LENGTH = 4;

    private MemorySegment segment;
    private int offset;

    public ParseError wrap(MemorySegment s, int offset, int length) {
        this.segment = null;
        if (!BigEndian.fits(s, offset, length) || length < LENGTH) {
            return ParseError.TRUNCATED;
        }
        int op = BigEndian.u16(s, offset + OP_OFFSET);
        if (BigEndian.u16(s, offset + HTYPE_OFFSET) != HTYPE_ETHERNET
                || BigEndian.u16(s, offset + PTYPE_OFFSET) != EthernetFrame.ETHERTYPE_IPV4
                || BigEndian.u8(s, offset + HLEN_OFFSET) != MAC_LENGTH
                || BigEndian.u8(s, offset + PLEN_OFFSET) != IPV4_LENGTH
                || (op != OP_REQUEST && op != OP_REPLY)) {
            return ParseError.ARP_UNSUPPORTED;
        }
        this.segment = s;
        this.offset = offset;
        return ParseError.OK;
    }

    public int operation() {
        return BigEndian.u16(segment, offset + OP_OFFSET);
    }

    public long senderMac() {
        return BigEndian.mac(segment, offset + SENDER_MAC_OFFSET);
    }

    public int senderIp() {
        return BigEndian.i32(segment, offset + SENDER_IP_OFFSET);
    }

    public long targetMac() {
        return BigEndian.mac(segment, offset + TARGET_MAC_OFFSET);
    }

    public int targetIp() {
        return BigEndian.i32(segment, offset + TARGET_IP_OFFSET);
    }

    /** A gratuitous ARP announces its own address: sender and target IP are equal. */
    public boolean isGratuitous() {
        return senderIp() == targetIp();
    }

    public static int write(MemorySegment s, int offset, int op, long senderMac, int senderIp,
                            long targetMac, int targetIp) {
        BigEndian.setU16(s, offset + HTYPE_OFFSET, HTYPE_ETHERNET);
        BigEndian.setU16(s, offset + PTYPE_OFFSET, EthernetFrame.ETHERTYPE_IPV4);
        BigEndian.setU8(s, offset + HLEN_OFFSET, MAC_LENGTH);
        BigEndian.setU8(s, offset + PLEN_OFFSET, IPV4_LENGTH);
        BigEndian.setU16(s, offset + OP_OFFSET, op);
        BigEndian.setMac(s, offset + SENDER_MAC_OFFSET, senderMac);
        BigEndian.setI32(s, offset + SENDER_IP_OFFSET, senderIp);
        BigEndian.setMac(s, offset + TARGET_MAC_OFFSET, targetMac);
        BigEndian.setI32(s, offset + TARGET_IP_OFFSET, targetIp);
        return LENGTH;
    }
}
