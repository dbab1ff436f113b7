package io.ringwall.dataplane;

import io.ringwall.conntrack.FlowKey;
import io.ringwall.wire.IcmpMessage;
import io.ringwall.wire.Ipv4Packet;
import io.ringwall.wire.ParseError;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The packet quoted inside an ICMP error (IP header + at least 8 bytes, RFC 792), read with
 * {@link Ipv4Packet#wrapQuoted} (which accepts the truncation), plus the ports or echo identifier that
 * identify the flow it belongs to (RELATED state).
 */
final class EmbeddedPacket {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int PORTS_LENGTH = 4;
    private static final int ICMP_ID_OFFSET = 4;

    private final Ipv4Packet quoted = new Ipv4Packet();
    private int srcPort;
    private int dstPort;

    /** Parses the quoted packet of the error in {@code icmp}, carried by {@code outer}; false if unusable. */
    boolean parse(MemorySegment s, IcmpMessage icmp, Ipv4Packet outer) {
        int offset = icmp.embeddedOffset();
        int available = outer.payloadOffset() + outer.payloadLength() - offset;
        if (quoted.wrapQuoted(s, offset, available) != ParseError.OK
                || quoted.headerLength() + PORTS_LENGTH > available) {
            return false;
        }
        int l4 = quoted.payloadOffset();
        int protocol = quoted.protocol();
        if (protocol == Ipv4Packet.PROTO_TCP || protocol == Ipv4Packet.PROTO_UDP) {
            srcPort = s.get(U16, l4) & 0xFFFF;
            dstPort = s.get(U16, l4 + 2) & 0xFFFF;
        } else if (protocol == Ipv4Packet.PROTO_ICMP && quoted.headerLength() + ICMP_ID_OFFSET + 2 <= available) {
            srcPort = s.get(U16, l4 + ICMP_ID_OFFSET) & 0xFFFF;
            dstPort = srcPort;
        } else {
            srcPort = 0;
            dstPort = 0;
        }
        return true;
    }

    void fillKey(FlowKey key) {
        key.setV4(quoted.protocol(), quoted.src(), srcPort, quoted.dst(), dstPort);
    }
}
