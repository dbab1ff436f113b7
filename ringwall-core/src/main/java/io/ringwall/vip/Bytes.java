package io.ringwall.vip;

/** Big-endian field access for the carriage codecs; callers have already checked bounds. */
final class Bytes {
    private Bytes() {}

    static void putShort(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    static void putInt(byte[] b, int p, int v) {
        putShort(b, p, v >>> 16);
        putShort(b, p + 2, v);
    }

    static void putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) (v >>> 32));
        putInt(b, p + 4, (int) v);
    }

    static int getShort(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static int getInt(byte[] b, int p) {
        return (getShort(b, p) << 16) | getShort(b, p + 2);
    }

    static long getLong(byte[] b, int p) {
        return ((long) getInt(b, p) << 32) | (getInt(b, p + 4) & 0xFFFF_FFFFL);
    }
}
