package io.ringwall.dataplane;

/** Rate limiter for generated packets (ICMP errors, RSTs, log lines): {@code ratePerSecond}, burst of the same size. */
public final class TokenBucket {
    private static final long NS_PER_S = 1_000_000_000L;
    private final long ratePerSecond;
    private final long capacity;
    private long tokens;
    private long lastRefillNs;
    private boolean started;
    private long refused;

    public TokenBucket(int ratePerSecond) {
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate must be >= 0: " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = Math.max(1, ratePerSecond);
        this.tokens = ratePerSecond == 0 ? 0 : capacity;
    }

    /** Takes one token if available. */
    public boolean tryTake(long nowNs) {
        if (!started) {
            started = true;
            lastRefillNs = nowNs;
        }
        long elapsed = nowNs - lastRefillNs;
        if (elapsed > 0 && ratePerSecond > 0) {
            long add = elapsed * ratePerSecond / NS_PER_S;
            if (add > 0) {
                tokens = Math.min(capacity, tokens + add);
                lastRefillNs += add * NS_PER_S / ratePerSecond;
            }
        }
        if (tokens > 0) {
            tokens--;
            return true;
        }
        refused++;
        return false;
    }

    public long refused() {
        return refused;
    }
}
