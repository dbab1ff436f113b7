package io.ringwall.sim.packet;

/** Big-endian field access on byte arrays. */
public final class Bytes {
    private Bytes() {
    }

    public static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    public static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    public static int i32(byte[] b, int at) {
        return (u16(b, at) << 16) | u16(b, at + 2);
    }

    public static long u32(byte[] b, int at) {
        return i32(b, at) & 0xFFFF_FFFFL;
    }

    public static long mac(byte[] b, int at) {
        return ((long) u16(b, at) << 32) | u32(b, at + 2);
    }

    public static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    public static void put32(byte[] b, int at, long v) {
        put16(b, at, (int) (v >>> 16));
        put16(b, at + 2, (int) v);
    }

    public static void putMac(byte[] b, int at, long mac) {
        put16(b, at, (int) (mac >>> 32));
        put32(b, at + 2, mac);
    }
}
