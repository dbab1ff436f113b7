package io.ringwall.dataplane;

import io.ringwall.conntrack.FlowKey;
import io.ringwall.wire.IcmpMessage;
import io.ringwall.wire.Ipv4Packet;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The packet quoted inside an ICMP error (IP header + at least 8 bytes, RFC 792). It is truncated by
 * design, so it is read leniently here rather than through {@link Ipv4Packet#wrap}: only the fields
 * that identify the flow it belongs to (RELATED state) are extracted, each bounds-checked.
 */
final class EmbeddedPacket {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int MIN_IP_HEADER = 20;
    private static final int PORTS_LENGTH = 4;
    private static final int ICMP_ID_OFFSET = 4;

    private int protocol;
    private int src;
    private int dst;
    private int srcPort;
    private int dstPort;

    /** Parses the quoted packet of the error in {@code icmp}, carried by {@code outer}; false if unusable. */
    boolean parse(MemorySegment s, IcmpMessage icmp, Ipv4Packet outer) {
        int offset = icmp.embeddedOffset();
        int available = outer.payloadOffset() + outer.payloadLength() - offset;
        if (available < MIN_IP_HEADER + PORTS_LENGTH) {
            return false;
        }
        int versionIhl = s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
        int headerLength = (versionIhl & 0x0F) * 4;
        if ((versionIhl >>> 4) != 4 || headerLength < MIN_IP_HEADER || headerLength + PORTS_LENGTH > available) {
            return false;
        }
        protocol = s.get(ValueLayout.JAVA_BYTE, offset + 9) & 0xFF;
        src = s.get(U32, offset + 12);
        dst = s.get(U32, offset + 16);
        int l4 = offset + headerLength;
        if (protocol == Ipv4Packet.PROTO_TCP || protocol == Ipv4Packet.PROTO_UDP) {
            srcPort = s.get(U16, l4) & 0xFFFF;
            dstPort = s.get(U16, l4 + 2) & 0xFFFF;
        } else if (protocol == Ipv4Packet.PROTO_ICMP && headerLength + ICMP_ID_OFFSET + 2 <= available) {
            srcPort = s.get(U16, l4 + ICMP_ID_OFFSET) & 0xFFFF;
            dstPort = srcPort;
        } else {
            srcPort = 0;
            dstPort = 0;
        }
        return true;
    }

    void fillKey(FlowKey key) {
        key.setV4(protocol, src, srcPort, dst, dstPort);
    }
}
