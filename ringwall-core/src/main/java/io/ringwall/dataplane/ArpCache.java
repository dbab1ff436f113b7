package io.ringwall.dataplane;

import io.ringwall.wire.NativeFrames;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Neighbour cache for next hops: IPv4 address to MAC, with a bounded queue of frames waiting for each
 * unresolved neighbour. Open addressing with bounded probing; slots are recycled (oldest first), never
 * emptied, so probe chains stay intact without tombstones.
 */
public final class ArpCache {
    /** How often an unanswered request is repeated before the neighbour is declared unreachable. */
    public static final int REQUEST_TRIES = 3;
    public static final long REQUEST_INTERVAL_NS = 1_000_000_000L;
    /** A resolved entry older than this is refreshed (the old MAC keeps being used meanwhile). */
    public static final long REACHABLE_NS = 300_000_000_000L;
    /** Upper bound on bytes held in all pending queues together. */
    public static final long PENDING_BYTES_MAX = 8L << 20;
    private static final int MAX_PROBE = 16;

    private static final byte FREE = 0;
    private static final byte INCOMPLETE = 1;
    private static final byte REACHABLE = 2;

    /** {@link PendingFrame#staleAtNs()} of a frame that may wait as long as its neighbour's resolution takes. */
    public static final long NEVER_STALE = Long.MAX_VALUE;

    /**
     * A frame waiting for its next hop's MAC; once {@code staleAtNs} has passed ({@link #NEVER_STALE}: never) it is
     * not worth sending any more.
     */
    public record PendingFrame(int ifIndex, byte[] frame, int offloadFlags, long staleAtNs) {
        public boolean staleAt(long nowNs) {
            return staleAtNs != NEVER_STALE && nowNs - staleAtNs >= 0;
        }
    }

    private final int mask;
    private final int pendingPerNeighbour;
    private final int[] ips;
    private final long[] macs;
    private final byte[] states;
    private final int[] ifIndexes;
    private final long[] updatedNs;
    private final long[] nextRequestNs;
    private final byte[] triesLeft;
    private final List<List<PendingFrame>> pending;
    private long pendingBytes;
    private int incompleteCount;
    private boolean lastRefused;
    /** Bumped whenever a neighbour's MAC is learned or changes: tells the cluster when to share the table again. */
    private long macChanges;

    public ArpCache(int entries, int pendingPerNeighbour) {
        int capacity = Integer.highestOneBit(Math.max(16, entries) * 2 - 1);
        this.mask = capacity - 1;
        this.pendingPerNeighbour = pendingPerNeighbour;
        ips = new int[capacity];
        macs = new long[capacity];
        states = new byte[capacity];
        ifIndexes = new int[capacity];
        updatedNs = new long[capacity];
        nextRequestNs = new long[capacity];
        triesLeft = new byte[capacity];
        pending = new ArrayList<>(capacity);
        for (int i = 0; i < capacity; i++) {
            pending.add(null);
        }
    }

    private static int hash(int ip) {
        int h = ip * 0x9E3779B1;
        return h ^ (h >>> 16);
    }

    private int find(int ip) {
        int start = hash(ip) & mask;
        for (int p = 0; p < MAX_PROBE; p++) {
            int slot = (start + p) & mask;
            if (states[slot] == FREE) {
                return -1;
            }
            if (ips[slot] == ip) {
                return slot;
            }
        }
        return -1;
    }

    /** The MAC of a resolved neighbour, or -1 if unknown or still being resolved. */
    public long lookup(int ip) {
        int slot = find(ip);
        return slot >= 0 && states[slot] == REACHABLE ? macs[slot] : -1;
    }

    /** True if the entry exists and is older than {@link #REACHABLE_NS}, so a refresh request should go out. */
    public boolean needsRefresh(int ip, long nowNs) {
        int slot = find(ip);
        if (slot < 0 || states[slot] != REACHABLE || nowNs - updatedNs[slot] < REACHABLE_NS) {
            return false;
        }
        updatedNs[slot] = nowNs; // one refresh per period, answered or not
        return true;
    }

    private int slotFor(int ip) {
        int start = hash(ip) & mask;
        int victim = -1;
        for (int p = 0; p < MAX_PROBE; p++) {
            int slot = (start + p) & mask;
            if (states[slot] == FREE || ips[slot] == ip) {
                return slot;
            }
            if (victim < 0 || olderThan(slot, victim)) {
                victim = slot;
            }
        }
        evict(victim);
        return victim;
    }

    private boolean olderThan(int a, int b) {
        // Prefer recycling resolved entries over ones with frames waiting.
        if ((states[a] == INCOMPLETE) != (states[b] == INCOMPLETE)) {
            return states[b] == INCOMPLETE;
        }
        return updatedNs[a] - updatedNs[b] < 0;
    }

    private void evict(int slot) {
        dropPending(slot);
        if (states[slot] == INCOMPLETE) {
            incompleteCount--;
        }
        states[slot] = FREE;
    }

    private void dropPending(int slot) {
        List<PendingFrame> q = pending.get(slot);
        if (q == null) {
            return;
        }
        for (PendingFrame f : q) {
            pendingBytes -= f.frame().length;
        }
        pending.set(slot, null);
    }

    /** Removes the slot's waiting frames from the pending accounting and hands them over (possibly empty). */
    private List<PendingFrame> takePending(int slot) {
        List<PendingFrame> q = pending.get(slot);
        dropPending(slot);
        return q == null ? List.of() : q;
    }

