package io.ringwall.conntrack;

/**
 * Active flows whose replicated meaning changed (created, state or replied flag moved) since the last sync,
 * coalesced per flow like conntrackd's object queue: a flow is queued once however often it changes, and the
 * record sent is its latest state. Bounded: when the queue is full the overflow flag asks for a full sync.
 */
public final class DirtyFlows {
    private final int[] queue;
    private final boolean[] queued;
    private int head;
    private int tail;
    private int count;
    private boolean overflowed;

    DirtyFlows(int capacity) {
        queue = new int[capacity];
        queued = new boolean[capacity];
    }

    void mark(int slot) {
        if (queued[slot]) {
            return;
        }
        if (count == queue.length) {
            overflowed = true;
            return;
        }
        queued[slot] = true;
        queue[tail] = slot;
        tail = (tail + 1) % queue.length;
        count++;
    }

    /** The next changed slot (its flow may since have been removed: check {@code used}), or -1. */
    public int poll() {
        if (count == 0) {
            return -1;
        }
        int slot = queue[head];
        head = (head + 1) % queue.length;
        count--;
        queued[slot] = false;
        return slot;
    }

    public int size() {
        return count;
    }

    /** True once if changes were lost to a full queue since the last call (the caller should run a full sync). */
    public boolean takeOverflow() {
        boolean o = overflowed;
        overflowed = false;
        return o;
    }
}
