package io.ringwall.conntrack;

import static io.ringwall.conntrack.FlowState.TCP_SYN_RECV;
import static io.ringwall.conntrack.FlowState.TCP_SYN_SENT;

/**
 * TCP state machine and per-direction sequence-window tracking, after netfilter's nf_conntrack_proto_tcp
 * (itself Guido van Rooij's "Real Stateful TCP Packet Filtering in IP Filter"). Per direction:
 * td_end = highest seq+len sent, td_maxend = highest seq the peer allows (ack + window),
 * td_maxwin = largest window seen. A segment passes when
 * (I) seq <= sender.maxend, (II) end >= sender.end - receiver.maxwin,
 * (III) ack <= receiver.end (+ {@link #ACK_SLACK}), (IV) ack >= receiver.end - MAXACKWINDOW.
 * Operates directly on a {@link FlowTable}'s arrays; allocation-free.
 */
final class TcpWindow {
    static final int OK = 0;
    static final int STATE_CHANGED = 1;
    static final int INVALID_WINDOW = 2;
    static final int INVALID_TRANSITION = 3;
    /** SYN on a closed/time-wait flow: caller deletes the old flow and treats the packet as new. */
    static final int REOPEN = 4;

    /** netfilter's MAXACKWINCONST: lower bound of the ack window check (IV). */
    static final int MAX_ACK_WINDOW_MIN = 66_000;
    /** Acks beyond what the peer has sent are never legitimate, so no slack beyond netfilter's. */
    static final int ACK_SLACK = 0;
    /** RFC 7323 caps the shift at 14. */
    static final int MAX_WINDOW_SCALE = 14;
    /** Segments per direction accepted with widened checks after a takeover while windows are re-learned. */
    static final int TAKEOVER_LOOSE_SEGMENTS = 8;

    /** Layout of {@link FlowTable#tcp}: per slot two directions of END, MAX_END, MAX_WIN, FLAGS (one cache line). */
    static final int END = 0, MAX_END = 1, MAX_WIN = 2, FLAGS = 3;
    static final int DIR_STRIDE = 4;
    static final int SLOT_STRIDE = 2 * DIR_STRIDE;

    static int base(int slot, int dir) {
        return slot * SLOT_STRIDE + dir * DIR_STRIDE;
    }

    private static final int SCALE_MASK = 0xF;
    private static final int WSCALE_SEEN = 1 << 4;
    private static final int SACK_PERM = 1 << 5;
    private static final int RELEARNED = 1 << 6;
    private static final int LOOSE_SHIFT = 8;
    private static final int LOOSE_MASK = 0xFF << LOOSE_SHIFT;
    /** Bits that describe the peer and may be replicated; loose-mode bits are local to this node. */
    static final int REPLICATED_FLAGS = SCALE_MASK | WSCALE_SEEN | SACK_PERM;

    private static final int IV = 15; // invalid transition
    private static final int IG = 14; // ignore: no state change, still window-checked

    private static final int I_SYN = 0, I_SYNACK = 1, I_FIN = 2, I_ACK = 3, I_RST = 4, I_NONE = 5;
    private static final int NO = 0, SS = 1, SR = 2, ES = 3, FW = 4, CW = 5, LA = 6, TW = 7, CL = 8, S2 = 9;

    /** [direction][flag class][old state] -> new state; netfilter's tcp_conntracks table. */
    private static final int[][][] TRANSITIONS = {
        { // original
            /*            NO  SS  SR  ES  FW  CW  LA  TW  CL  S2 */
            /* syn    */ {SS, SS, IG, IG, IG, IG, IG, SS, SS, S2},
            /* synack */ {IV, IV, SR, IV, IV, IV, IV, IV, IV, SR},
            /* fin    */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
            /* ack    */ {ES, IV, ES, ES, CW, CW, TW, TW, CL, IV},
            /* rst    */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
            /* none   */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
        },
        { // reply
            /*            NO  SS  SR  ES  FW  CW  LA  TW  CL  S2 */
            /* syn    */ {IV, S2, IV, IV, IV, IV, IV, SS, IV, S2},
            /* synack */ {IV, SR, IG, IG, IG, IG, IG, IG, IG, SR},
            /* fin    */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
            /* ack    */ {IV, IG, SR, ES, CW, CW, TW, TW, CL, IG},
            /* rst    */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
            /* none   */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
        },
    };

    private TcpWindow() {}

    static int scale(int flags) {
        return flags & SCALE_MASK;
    }

