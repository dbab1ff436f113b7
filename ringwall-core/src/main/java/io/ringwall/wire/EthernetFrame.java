package io.ringwall.wire;

import java.lang.foreign.MemorySegment;

/**
 * Reusable view of an Ethernet II frame with at most one 802.1Q tag. {@link #wrap} checks
 * everything the accessors touch, so after {@code OK} they cannot fail.
 */
public final class EthernetFrame {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;
    /** 802.1ad service tag: only seen as the inner type of a double-tagged frame, which we refuse. */
    public static final int ETHERTYPE_QINQ = 0x88A8;
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    public static final int DST_OFFSET = 0;
    public static final int SRC_OFFSET = 6;
    public static final int TYPE_OFFSET = 12;
    public static final int VLAN_TCI_OFFSET = 14;
    public static final int VLAN_INNER_TYPE_OFFSET = 16;
    public static final int HEADER_LENGTH = 14;
    public static final int TAGGED_HEADER_LENGTH = 18;
    private static final int VLAN_ID_MASK = 0x0FFF;

    private MemorySegment segment;
    private int length;
    private int etherType;
    private int vlanId = -1;
    private int payloadOffset;

    /** Views the first {@code length} bytes of {@code s} as a frame. */
    public ParseError wrap(MemorySegment s, int length) {
        this.segment = null;
        if (!BigEndian.fits(s, 0, length) || length < HEADER_LENGTH) {
            return ParseError.TRUNCATED;
        }
        int type = BigEndian.u16(s, TYPE_OFFSET);
        int vlan = -1;
        int payload = HEADER_LENGTH;
        if (type == ETHERTYPE_VLAN) {
            if (length < TAGGED_HEADER_LENGTH) {
                return ParseError.TRUNCATED;
            }
            vlan = BigEndian.u16(s, VLAN_TCI_OFFSET) & VLAN_ID_MASK;
            type = BigEndian.u16(s, VLAN_INNER_TYPE_OFFSET);
            payload = TAGGED_HEADER_LENGTH;
            if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
                return ParseError.ETH_BAD_VLAN;
            }
        } else if (type == ETHERTYPE_QINQ) {
            return ParseError.ETH_BAD_VLAN;
        }
        this.segment = s;
        this.length = length;
        this.etherType = type;
        this.vlanId = vlan;
        this.payloadOffset = payload;
        return ParseError.OK;
    }

    public long dst() {
        return BigEndian.mac(segment, DST_OFFSET);
    }

    public long src() {
        return BigEndian.mac(segment, SRC_OFFSET);
    }

    public void setDst(long mac) {
        BigEndian.setMac(segment, DST_OFFSET, mac);
    }

    public void setSrc(long mac) {
        BigEndian.setMac(segment, SRC_OFFSET, mac);
    }

    /** The EtherType of the payload: the inner one when the frame carries an 802.1Q tag. */
    public int etherType() {
        return etherType;
    }

    /** VLAN id of the 802.1Q tag, or -1 for an untagged frame. */
    public int vlanId() {
        return vlanId;
    }

    public boolean isBroadcast() {
        return dst() == BROADCAST;
    }

    /** Offset of the payload: 14, or 18 with a VLAN tag. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return length - payloadOffset;
    }

    public int length() {
        return length;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Writes an untagged header at offset 0 and returns its length (14). */
    public static int write(MemorySegment s, long dst, long src, int etherType) {
        BigEndian.setMac(s, DST_OFFSET, dst);
        BigEndian.setMac(s, SRC_OFFSET, src);
        BigEndian.setU16(s, TYPE_OFFSET, etherType);
        return HEADER_LENGTH;
    }
}
