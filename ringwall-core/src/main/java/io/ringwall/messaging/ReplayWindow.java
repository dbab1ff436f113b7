package io.ringwall.messaging;

/**
 * Sliding window over 64-bit sequence numbers (RFC 4303 §3.4.3 style): remembers the highest
 * number seen and which of the {@link #WIDTH} numbers below it were seen. Anything older than
 * the window counts as seen, so it is rejected. Used for packet sequences (anti-replay) and for
 * completed message ids (duplicate suppression).
 */
final class ReplayWindow {
    static final int WIDTH = 1024;
    private static final int WORDS = WIDTH / 64;

    private final long[] bits = new long[WORDS];
    private long highest; // 0 = nothing seen; valid numbers start at 1

    void reset() {
        java.util.Arrays.fill(bits, 0);
        highest = 0;
    }

    /** True if {@code n} was already marked or fell out of the window (or is 0). */
    boolean seen(long n) {
        if (n == 0) {
            return true;
        }
        if (Long.compareUnsigned(n, highest) > 0) {
            return false;
        }
        long age = highest - n;
        if (age >= WIDTH) {
            return true;
        }
        int bit = slot(n);
        return (bits[bit >>> 6] & (1L << bit)) != 0;
    }

    void mark(long n) {
        if (n == 0) {
            return;
        }
        if (Long.compareUnsigned(n, highest) > 0) {
            long advance = n - highest;
            if (Long.compareUnsigned(advance, WIDTH) >= 0) {
                java.util.Arrays.fill(bits, 0);
            } else {
                // An int-counted loop: the long-counted one it replaces trapped in compiled code on real nodes
                // (loop_limit_check), taking the cluster receive path back to the interpreter.
                int steps = (int) advance;
                for (int i = 1; i <= steps; i++) {
                    int b = slot(highest + i);
                    bits[b >>> 6] &= ~(1L << b);
                }
            }
            highest = n;
        } else if (highest - n >= WIDTH) {
            return;
        }
        int bit = slot(n);
        bits[bit >>> 6] |= 1L << bit;
    }

    /** The window slot of {@code n}: its low bits, for every 64-bit value (n % WIDTH for the non-negative ones). */
    private static int slot(long n) {
        return (int) (n & (WIDTH - 1));
    }

    long highest() {
        return highest;
    }
}
