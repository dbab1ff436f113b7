package io.ringwall.messaging;

import java.util.function.Consumer;

/**
 * Receive-side ordering for one (peer, channel): delivers in order-seq order, holding later
 * messages (bounded). The sender's floor says everything below it is finished on its side, so
 * missing messages below the floor were given up on and are skipped. If no floor arrives, a
 * gap older than the gap timeout is skipped too (counted).
 */
final class OrderedChannel {
    private final long[] heldSeq;
    private final byte[][] held;
    private int heldCount;
    private long expected; // 0 = not known yet (fresh sender boot)
    private long gapSinceNs = Long.MAX_VALUE;

    OrderedChannel(int maxHeld) {
        heldSeq = new long[maxHeld];
        held = new byte[maxHeld][];
    }

    /** A floor from any ordered packet; may release held messages. */
    void floor(long nowNs, long floor, Consumer<byte[]> deliver) {
        if (expected == 0 || Long.compareUnsigned(floor, expected) > 0) {
            long old = expected;
            expected = floor;
            if (old != 0) {
                releaseBelow(floor, deliver);
            }
            drain(nowNs, deliver);
        }
    }

    boolean isLate(long orderSeq) {
        return expected != 0 && Long.compareUnsigned(orderSeq, expected) < 0;
    }

    boolean canAccept(long orderSeq) {
        return orderSeq == expected || heldCount < held.length;
    }

    /** A complete message; returns true if it was delivered or held. */
    void accept(long nowNs, long orderSeq, byte[] message, Consumer<byte[]> deliver) {
        if (orderSeq == expected) {
            deliver.accept(message);
            expected++;
            drain(nowNs, deliver);
            return;
        }
        heldSeq[heldCount] = orderSeq;
        held[heldCount++] = message;
        if (gapSinceNs == Long.MAX_VALUE) {
            gapSinceNs = nowNs;
        }
    }

    /** Gap timeout: skip to the lowest held message. Returns true if a gap was skipped. */
    boolean onTick(long nowNs, long gapTimeoutNs, Consumer<byte[]> deliver) {
        if (heldCount == 0 || nowNs - gapSinceNs < gapTimeoutNs) {
            return false;
        }
        long lowest = heldSeq[0];
        for (int i = 1; i < heldCount; i++) {
            if (Long.compareUnsigned(heldSeq[i], lowest) < 0) lowest = heldSeq[i];
        }
        expected = lowest;
        drain(nowNs, deliver);
        return true;
    }

    long deadline(long gapTimeoutNs) {
        return heldCount == 0 ? Long.MAX_VALUE : gapSinceNs + gapTimeoutNs;
    }

    private void releaseBelow(long floor, Consumer<byte[]> deliver) {
        while (true) {
            int best = -1;
            for (int i = 0; i < heldCount; i++) {
                if (Long.compareUnsigned(heldSeq[i], floor) < 0
                        && (best < 0 || Long.compareUnsigned(heldSeq[i], heldSeq[best]) < 0)) {
                    best = i;
                }
            }
            if (best < 0) return;
            deliver.accept(remove(best));
        }
    }

    private void drain(long nowNs, Consumer<byte[]> deliver) {
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (int i = 0; i < heldCount; i++) {
                if (heldSeq[i] == expected) {
                    deliver.accept(remove(i));
                    expected++;
                    progressed = true;
                    break;
                }
            }
        }
        gapSinceNs = heldCount == 0 ? Long.MAX_VALUE : nowNs;
    }

    private byte[] remove(int i) {
        byte[] m = held[i];
        heldCount--;
        heldSeq[i] = heldSeq[heldCount];
        held[i] = held[heldCount];
        held[heldCount] = null;
        return m;
    }
}