    private static int flagClass(int flags) {
        if ((flags & PacketFacts.TCP_RST) != 0) {
            return I_RST;
        }
        if ((flags & PacketFacts.TCP_SYN) != 0) {
            return (flags & PacketFacts.TCP_ACK) != 0 ? I_SYNACK : I_SYN;
        }
        if ((flags & PacketFacts.TCP_FIN) != 0) {
            return I_FIN;
        }
        return (flags & PacketFacts.TCP_ACK) != 0 ? I_ACK : I_NONE;
    }

    /** Widened mode for the next {@link #TAKEOVER_LOOSE_SEGMENTS} segments of each direction. */
    static void markTakenOver(FlowTable t, int slot) {
        for (int i = slot * SLOT_STRIDE + FLAGS; i < (slot + 1) * SLOT_STRIDE; i += DIR_STRIDE) {
            t.tcp[i] = (t.tcp[i] & ~(LOOSE_MASK | RELEARNED)) | (TAKEOVER_LOOSE_SEGMENTS << LOOSE_SHIFT);
        }
    }

    static int looseSegmentsLeft(FlowTable t, int slot, int dir) {
        return (t.tcp[base(slot, dir) + FLAGS] & LOOSE_MASK) >>> LOOSE_SHIFT;
    }

    /** Tracks one segment of an existing flow (or the first SYN at creation, old state NONE). */
    static int track(FlowTable t, int slot, int dir, PacketFacts f) {
        int flags = f.tcpFlags;
        int old = t.state(slot);
        int next = TRANSITIONS[dir][flagClass(flags)][old];
        boolean pureSyn = (flags & (PacketFacts.TCP_SYN | PacketFacts.TCP_ACK | PacketFacts.TCP_RST)) == PacketFacts.TCP_SYN;
        if (next == SS && (old == TW || old == CL) && pureSyn) {
            return REOPEN;
        }
        int s = base(slot, dir);
        int r = base(slot, dir ^ 1);
        if ((t.tcp[s + FLAGS] & LOOSE_MASK) != 0) {
            relearn(t, s, r, f);
            t.tcp[s + FLAGS] -= 1 << LOOSE_SHIFT;
            if (next == IV || next == IG) {
                return OK; // stale replicated state may disagree with the real one; accept without transition
            }
        } else {
            if (next == IV || (next == IG && t.tcp[s + MAX_WIN] == 0)) {
                return INVALID_TRANSITION;
            }
            if (!inWindow(t, s, r, old, dir, f)) {
                return INVALID_WINDOW;
            }
            if (next == IG) {
                return OK;
            }
        }
        if (next == old) {
            return OK;
        }
        t.setState(slot, next);
        return STATE_CHANGED;
    }

    private static int segmentEnd(PacketFacts f) {
        int flags = f.tcpFlags;
        return f.seq + f.payloadLength + ((flags & PacketFacts.TCP_SYN) != 0 ? 1 : 0)
                + ((flags & PacketFacts.TCP_FIN) != 0 ? 1 : 0);
    }

    private static boolean before(int a, int b) { return a - b < 0; }
    private static boolean after(int a, int b) { return b - a < 0; }

    private static void learnOptions(FlowTable t, int s, PacketFacts f) {
        int flags = t.tcp[s + FLAGS] & ~(SCALE_MASK | WSCALE_SEEN | SACK_PERM);
        if (f.windowScale >= 0) {
            flags |= WSCALE_SEEN | Math.min(f.windowScale, MAX_WINDOW_SCALE);
        }
        if (f.sackPermitted) {
            flags |= SACK_PERM;
        }
        t.tcp[s + FLAGS] = flags;
    }

