package io.ringwall.sim.packet;

import static io.ringwall.sim.packet.Bytes.put16;
import static io.ringwall.sim.packet.Bytes.put32;
import static io.ringwall.sim.packet.Bytes.putMac;

/**
 * Builds the frames simulated hosts send, as fresh byte arrays (hosts are test traffic, not the
 * hot path, so allocation is fine here). Every checksum is computed.
 */
public final class FrameWriter {
    public static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int ETH_HEADER = 14;
    public static final int IPV4_HEADER = 20;

    private FrameWriter() {
    }

    public static byte[] arp(long srcMac, long dstMac, int op, long senderMac, int senderIp, long targetMac, int targetIp) {
        byte[] f = new byte[ETH_HEADER + 28];
        ethernet(f, dstMac, srcMac, ETHERTYPE_ARP);
        int a = ETH_HEADER;
        put16(f, a, 1);
        put16(f, a + 2, ETHERTYPE_IPV4);
        f[a + 4] = 6;
        f[a + 5] = 4;
        put16(f, a + 6, op);
        putMac(f, a + 8, senderMac);
        put32(f, a + 14, senderIp);
        putMac(f, a + 18, targetMac);
        put32(f, a + 24, targetIp);
        return f;
    }

    /** An Ethernet + IPv4 frame around an L4 payload that already carries its own checksum. */
    public static byte[] ipv4(long srcMac, long dstMac, int srcIp, int dstIp, int protocol, int ttl, int id, byte[] l4) {
        byte[] f = new byte[ETH_HEADER + IPV4_HEADER + l4.length];
        ethernet(f, dstMac, srcMac, ETHERTYPE_IPV4);
        int ip = ETH_HEADER;
        f[ip] = 0x45;
        put16(f, ip + 2, IPV4_HEADER + l4.length);
        put16(f, ip + 4, id);
        put16(f, ip + 6, 0x4000); // DF: the simulated path never fragments
        f[ip + 8] = (byte) ttl;
        f[ip + 9] = (byte) protocol;
        put32(f, ip + 12, srcIp);
        put32(f, ip + 16, dstIp);
        put16(f, ip + 10, InternetChecksum.finish(InternetChecksum.add(0, f, ip, IPV4_HEADER)));
        System.arraycopy(l4, 0, f, ip + IPV4_HEADER, l4.length);
        return f;
    }

    public static byte[] udp(int srcIp, int dstIp, int srcPort, int dstPort, byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        put16(u, 0, srcPort);
        put16(u, 2, dstPort);
        put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        int sum = InternetChecksum.finish(InternetChecksum.add(
                InternetChecksum.pseudoHeader(srcIp, dstIp, PROTO_UDP, u.length), u, 0, u.length));
        put16(u, 6, sum == 0 ? 0xFFFF : sum);
        return u;
    }

    public static byte[] tcp(int srcIp, int dstIp, int srcPort, int dstPort, long seq, long ack, int flags,
                             int window, byte[] options, byte[] data, int dataOffset, int dataLength) {
        int header = 20 + options.length;
        byte[] t = new byte[header + dataLength];
        put16(t, 0, srcPort);
        put16(t, 2, dstPort);
        put32(t, 4, seq);
        put32(t, 8, ack);
        t[12] = (byte) ((header / 4) << 4);
        t[13] = (byte) flags;
        put16(t, 14, window);
        System.arraycopy(options, 0, t, 20, options.length);
        System.arraycopy(data, dataOffset, t, header, dataLength);
        put16(t, 16, InternetChecksum.finish(InternetChecksum.add(
                InternetChecksum.pseudoHeader(srcIp, dstIp, PROTO_TCP, t.length), t, 0, t.length)));
        return t;
    }

    /** ICMP message: type, code, the 4-byte "rest of header" and the data. */
    public static byte[] icmp(int type, int code, int restOfHeader, byte[] data) {
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        put32(m, 4, restOfHeader);
        System.arraycopy(data, 0, m, 8, data.length);
        put16(m, 2, InternetChecksum.finish(InternetChecksum.add(0, m, 0, m.length)));
        return m;
    }

    private static void ethernet(byte[] f, long dst, long src, int etherType) {
        putMac(f, 0, dst);
        putMac(f, 6, src);
        put16(f, 12, etherType);
    }
}
