package io.ringwall.sim.packet;

/**
 * RFC 1071 ones' complement checksum over byte arrays. The simulator keeps its own small
 * implementation so simulated hosts stay independent of the node code they are testing.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** Adds the 16-bit big-endian words of {@code bytes[offset, offset+length)} to {@code sum}. */
    public static long add(long sum, byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (bytes[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Sum of the IPv4 pseudo-header used by TCP and UDP. */
    public static long pseudoHeader(int srcIp, int dstIp, int protocol, int l4Length) {
        return (srcIp >>> 16) + (srcIp & 0xFFFF) + (dstIp >>> 16) + (dstIp & 0xFFFF) + protocol + l4Length;
    }

    /** Folds carries and complements: the value to store in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
