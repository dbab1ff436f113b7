package io.ringwall.dataplane;

/**
 * First-fragment tracking without reassembly, as netfilter does for stateless matching: the
 * verdict the filter reached on a datagram's first fragment (the one carrying the L4 header)
 * is remembered under (src, dst, protocol, identification) and applied to the later fragments.
 *
 * <p>The table is set-associative ({@link #WAYS} entries per set): a full set evicts its entry
 * that expires soonest, so memory is fixed at construction and nothing allocates afterwards.
 * Each datagram keeps up to {@link #MAX_RANGES} byte ranges of fragments seen (adjacent ones
 * merge) to refuse overlapping fragments, the classic way to smuggle different bytes past a
 * filter (RFC 1858, RFC 3128). Single writer: the data-plane loop.
 */
public final class FragmentTracker {
    /** A non-first fragment whose first fragment was not seen (yet): the caller drops it. */
    public static final int UNKNOWN = -1;
    /** A fragment overlapping bytes already seen for the datagram: the caller drops it. */
    public static final int OVERLAP = -2;
    /** A datagram fragmented into more disjoint pieces than we track: the caller drops it. */
    public static final int TOO_MANY_RANGES = -3;

    /** Default number of datagrams tracked at once. */
    public static final int DEFAULT_CAPACITY = 4096;
    /** Default lifetime of an entry from its first fragment, as Linux's ipfrag_time (30 s). */
    public static final long DEFAULT_TIMEOUT_NS = 30_000_000_000L;
    /** Entries per set; a lookup scans one set. */
    public static final int WAYS = 4;
    /** Disjoint byte ranges remembered per datagram; in-order fragments merge into one. */
    public static final int MAX_RANGES = 8;

    private final int setMask;
    private final long timeoutNs;
    private final int[] src;
    private final int[] dst;
    /** protocol << 16 | identification. */
    private final int[] protoId;
    private final int[] verdict;
    private final long[] expiresNs;
    private final boolean[] used;
    private final int[] rangeCount;
    private final int[] rangeStart;
    private final int[] rangeEnd;

    public FragmentTracker() {
        this(DEFAULT_CAPACITY, DEFAULT_TIMEOUT_NS);
    }