    private static boolean inWindow(FlowTable t, int s, int r, int state, int dir, PacketFacts f) {
        int[] w = t.tcp;
        int flags = f.tcpFlags;
        boolean syn = (flags & PacketFacts.TCP_SYN) != 0;
        boolean hasAck = (flags & PacketFacts.TCP_ACK) != 0;
        boolean rst = (flags & PacketFacts.TCP_RST) != 0;
        int seq = f.seq;
        int ack = f.ack;
        int win = f.window & 0xFFFF;
        int segEnd = segmentEnd(f);

        if (w[s + MAX_WIN] == 0) {
            if (syn) { // SYN (first packet) or SYN-ACK: learn the sender
                w[s + END] = segEnd;
                w[s + MAX_END] = segEnd;
                w[s + MAX_WIN] = Math.max(win, 1);
                learnOptions(t, s, f);
                // Decided when the second SYN (normally the SYN-ACK) is seen; the first SYN keeps its offer.
                if (w[r + MAX_WIN] != 0 && ((w[s + FLAGS] & WSCALE_SEEN) == 0 || (w[r + FLAGS] & WSCALE_SEEN) == 0)) {
                    w[s + FLAGS] &= ~SCALE_MASK; // RFC 7323: scaling only if both sides offered it
                    w[r + FLAGS] &= ~SCALE_MASK;
                }
                if (!hasAck) {
                    return true;
                }
            } else { // history unknown (e.g. RST answering a SYN): take what the packet says
                w[s + END] = segEnd;
                w[s + MAX_WIN] = Math.max(win << scale(w[s + FLAGS]), 1);
                w[s + MAX_END] = segEnd + w[s + MAX_WIN];
                if (w[r + MAX_WIN] == 0) {
                    w[r + END] = w[s + END];
                    w[r + MAX_END] = w[s + END];
                }
            }
        } else if (((state == TCP_SYN_SENT && dir == FlowTable.DIR_ORIGINAL)
                || (state == TCP_SYN_RECV && dir == FlowTable.DIR_REPLY)) && after(segEnd, w[s + END])) {
            w[s + END] = segEnd; // RFC 793: a reinitialized sender picks a higher ISN
            w[s + MAX_END] = segEnd;
            w[s + MAX_WIN] = Math.max(win, 1);
            learnOptions(t, s, f);
        }

        if (!hasAck || (rst && ack == 0)) {
            ack = w[r + END]; // no ACK (or broken stacks' zero ack on RST): pretend it acks everything
        }
        if (rst && seq == 0 && state == TCP_SYN_SENT) {
            seq = w[s + END];
            segEnd = w[s + END];
        }
        int maxAckWindow = Math.max(w[s + MAX_WIN], MAX_ACK_WINDOW_MIN);
        boolean ok = !after(seq, w[s + MAX_END])                                          // I
                && (w[r + MAX_WIN] == 0 || !before(segEnd, w[s + END] - w[r + MAX_WIN]))          // II
                && !after(ack, w[r + END] + ACK_SLACK)                                   // III
                && !before(ack, w[r + END] - maxAckWindow);                              // IV
        if (!ok) {
            return false;
        }
        if (!syn) {
            win <<= scale(w[s + FLAGS]);
        }
        if (w[s + MAX_WIN] < win) {
            w[s + MAX_WIN] = win;
        }
        if (after(segEnd, w[s + END])) {
            w[s + END] = segEnd;
        }
        if (w[r + MAX_WIN] != 0 && after(segEnd, w[s + MAX_END])) {
            w[r + MAX_WIN] += segEnd - w[s + MAX_END];
        }
        if (!before(ack + win, w[r + MAX_END])) {
            w[r + MAX_END] = ack + win + (win == 0 ? 1 : 0);
        }
        return true;
    }

    /** Widened mode: accept and re-learn the sender's window (and what its ack says about the receiver). */
    private static void relearn(FlowTable t, int s, int r, PacketFacts f) {
        int[] w = t.tcp;
        boolean syn = (f.tcpFlags & PacketFacts.TCP_SYN) != 0;
        int segEnd = segmentEnd(f);
        int win = (f.window & 0xFFFF) << (syn ? 0 : scale(w[s + FLAGS]));
        if ((w[s + FLAGS] & RELEARNED) == 0 || w[s + MAX_WIN] == 0) {
            w[s + END] = segEnd;
            w[s + MAX_WIN] = Math.max(win, 1);
            w[s + MAX_END] = segEnd + w[s + MAX_WIN];
            w[s + FLAGS] |= RELEARNED;
        } else {
            if (after(segEnd, w[s + END])) {
                w[s + END] = segEnd;
            }
            if (w[s + MAX_WIN] < win) {
                w[s + MAX_WIN] = win;
            }
            if (after(segEnd, w[s + MAX_END])) {
                w[s + MAX_END] = segEnd;
            }
        }
        if ((f.tcpFlags & PacketFacts.TCP_ACK) != 0) {
            int ack = f.ack;
            if (after(ack, w[r + END])) {
                w[r + END] = ack; // the peer has sent at least what is acknowledged
            }
            if (!before(ack + win, w[r + MAX_END])) {
                w[r + MAX_END] = ack + win + (win == 0 ? 1 : 0);
            }
            if (w[r + MAX_WIN] == 0) {
                w[r + MAX_WIN] = 1;
            }
        }
    }
}