    /**
     * Queues a frame for an unresolved neighbour. Returns {@code true} if the caller must send an ARP
     * request now (first frame for this neighbour). Throws nothing; if the queue is full, the frame is
     * refused and {@link #lastEnqueueRefused()} is true.
     */
    public boolean enqueue(int ip, int ifIndex, MemorySegment frame, int length, int offloadFlags, long nowNs) {
        return enqueue(ip, ifIndex, frame, length, offloadFlags, nowNs, NEVER_STALE);
    }

    /** As {@link #enqueue(int, int, MemorySegment, int, int, long)}, for a frame that goes stale at {@code staleAtNs}. */
    public boolean enqueue(int ip, int ifIndex, MemorySegment frame, int length, int offloadFlags, long nowNs,
                           long staleAtNs) {
        int slot = slotFor(ip);
        boolean newEntry = states[slot] != INCOMPLETE;
        if (newEntry) {
            ips[slot] = ip;
            states[slot] = INCOMPLETE;
            incompleteCount++;
            ifIndexes[slot] = ifIndex;
            updatedNs[slot] = nowNs;
            triesLeft[slot] = REQUEST_TRIES - 1;
            nextRequestNs[slot] = nowNs + REQUEST_INTERVAL_NS;
        }
        List<PendingFrame> q = pending.get(slot);
        if (q == null) {
            q = new ArrayList<>(pendingPerNeighbour);
            pending.set(slot, q);
        }
        lastRefused = q.size() >= pendingPerNeighbour || pendingBytes + length > PENDING_BYTES_MAX;
        if (!lastRefused) {
            byte[] copy = NativeFrames.toArray(frame, 0, length);
            q.add(new PendingFrame(ifIndex, copy, offloadFlags, staleAtNs));
            pendingBytes += length;
        }
        return newEntry;
    }

    public boolean lastEnqueueRefused() {
        return lastRefused;
    }

    /**
     * Records {@code ip is-at mac} and returns the frames that were waiting for it (possibly empty).
     * Only neighbours that already have an entry or that we asked for are learned unless {@code create}.
     */
    public List<PendingFrame> learn(int ip, long mac, int ifIndex, long nowNs, boolean create) {
        int slot = find(ip);
        if (slot < 0) {
            if (!create) {
                return List.of();
            }
            slot = slotFor(ip);
            ips[slot] = ip;
        }
        if (states[slot] == INCOMPLETE) {
            incompleteCount--;
        }
        if (states[slot] != REACHABLE || macs[slot] != mac) {
            macChanges++;
        }
        states[slot] = REACHABLE;
        macs[slot] = mac;
        ifIndexes[slot] = ifIndex;
        updatedNs[slot] = nowNs;
        return takePending(slot);
    }

    /** Visits unresolved neighbours whose retry time has come. */
    public interface RetryVisitor {
        /** Send another request for {@code ip} on {@code ifIndex}. */
        void retry(int ifIndex, int ip);

        /** {@code ip} did not answer; its {@code frames} are dropped (an ICMP host unreachable may be sent). */
        void unreachable(int ifIndex, int ip, List<PendingFrame> frames);
    }

    public void onTick(long nowNs, RetryVisitor visitor) {
        if (incompleteCount == 0) {
            return;
        }
        for (int slot = 0; slot <= mask; slot++) {
            if (states[slot] != INCOMPLETE || nextRequestNs[slot] - nowNs > 0) {
                continue;
            }
            if (triesLeft[slot] > 0) {
                triesLeft[slot]--;
                nextRequestNs[slot] = nowNs + REQUEST_INTERVAL_NS;
                visitor.retry(ifIndexes[slot], ips[slot]);
            } else {
                List<PendingFrame> frames = takePending(slot);
                incompleteCount--;
                // Freeing the slot could break probe chains of later keys; it stays occupied as a stale entry.
                states[slot] = REACHABLE;
                macs[slot] = -1;
                updatedNs[slot] = nowNs - REACHABLE_NS;
                visitor.unreachable(ifIndexes[slot], ips[slot], frames);
            }
        }
    }

    /** Earliest retry deadline, or {@link Long#MAX_VALUE}. */
    public long nextDeadlineNs() {
        if (incompleteCount == 0) {
            return Long.MAX_VALUE;
        }
        long min = Long.MAX_VALUE;
        for (int slot = 0; slot <= mask; slot++) {
            if (states[slot] == INCOMPLETE && nextRequestNs[slot] < min) {
                min = nextRequestNs[slot];
            }
        }
        return min;
    }

    /** How many times a neighbour's MAC was learned or changed so far. */
    public long macChanges() {
        return macChanges;
    }

    /**
     * Copies resolved neighbours (answered within {@link #REACHABLE_NS}; not the ones that never answered) into
     * {@code ipsOut}/{@code macsOut}, at most as many as they hold, and returns how many.
     */
    public int resolved(int[] ipsOut, long[] macsOut, long nowNs) {
        int n = 0;
        for (int slot = 0; slot <= mask && n < ipsOut.length; slot++) {
            if (states[slot] == REACHABLE && macs[slot] != -1 && nowNs - updatedNs[slot] < REACHABLE_NS) {
                ipsOut[n] = ips[slot];
                macsOut[n] = macs[slot];
                n++;
            }
        }
        return n;
    }

    public int incompleteCount() {
        return incompleteCount;
    }

    public long pendingBytes() {
        return pendingBytes;
    }
}