    /** {@code capacity} is rounded up to a power of two of at least {@link #WAYS}. */
    public FragmentTracker(int capacity, long timeoutNs) {
        if (capacity <= 0 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("capacity must be 1..2^24: " + capacity);
        }
        if (timeoutNs <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutNs);
        }
        int entries = Math.max(WAYS, Integer.highestOneBit(capacity - 1) << 1);
        this.setMask = entries / WAYS - 1;
        this.timeoutNs = timeoutNs;
        this.src = new int[entries];
        this.dst = new int[entries];
        this.protoId = new int[entries];
        this.verdict = new int[entries];
        this.expiresNs = new long[entries];
        this.used = new boolean[entries];
        this.rangeCount = new int[entries];
        this.rangeStart = new int[entries * MAX_RANGES];
        this.rangeEnd = new int[entries * MAX_RANGES];
    }

    public int capacity() {
        return used.length;
    }

    /** Remembers the verdict (>= 0) for a datagram from its first fragment, whose length is not recorded. */
    public void recordFirst(int src, int dst, int proto, int id, int verdict, long nowNs) {
        recordFirst(src, dst, proto, id, verdict, 0, nowNs);
    }

    /**
     * Remembers the verdict (>= 0) for a datagram from its first fragment of {@code firstFragLen}
     * payload bytes, so later fragments overlapping it are refused. A repeated first fragment
     * starts the datagram afresh (identification reuse after the old one is gone).
     */
    public void recordFirst(int src, int dst, int proto, int id, int verdict, int firstFragLen, long nowNs) {
        if (verdict < 0) {
            throw new IllegalArgumentException("verdicts must be >= 0, negatives are reserved: " + verdict);
        }
        int key = key(proto, id);
        int slot = find(src, dst, key, nowNs);
        if (slot < 0) {
            slot = victim(src, dst, key, nowNs);
        }
        this.src[slot] = src;
        this.dst[slot] = dst;
        this.protoId[slot] = key;
        this.verdict[slot] = verdict;
        this.expiresNs[slot] = nowNs + timeoutNs;
        this.used[slot] = true;
        this.rangeCount[slot] = 0;
        if (firstFragLen > 0) {
            rangeStart[slot * MAX_RANGES] = 0;
            rangeEnd[slot * MAX_RANGES] = firstFragLen;
            rangeCount[slot] = 1;
        }
    }

    /**
     * The verdict for a later fragment covering [fragOffsetBytes, fragOffsetBytes + fragLen) of
     * the datagram, or {@link #UNKNOWN}, {@link #OVERLAP} or {@link #TOO_MANY_RANGES}.
     */
    public int verdictFor(int src, int dst, int proto, int id, int fragOffsetBytes, int fragLen, long nowNs) {
        int slot = find(src, dst, key(proto, id), nowNs);
        if (slot < 0) {
            return UNKNOWN;
        }
        int result = addRange(slot, fragOffsetBytes, fragOffsetBytes + Math.max(fragLen, 0));
        return result < 0 ? result : verdict[slot];
    }

    /** Number of live (unexpired) entries; O(capacity), for metrics and tests. */
    public int size(long nowNs) {
        int n = 0;
        for (int i = 0; i < used.length; i++) {
            if (live(i, nowNs)) {
                n++;
            }
        }
        return n;
    }

    private int addRange(int slot, int start, int end) {
        if (end <= start) {
            return 0; // an empty fragment adds no bytes and so cannot overlap
        }
        int base = slot * MAX_RANGES;
        int count = rangeCount[slot];
        // Ranges are kept sorted and disjoint; find where [start, end) goes.
        int i = 0;
        while (i < count && rangeEnd[base + i] <= start) {
            if (rangeEnd[base + i] == start) {
                break; // touches the previous range: merge below
            }
            i++;
        }
        if (i < count && rangeStart[base + i] < end && start < rangeEnd[base + i]) {
            return OVERLAP;
        }
        if (i + 1 < count && rangeStart[base + i + 1] < end) {
            return OVERLAP;
        }
        boolean joinsLeft = i < count && rangeEnd[base + i] == start;
        int right = joinsLeft ? i + 1 : i;
        boolean joinsRight = right < count && rangeStart[base + right] == end;
        if (joinsLeft && joinsRight) {
            rangeEnd[base + i] = rangeEnd[base + right];
            removeRange(base, right, count);
            rangeCount[slot] = count - 1;
        } else if (joinsLeft) {
            rangeEnd[base + i] = end;
        } else if (joinsRight) {
            rangeStart[base + right] = start;
        } else {
            if (count == MAX_RANGES) {
                return TOO_MANY_RANGES;
            }
            System.arraycopy(rangeStart, base + i, rangeStart, base + i + 1, count - i);
            System.arraycopy(rangeEnd, base + i, rangeEnd, base + i + 1, count - i);
            rangeStart[base + i] = start;
            rangeEnd[base + i] = end;
            rangeCount[slot] = count + 1;
        }
        return 0;
    }

    private void removeRange(int base, int index, int count) {
        System.arraycopy(rangeStart, base + index + 1, rangeStart, base + index, count - index - 1);
        System.arraycopy(rangeEnd, base + index + 1, rangeEnd, base + index, count - index - 1);
    }

    private int find(int src, int dst, int key, long nowNs) {
        int first = setOf(src, dst, key) * WAYS;
        for (int way = 0; way < WAYS; way++) {
            int slot = first + way;
            if (live(slot, nowNs) && this.src[slot] == src && this.dst[slot] == dst && protoId[slot] == key) {
                return slot;
            }
        }
        return -1;
    }

    /** A free or expired way of the key's set, else the one expiring soonest. */
    private int victim(int src, int dst, int key, long nowNs) {
        int first = setOf(src, dst, key) * WAYS;
        int best = first;
        for (int way = 0; way < WAYS; way++) {
            int slot = first + way;
            if (!live(slot, nowNs)) {
                return slot;
            }
            if (expiresNs[slot] - expiresNs[best] < 0) {
                best = slot;
            }
        }
        return best;
    }

    private boolean live(int slot, long nowNs) {
        return used[slot] && nowNs - expiresNs[slot] < 0;
    }

    private int setOf(int src, int dst, int key) {
        int h = src * 0x9E3779B1 ^ Integer.rotateLeft(dst * 0x85EBCA77, 13) ^ key * 0xC2B2AE3D;
        h ^= h >>> 16;
        return h & setMask;
    }

    private static int key(int proto, int id) {
        return (proto & 0xFF) << 16 | (id & 0xFFFF);
    }
}
