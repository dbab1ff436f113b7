package io.ringwall.vip;

/**
 * Thresholds of the load balancer (docs/vips.md, "Balancing").
 *
 * @param overloadBytesPerSecond a node above this is overloaded (Long.MAX_VALUE = no limit)
 * @param imbalancePercent       move by imbalance only if busiest > least × (1 + p/100)
 * @param minGapBytesPerSecond   ... and busiest − least > this (ignores noise at low rates)
 * @param settleHops             token hops to wait after a balancer move before the next one, so the
 *                               load carriage reflects the move (≥ the load measurement window)
 */
public record BalanceConfig(long overloadBytesPerSecond, int imbalancePercent, long minGapBytesPerSecond,
                            long settleHops) {
    public static final int DEFAULT_IMBALANCE_PERCENT = 25;
    public static final long DEFAULT_MIN_GAP_BYTES_PER_SECOND = 1_000_000;
    /** 300 hops ≈ 3 s at the default 10 ms hop: longer than a 1 s load measurement window. */
    public static final long DEFAULT_SETTLE_HOPS = 300;

    public BalanceConfig {
        if (overloadBytesPerSecond <= 0 || imbalancePercent < 0 || minGapBytesPerSecond < 0 || settleHops < 0) {
            throw new IllegalArgumentException("balance thresholds must be positive");
        }
    }

    public static BalanceConfig defaults() {
        return new BalanceConfig(Long.MAX_VALUE, DEFAULT_IMBALANCE_PERCENT, DEFAULT_MIN_GAP_BYTES_PER_SECOND,
                DEFAULT_SETTLE_HOPS);
    }
}
