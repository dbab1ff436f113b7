package io.ringwall.dataplane;

import io.ringwall.wire.NativeFrames;
import java.lang.foreign.MemorySegment;

/**
 * Packets held until the cluster has their flow (SPEC §5.6, rules with {@code sync strict}): the first packet of a
 * new flow waits here until every other ring member has acknowledged the reliable message that carried the flow's
 * record, or until the timeout, then leaves through the normal forwarding path. Later packets of a held flow wait
 * behind it so a flow is never reordered.
 *
 * <p>Everything is preallocated: a fixed number of entries, each with a frame buffer of the largest frame the node
 * forwards, so holding a packet is a copy and never an allocation. When the queue is full (or a frame is larger
 * than a slot, e.g. a GSO super-frame) the packet is forwarded at once without waiting, and counted: a firewall
 * under a SYN flood must keep admitting new connections with ordinary (asynchronous) replication rather than drop
 * them, which is what pfsync does with its bounded deferral list too.
 *
 * <p>Single-threaded, pure: time is passed in. Peers are bits of an int (node ids below 32).
 */
public final class DeferQueue {
    public static final int DEFAULT_CAPACITY = 256;
    public static final long DEFAULT_TIMEOUT_NS = 20_000_000L;
    private static final int MAX_PEERS = 32;
    /** {@link #waiting} of a later packet of a held flow: it leaves right after the flow's first packet. */
    private static final int FOLLOWER = -1;
    private static final int NONE = -1;

    /** Where released packets go: the forwarding path after the filter (routing already decided). */
    public interface Sink {
        void send(long nowNs, int inIf, int outIf, int nextHop, MemorySegment frame, int length, int offload);
    }

    private final int capacity;
    private final int frameBytes;
    private final long timeoutNs;
    private final MemorySegment[] frames;
    private final int[] flowSlot;
    private final int[] length;
    private final int[] inIf;
    private final int[] outIf;
    private final int[] nextHop;
    private final int[] offload;
    private final long[] deadline;
    /** Peers that still have to acknowledge; 0 = ready to go, FOLLOWER = goes with its flow's first packet. */
    private final int[] waiting;
    /** Per entry and peer: the id of the first message that carried the flow to that peer (0 = not sent yet). */
    private final long[] messageIds;
    /** FIFO of held entries (oldest first) and the free list, as index links: no allocation. */
    private final int[] next;
    private final int[] prev;
    /** Flow slots with a held first packet: one bit per active-store slot, so the per-packet check is O(1). */
    private final long[] heldFlows;
    private int head = NONE;
    private int tail = NONE;
    private int free;
    private int count;
    private int ready;
    private int peers;

    private long deferred;
    private long releasedByAck;
    private long releasedByTimeout;
    private long releasedUnsynced;

    public DeferQueue(int capacity, int frameBytes, long timeoutNs, int flowSlots) {
        if (capacity < 1 || frameBytes < 1 || timeoutNs < 0 || flowSlots < 1) {
            throw new IllegalArgumentException("capacity, frame size and flow slots must be positive, timeout >= 0");
        }
        this.capacity = capacity;
        this.frameBytes = frameBytes;
        this.timeoutNs = timeoutNs;
        MemorySegment all = NativeFrames.allocate((long) capacity * frameBytes);
        frames = new MemorySegment[capacity];
        flowSlot = new int[capacity];
        length = new int[capacity];
        inIf = new int[capacity];
        outIf = new int[capacity];
        nextHop = new int[capacity];
        offload = new int[capacity];
        deadline = new long[capacity];
        waiting = new int[capacity];
        messageIds = new long[capacity * MAX_PEERS];
        next = new int[capacity];
        prev = new int[capacity];
        heldFlows = new long[(flowSlots + 63) >>> 6];
        for (int i = 0; i < capacity; i++) {
            frames[i] = all.asSlice((long) i * frameBytes, frameBytes);
            next[i] = i + 1 < capacity ? i + 1 : NONE;
        }
        free = 0;
    }

    /** The ring members (other than this node) that must acknowledge a flow; a peer that left is no longer awaited. */
    public void setPeers(int peerMask) {
        peers = peerMask;
        for (int e = head; e != NONE; e = next[e]) {
            if (waiting[e] > 0) {
                waiting[e] &= peerMask;
                if (waiting[e] == 0) {
                    ready++;
                }
            }
        }
    }

    /**
     * Holds the first packet of new flow {@code slot}. Returns false if the caller must send it now: nobody to wait
     * for (a node alone), or no room (counted in {@link #releasedUnsynced()}).
     */
    public boolean holdFirst(long nowNs, int slot, int in, int out, int hop, MemorySegment frame, int len, int off) {
        return holdFirst(nowNs, slot, -1, in, out, hop, frame, len, off);
    }

    /** As above, waiting only for the peers in {@code replicas} (the flow's bucket's holders; -1: every peer). */
    public boolean holdFirst(long nowNs, int slot, int replicas, int in, int out, int hop, MemorySegment frame, int len,
                             int off) {
        int waitFor = peers & replicas;
        if (waitFor == 0) {
            return false;
        }
        int e = take(nowNs, slot, in, out, hop, frame, len, off);
        if (e == NONE) {
            return false;
        }
        waiting[e] = waitFor;
        deferred++;
        heldFlows[slot >>> 6] |= 1L << slot;
        return true;
    }

