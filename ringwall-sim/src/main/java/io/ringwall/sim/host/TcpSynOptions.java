package io.ringwall.sim.host;

import io.ringwall.sim.packet.ParsedFrame;

/** The options simulated hosts put in and read from SYN segments: MSS and window scale. */
record TcpSynOptions(int mss, int windowScale) {
    /** {@code windowScale} when the peer sent no window-scale option. */
    static final int NO_SCALE = -1;
    /** RFC 7323 §2.3: larger shifts are treated as 14. */
    static final int WINDOW_SCALE_MAX = 14;
    /** RFC 9293: the MSS to assume when none is announced. */
    static final int DEFAULT_MSS = 536;

    /** MSS (kind 2), then NOP + window scale (kind 3) if {@code scale >= 0}. */
    static byte[] encode(int mss, int scale) {
        return scale < 0
                ? new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss}
                : new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss, 1, 3, 3, (byte) scale};
    }

    /** Reads the options of a SYN; malformed option lists end the scan, never throw. */
    static TcpSynOptions parse(ParsedFrame p) {
        byte[] b = p.bytes;
        int i = p.l4Offset + 20;
        int end = p.l4Offset + p.tcpHeaderLength;
        int mss = DEFAULT_MSS;
        int scale = NO_SCALE;
        while (i < end) {
            int kind = b[i] & 0xFF;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            int len = i + 1 < end ? b[i + 1] & 0xFF : 0;
            if (len < 2 || i + len > end) {
                break;
            }
            if (kind == 2 && len == 4) {
                mss = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            } else if (kind == 3 && len == 3) {
                scale = Math.min(b[i + 2] & 0xFF, WINDOW_SCALE_MAX);
            }
            i += len;
        }
        return new TcpSynOptions(mss, scale);
    }
}
