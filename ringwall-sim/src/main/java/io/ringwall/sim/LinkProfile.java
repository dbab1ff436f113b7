package io.ringwall.sim;

/**
 * Impairments of one link, applied independently in each direction on every traversal.
 *
 * @param latencyNs      fixed one-way delay
 * @param jitterNs       extra delay drawn uniformly from [0, jitterNs]; jitter alone can reorder
 * @param loss           probability a frame is dropped
 * @param duplicate      probability a frame is delivered twice
 * @param reorder        probability a frame is held back by {@code reorderDelayNs}, so later ones overtake it
 * @param reorderDelayNs how long a reordered frame is held back
 */
public record LinkProfile(long latencyNs, long jitterNs, double loss, double duplicate, double reorder,
                          long reorderDelayNs) {
    public static final long DEFAULT_LATENCY_NS = 50_000;

    public LinkProfile {
        if (latencyNs < 0 || jitterNs < 0 || reorderDelayNs < 0) {
            throw new IllegalArgumentException("delays must not be negative");
        }
        checkProbability(loss);
        checkProbability(duplicate);
        checkProbability(reorder);
    }

    /** 50 µs one way, nothing lost, duplicated or reordered. */
    public static LinkProfile ideal() {
        return new LinkProfile(DEFAULT_LATENCY_NS, 0, 0, 0, 0, 0);
    }

    public LinkProfile withLoss(double probability) {
        return new LinkProfile(latencyNs, jitterNs, probability, duplicate, reorder, reorderDelayNs);
    }

    public LinkProfile withDuplicate(double probability) {
        return new LinkProfile(latencyNs, jitterNs, loss, probability, reorder, reorderDelayNs);
    }

    public LinkProfile withReorder(double probability, long delayNs) {
        return new LinkProfile(latencyNs, jitterNs, loss, duplicate, probability, delayNs);
    }

    public LinkProfile withLatency(long latency, long jitter) {
        return new LinkProfile(latency, jitter, loss, duplicate, reorder, reorderDelayNs);
    }

    private static void checkProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability out of [0,1]: " + p);
        }
    }
}