    /** Whether flow {@code slot} has a packet held: its next packets must wait behind it. */
    public boolean holds(int slot) {
        return count != 0 && slot >= 0 && (heldFlows[slot >>> 6] & (1L << slot)) != 0;
    }

    /** Holds a later packet of a held flow; false (send now, counted) if there is no room. */
    public boolean holdFollower(long nowNs, int slot, int in, int out, int hop, MemorySegment frame, int len, int off) {
        int e = take(nowNs, slot, in, out, hop, frame, len, off);
        if (e == NONE) {
            return false;
        }
        waiting[e] = FOLLOWER;
        return true;
    }

    private int take(long nowNs, int slot, int in, int out, int hop, MemorySegment frame, int len, int off) {
        if (free == NONE || len > frameBytes) {
            releasedUnsynced++;
            return NONE;
        }
        int e = free;
        free = next[e];
        MemorySegment.copy(frame, 0, frames[e], 0, len);
        flowSlot[e] = slot;
        length[e] = len;
        inIf[e] = in;
        outIf[e] = out;
        nextHop[e] = hop;
        offload[e] = off;
        deadline[e] = nowNs + timeoutNs;
        java.util.Arrays.fill(messageIds, e * MAX_PEERS, (e + 1) * MAX_PEERS, 0L);
        next[e] = NONE;
        prev[e] = tail;
        if (tail == NONE) {
            head = e;
        } else {
            next[tail] = e;
        }
        tail = e;
        count++;
        return e;
    }

    /**
     * Message {@code messageId} to {@code peer} carries the records of flow slots {@code slots[0..n)}. The first such
     * message per held flow and peer is the one whose acknowledgement releases it.
     */
    public void sent(int peer, long messageId, int[] slots, int n) {
        if (count == 0 || messageId <= 0 || peer < 0 || peer >= MAX_PEERS) {
            return;
        }
        for (int i = 0; i < n; i++) {
            int slot = slots[i];
            if (!holds(slot)) {
                continue;
            }
            for (int e = head; e != NONE; e = next[e]) {
                if (flowSlot[e] == slot && waiting[e] > 0 && messageIds[e * MAX_PEERS + peer] == 0) {
                    messageIds[e * MAX_PEERS + peer] = messageId;
                }
            }
        }
    }

    /** {@code peer} acknowledged message {@code messageId}: the flows it carried are replicated there. */
    public void delivered(int peer, long messageId) {
        if (count == 0 || messageId <= 0 || peer < 0 || peer >= MAX_PEERS) { // ids are > 0; 0 means "not sent yet"
            return;
        }
        int bit = 1 << peer;
        for (int e = head; e != NONE; e = next[e]) {
            if (waiting[e] > 0 && (waiting[e] & bit) != 0 && messageIds[e * MAX_PEERS + peer] == messageId) {
                waiting[e] &= ~bit;
                if (waiting[e] == 0) {
                    ready++;
                }
            }
        }
    }

    /**
     * Sends, oldest first, every packet whose flow every peer acknowledged or whose time is up, together with the
     * packets of the same flow queued behind it.
     */
    public void release(long nowNs, Sink sink) {
        if (count == 0 || ready == 0 && deadline[head] - nowNs > 0) {
            return; // the oldest is not due and nothing is ready: nothing behind it is either (same timeout for all)
        }
        for (int e = head; e != NONE; ) {
            int after = next[e];
            int w = waiting[e];
            if (w == 0) {
                releasedByAck++;
                ready--;
                emit(nowNs, e, sink);
            } else if (w > 0 && nowNs - deadline[e] >= 0) {
                releasedByTimeout++;
                emit(nowNs, e, sink);
            } else if (w == FOLLOWER && (heldFlows[flowSlot[e] >>> 6] & (1L << flowSlot[e])) == 0) {
                emit(nowNs, e, sink); // its flow's first packet has just gone, counted there
            }
            e = after;
        }
    }

    private void emit(long nowNs, int e, Sink sink) {
        if (waiting[e] != FOLLOWER) {
            heldFlows[flowSlot[e] >>> 6] &= ~(1L << flowSlot[e]);
        }
        int p = prev[e];
        int n = next[e];
        if (p == NONE) {
            head = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail = p;
        } else {
            prev[n] = p;
        }
        count--;
        sink.send(nowNs, inIf[e], outIf[e], nextHop[e], frames[e], length[e], offload[e]);
        next[e] = free;
        free = e;
    }

    /** When {@link #release} next has work: now if something is ready, else the oldest packet's deadline. */
    public long nextDeadlineNs() {
        if (count == 0) {
            return Long.MAX_VALUE;
        }
        return ready > 0 ? Long.MIN_VALUE : deadline[head];
    }

    public int size() {
        return count;
    }

    public int capacity() {
        return capacity;
    }

    /** First packets of new flows held (packets queued behind them are not counted). */
    public long deferred() {
        return deferred;
    }

    /** First packets released because every peer acknowledged their flow. */
    public long releasedByAck() {
        return releasedByAck;
    }

    /** First packets released because a peer did not acknowledge in time. */
    public long releasedByTimeout() {
        return releasedByTimeout;
    }

    /** Packets that should have been held but were forwarded at once: queue full or frame larger than a slot. */
    public long releasedUnsynced() {
        return releasedUnsynced;
    }
}
