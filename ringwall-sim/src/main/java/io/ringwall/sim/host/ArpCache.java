package io.ringwall.sim.host;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A host's neighbour table: resolved IP to MAC, and for unresolved neighbours a bounded queue
 * of frames waiting for the answer (built once the MAC is known).
 */
final class ArpCache {
    static final int ENTRIES_MAX = 256;
    static final int PENDING_PER_NEIGHBOUR_MAX = 16;
    static final int REQUEST_ATTEMPTS_MAX = 3;
    static final long REQUEST_RETRY_NS = 1_000_000_000L;

    private final Map<Integer, Long> resolved = new HashMap<>();
    private final Map<Integer, ArrayDeque<LongFunction<byte[]>>> pending = new HashMap<>();
    private long framesDroppedPending;

    /** The MAC of {@code ip}, or -1. */
    long lookup(int ip) {
        Long mac = resolved.get(ip);
        return mac == null ? -1 : mac;
    }

    /** Learns or refreshes a mapping; returns the frames that were waiting for it, ready to send. */
    ArrayDeque<LongFunction<byte[]>> learn(int ip, long mac) {
        if (resolved.size() < ENTRIES_MAX || resolved.containsKey(ip)) {
            resolved.put(ip, mac);
        }
        ArrayDeque<LongFunction<byte[]>> waiting = pending.remove(ip);
        return waiting == null ? new ArrayDeque<>() : waiting;
    }

    boolean isKnownOrPending(int ip) {
        return resolved.containsKey(ip) || pending.containsKey(ip);
    }

    /** Queues a frame for an unresolved neighbour; returns true if a request must be sent now (first waiter). */
    boolean enqueue(int ip, LongFunction<byte[]> frame) {
        ArrayDeque<LongFunction<byte[]>> q = pending.get(ip);
        boolean first = q == null;
        if (first) {
            q = new ArrayDeque<>();
            pending.put(ip, q);
        }
        if (q.size() < PENDING_PER_NEIGHBOUR_MAX) {
            q.addLast(frame);
        } else {
            framesDroppedPending++;
        }
        return first;
    }

    boolean isPending(int ip) {
        return pending.containsKey(ip);
    }

    void giveUp(int ip) {
        ArrayDeque<LongFunction<byte[]>> q = pending.remove(ip);
        if (q != null) {
            framesDroppedPending += q.size();
        }
    }

    long framesDroppedPending() {
        return framesDroppedPending;
    }
}
