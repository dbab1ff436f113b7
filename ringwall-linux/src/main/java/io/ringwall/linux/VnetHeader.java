package io.ringwall.linux;

import io.ringwall.node.Offload;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@code struct virtio_net_hdr} that {@code PACKET_VNET_HDR} puts before every frame: how the
 * kernel would still have to checksum (CHECKSUM_PARTIAL) or segment (GSO) it. Mutable and reused,
 * one per socket, so reading it costs no allocation. Fields are in host byte order.
 */
public final class VnetHeader {
    public static final int BYTES = 10;
    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    private static final int ETHERNET_HEADER_BYTES = 14;
    private static final int VLAN_TAG_BYTES = 4;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int UDP_CHECKSUM_OFFSET = 6;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort U16_BE = U16.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private int flags;
    private int gsoType;
    private int hdrLen;
    private int gsoSize;
    private int csumStart;
    private int csumOffset;

    public int flags() { return flags; }
    public int gsoType() { return gsoType; }
    public int hdrLen() { return hdrLen; }
    public int gsoSize() { return gsoSize; }
    public int csumStart() { return csumStart; }
    public int csumOffset() { return csumOffset; }

    /** The {@link Offload} bits the node sees for this frame. */
    public int offloadFlags() {
        int result = (flags & F_NEEDS_CSUM) != 0 ? Offload.CSUM_PARTIAL : 0;
        return gsoType != GSO_NONE ? result | Offload.GSO : result;
    }

    /**
     * Whether the driver can forward this frame as it is: plain frames and TCP-over-IPv4 GSO.
     * Other GSO types (UDP fragmentation offload, UDP_L4, TCPv6) would reach an IPv4-only node
     * as frames it cannot re-segment correctly, so the driver counts and drops them.
     */
    public boolean isForwardable() {
        int base = gsoType & ~GSO_ECN;
        return base == GSO_NONE || base == GSO_TCPV4;
    }

    public void clear() {
        flags = 0;
        gsoType = GSO_NONE;
        hdrLen = 0;
        gsoSize = 0;
        csumStart = 0;
        csumOffset = 0;
    }

    public void set(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        this.flags = flags;
        this.gsoType = gsoType;
        this.hdrLen = hdrLen;
        this.gsoSize = gsoSize;
        this.csumStart = csumStart;
        this.csumOffset = csumOffset;
    }

    void readFrom(MemorySegment header) {
        flags = Byte.toUnsignedInt(header.get(ValueLayout.JAVA_BYTE, 0));
        gsoType = Byte.toUnsignedInt(header.get(ValueLayout.JAVA_BYTE, 1));
        hdrLen = Short.toUnsignedInt(header.get(U16, 2));
        gsoSize = Short.toUnsignedInt(header.get(U16, 4));
        csumStart = Short.toUnsignedInt(header.get(U16, 6));
        csumOffset = Short.toUnsignedInt(header.get(U16, 8));
    }

    void writeTo(MemorySegment header) {
        header.set(ValueLayout.JAVA_BYTE, 0, (byte) flags);
        header.set(ValueLayout.JAVA_BYTE, 1, (byte) gsoType);
        header.set(U16, 2, (short) hdrLen);
        header.set(U16, 4, (short) gsoSize);
        header.set(U16, 6, (short) csumStart);
        header.set(U16, 8, (short) csumOffset);
    }

    /**
     * Rebuilds a header from the frame itself, for a frame the node sends outside the
     * {@code onFrame} call that received it (e.g. released from an ARP queue). The segment size
     * the sender chose is gone, so GSO segments are sized to fill {@code mtu}; that is a valid
     * segmentation of the same byte stream. Returns false if the frame is not IPv4 TCP/UDP.
     */
    public boolean deriveFrom(MemorySegment frame, int length, int offloadFlags, int mtu) {
        clear();
        int l3 = ETHERNET_HEADER_BYTES;
        if (length < l3 + 20) {
            return false;
        }
        int etherType = Short.toUnsignedInt(frame.get(U16_BE, 12));
        if (etherType == ETHERTYPE_VLAN) {
            l3 += VLAN_TAG_BYTES;
            etherType = Short.toUnsignedInt(frame.get(U16_BE, 16));
        }
        if (etherType != ETHERTYPE_IPV4 || length < l3 + 20) {
            return false;
        }
        int ipHeaderBytes = (frame.get(ValueLayout.JAVA_BYTE, l3) & 0x0f) * 4;
        int protocol = Byte.toUnsignedInt(frame.get(ValueLayout.JAVA_BYTE, l3 + 9));
        int l4 = l3 + ipHeaderBytes;
        if (protocol == PROTO_TCP && length >= l4 + 20) {
            int tcpHeaderBytes = ((frame.get(ValueLayout.JAVA_BYTE, l4 + 12) >> 4) & 0x0f) * 4;
            flags = F_NEEDS_CSUM;
            csumStart = l4;
            csumOffset = TCP_CHECKSUM_OFFSET;
            if ((offloadFlags & Offload.GSO) != 0) {
                gsoType = GSO_TCPV4;
                hdrLen = l4 + tcpHeaderBytes;
                gsoSize = mtu - ipHeaderBytes - tcpHeaderBytes;
            }
            return gsoSize >= 0 && length >= hdrLen;
        }
        if (protocol == PROTO_UDP && length >= l4 + 8 && (offloadFlags & Offload.GSO) == 0) {
            flags = F_NEEDS_CSUM;
            csumStart = l4;
            csumOffset = UDP_CHECKSUM_OFFSET;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "vnet[flags=" + flags + " gso=" + gsoType + " hdrLen=" + hdrLen + " gsoSize=" + gsoSize
                + " csum=" + csumStart + "+" + csumOffset + "]";
    }
}
