package io.ringwall.conntrack;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Fixed-capacity flow store as struct-of-arrays: dense per-slot primitive arrays plus an open-addressing
 * (linear probing, backward-shift deletion) index of (hash, slot) pairs. A lookup touches one index cell per
 * probe (the hash is in the cell) and one packed key record (40 bytes) per hash match: about two cache misses. Slots are stable while a flow lives,
 * so the data plane may hold a slot between {@code classify} and the verdict. Nothing allocates after
 * construction. One writer (the data-plane loop); {@link #forEach} and {@link #describe} are for the control plane.
 *
 * <p>Per-direction arrays are indexed {@code slot * 2 + dir} with dir 0 = original (from the flow's originator),
 * 1 = reply.
 */
public final class FlowTable {
    public static final int DIR_ORIGINAL = 0;
    public static final int DIR_REPLY = 1;

    static final int META_USED = 1;
    static final int META_ORIGIN_SWAPPED = 1 << 1; // the originator is endpoint B of the normalized key
    static final int META_REPLIED = 1 << 2;
    /** Replication: peers got the full record of this active flow (cleared on insert; local to this node). */
    static final int META_ANNOUNCED = 1 << 3;
    /** Replication: created by a {@code sync off} rule, so never sent to peers (its loss on failover is accepted). */
    static final int META_LOCAL = 1 << 4;
    private static final int STATE_SHIFT = 8;
    private static final int PROTO_SHIFT = 16;
    private static final int FAMILY_SHIFT = 24;

    private final String name;
    private final int capacity;
    private final int indexShift;
    private final int indexMask;
    /** symmetricHash << 32 | (slot + 1); 0 marks an empty index cell. */
    private final long[] index;

    static final int KEY_STRIDE = 5;
    /** Packed normalized keys, {@link #KEY_STRIDE} longs per slot: aHi, aLo, bHi, bLo, {@link FlowKey#tail()}. */
    final long[] keys;
    /** used/originSwapped/replied flags, state, protocol, family. */
    final int[] meta;
    /** One bit per slot, set while the slot is used: lets whole-table passes skip empty stretches. */
    private final long[] usedBits;
    /** symmetric hash while used; next free slot (or -1) while free. */
    final int[] hash;
    /** Translated (NAT) tuple, same normalized layout; zero while untranslated (roadmap). */
    final long[] natAHi, natALo, natBHi, natBLo;
    final int[] natPorts;
    final long[] version, createdNs, lastSeenNs;
    final long[] packets, bytes;
    /** TCP window state, both directions of a slot adjacent: td_end, td_maxend, td_maxwin, flags (see {@link TcpWindow}). */
    final int[] tcp;

    private int freeHead;
    private int size;
    int expiryCursor;
    int dropCursor;

    public FlowTable(String name, int capacity) {
        if (capacity < 1 || capacity > ConntrackConfig.MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity out of range: " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
        int bits = 32 - Integer.numberOfLeadingZeros(capacity * 2 - 1); // load factor <= 0.5
        bits = Math.max(bits, 1);
        indexShift = 32 - bits;
        indexMask = (1 << bits) - 1;
        index = new long[1 << bits];
        keys = new long[capacity * KEY_STRIDE];
        meta = new int[capacity]; hash = new int[capacity];
        usedBits = new long[(capacity + 63) >>> 6];
        natAHi = new long[capacity]; natALo = new long[capacity]; natBHi = new long[capacity]; natBLo = new long[capacity];
        natPorts = new int[capacity];
        version = new long[capacity]; createdNs = new long[capacity]; lastSeenNs = new long[capacity];
        packets = new long[capacity * 2]; bytes = new long[capacity * 2];
        tcp = new int[capacity * TcpWindow.SLOT_STRIDE];
        for (int i = 0; i < capacity; i++) {
            hash[i] = i + 1 < capacity ? i + 1 : -1;
        }
        freeHead = 0;
    }

    /** Exact heap bytes of the arrays per slot of capacity (index included), for the memory budget. */
    public double heapBytesPerSlot() {
        long longsPerSlot = 5 + 4 + 3 + 2 * 2;  // key record, NAT key, version/created/lastSeen, packets+bytes per dir
        long intsPerSlot = 3 + 4 * 2;           // meta, hash, natPorts; 4 window ints per dir
        long perSlot = 8 * longsPerSlot + 4 * intsPerSlot;
        long arrays = 16L * 24;                 // array headers
        return (perSlot * capacity + 8L * index.length + arrays) / (double) capacity;
    }

    public String name() { return name; }
    public int size() { return size; }
    public int capacity() { return capacity; }
    public boolean isFull() { return freeHead < 0; }

    // Fibonacci hashing of the symmetric hash: a store that owns few buckets holds keys whose low bits
    // agree, so the index position must depend on all bits.
    private int home(int h) {
        return (h * 0x9E37_79B9) >>> indexShift & indexMask;
    }

    public int lookup(FlowKey k) {
        int h = k.hash;
        long tag = (long) h << 32;
        int pos = home(h);
        for (int probe = 0; probe <= indexMask; probe++) {
            long e = index[pos];
            if (e == 0) {
                return -1;
            }
            if ((e & 0xFFFF_FFFF_0000_0000L) == tag) {
                int s = (int) e - 1;
                int b = s * KEY_STRIDE;
                if (keys[b + 1] == k.aLo && keys[b + 3] == k.bLo && keys[b] == k.aHi && keys[b + 2] == k.bHi
                        && keys[b + 4] == k.tail()) {
                    return s;
                }
            }
            pos = (pos + 1) & indexMask;
        }
        return -1;
    }

    /** Inserts a key that is not present; returns the fresh slot (all fields zeroed) or -1 when full. */
    int insert(FlowKey k, boolean originSwapped, int state) {
        int s = freeHead;
        if (s < 0) {
            return -1;
        }
        freeHead = hash[s];
        clearSlot(s);
        int b = s * KEY_STRIDE;
        keys[b] = k.aHi; keys[b + 1] = k.aLo; keys[b + 2] = k.bHi; keys[b + 3] = k.bLo; keys[b + 4] = k.tail();
        hash[s] = k.hash;
        meta[s] = META_USED | (originSwapped ? META_ORIGIN_SWAPPED : 0) | (state << STATE_SHIFT)
                | (k.protocol << PROTO_SHIFT) | (k.family << FAMILY_SHIFT);
        int pos = home(k.hash);
        while (index[pos] != 0) {
            pos = (pos + 1) & indexMask;
        }
        index[pos] = ((long) k.hash << 32) | (s + 1);
        usedBits[s >>> 6] |= 1L << s;
        size++;
        return s;
    }

    private void clearSlot(int s) {
        natAHi[s] = 0; natALo[s] = 0; natBHi[s] = 0; natBLo[s] = 0; natPorts[s] = 0;
        version[s] = 0; createdNs[s] = 0; lastSeenNs[s] = 0;
        for (int d = s * 2; d < s * 2 + 2; d++) {
            packets[d] = 0; bytes[d] = 0;
        }
        Arrays.fill(tcp, s * TcpWindow.SLOT_STRIDE, (s + 1) * TcpWindow.SLOT_STRIDE, 0);
    }

    /** Removes a used slot; returns false if the slot was not in use. */
    boolean remove(int s) {
        if (s < 0 || s >= capacity || !used(s)) {
            return false;
        }
        int i = home(hash[s]);
        while ((int) index[i] != s + 1) {
            i = (i + 1) & indexMask;
        }
        int j = i;
        while (true) { // backward-shift deletion keeps probe chains intact without tombstones
            j = (j + 1) & indexMask;
            long e = index[j];
            if (e == 0) {
                break;
            }
            int h = home((int) (e >>> 32));
            boolean staysPut = i <= j ? (i < h && h <= j) : (i < h || h <= j);
            if (!staysPut) {
                index[i] = e;
                i = j;
            }
        }
        index[i] = 0;
        meta[s] = 0;
        usedBits[s >>> 6] &= ~(1L << s);
        hash[s] = freeHead;
        freeHead = s;
        size--;
        return true;
    }

    /** Copies every field of {@code src}'s slot into a new slot here; -1 when full. Key must be absent here. */
    int insertCopy(FlowTable src, int ss, FlowKey scratch) {
        src.keyOf(ss, scratch);
        int s = insert(scratch, (src.meta[ss] & META_ORIGIN_SWAPPED) != 0, src.state(ss));
        if (s < 0) {
            return -1;
        }
        meta[s] = src.meta[ss] & ~META_ANNOUNCED; // the peers of the new store may never have seen the flow
        natAHi[s] = src.natAHi[ss]; natALo[s] = src.natALo[ss]; natBHi[s] = src.natBHi[ss]; natBLo[s] = src.natBLo[ss];
        natPorts[s] = src.natPorts[ss];
        version[s] = src.version[ss]; createdNs[s] = src.createdNs[ss]; lastSeenNs[s] = src.lastSeenNs[ss];
        System.arraycopy(src.packets, ss * 2, packets, s * 2, 2);
        System.arraycopy(src.bytes, ss * 2, bytes, s * 2, 2);
        System.arraycopy(src.tcp, ss * TcpWindow.SLOT_STRIDE, tcp, s * TcpWindow.SLOT_STRIDE, TcpWindow.SLOT_STRIDE);
        return s;
    }

    /** Fills {@code out} with the slot's normalized key ({@code swapped} = originator is endpoint B). */
    public void keyOf(int s, FlowKey out) {
        out.family = family(s);
        out.protocol = protocol(s);
        int b = s * KEY_STRIDE;
        out.aHi = keys[b]; out.aLo = keys[b + 1]; out.bHi = keys[b + 2]; out.bLo = keys[b + 3];
        out.aPort = ports(s) >>> 16; out.bPort = ports(s) & 0xFFFF;
        out.swapped = (meta[s] & META_ORIGIN_SWAPPED) != 0;
        out.hash = hash[s];
    }

    /** portA << 16 | portB of the normalized key. */
    int ports(int s) { return (int) (keys[s * KEY_STRIDE + 4] >>> 32); }
    public boolean used(int s) { return (meta[s] & META_USED) != 0; }

    /**
     * The first used slot at or after {@code from}, or {@link #capacity()} if there is none. Walks one bit per slot,
     * 64 at a time, so visiting every flow of a sparse table costs capacity / 64 steps, not capacity: whole-table
     * passes (bulk transfers, promotion and demotion of buckets) run on the node's only thread, often before the
     * JIT has compiled them.
     */
    public int nextUsed(int from) {
        if (from >= capacity) {
            return capacity;
        }
        int w = from >>> 6;
        long bits = usedBits[w] & (-1L << from);
        while (bits == 0) {
            if (++w == usedBits.length) {
                return capacity;
            }
            bits = usedBits[w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(bits);
    }
    /** The flow's symmetric hash (its bucket is this modulo the bucket count). */
    public int hashOf(int s) { return hash[s]; }
    public int tcpState(int s) { return state(s); }
    public int state(int s) { return (meta[s] >>> STATE_SHIFT) & 0xF; }
    void setState(int s, int state) { meta[s] = (meta[s] & ~(0xF << STATE_SHIFT)) | (state << STATE_SHIFT); }
    public int protocol(int s) { return (meta[s] >>> PROTO_SHIFT) & 0xFF; }
    public int family(int s) { return (meta[s] >>> FAMILY_SHIFT) & 0xFF; }
    public int symmetricHash(int s) { return hash[s]; }
    public boolean replied(int s) { return (meta[s] & META_REPLIED) != 0; }
    void setReplied(int s) { meta[s] |= META_REPLIED; }
    boolean announced(int s) { return (meta[s] & META_ANNOUNCED) != 0; }
    void setAnnounced(int s) { meta[s] |= META_ANNOUNCED; }
    /** True for a flow of a {@code sync off} rule: it is never replicated. */
    public boolean local(int s) { return (meta[s] & META_LOCAL) != 0; }
    void setLocal(int s) { meta[s] |= META_LOCAL; }
    boolean originSwapped(int s) { return (meta[s] & META_ORIGIN_SWAPPED) != 0; }
    public long lastSeenNs(int s) { return lastSeenNs[s]; }
    public long createdNs(int s) { return createdNs[s]; }
    public long version(int s) { return version[s]; }
    public long packets(int s, boolean dirOriginal) { return packets[s * 2 + (dirOriginal ? 0 : 1)]; }
    public long bytes(int s, boolean dirOriginal) { return bytes[s * 2 + (dirOriginal ? 0 : 1)]; }
    /** td_end / td_maxend / td_maxwin of one direction (exposed for diagnostics and tests). */
    public int windowEnd(int s, boolean dirOriginal) { return tcpField(s, dirOriginal, TcpWindow.END); }
    public int windowMaxEnd(int s, boolean dirOriginal) { return tcpField(s, dirOriginal, TcpWindow.MAX_END); }
    public int windowMax(int s, boolean dirOriginal) { return tcpField(s, dirOriginal, TcpWindow.MAX_WIN); }
    public int windowScale(int s, boolean dirOriginal) { return TcpWindow.scale(tcpField(s, dirOriginal, TcpWindow.FLAGS)); }

    private int tcpField(int s, boolean dirOriginal, int field) {
        return tcp[TcpWindow.base(s, dirOriginal ? DIR_ORIGINAL : DIR_REPLY) + field];
    }

    /** Longest distance of an entry from its home cell in the index (diagnostics: clustering shows here). */
    int maxProbeDistance() {
        int max = 0;
        for (int pos = 0; pos < index.length; pos++) {
            if (index[pos] != 0) {
                max = Math.max(max, (pos - home((int) (index[pos] >>> 32))) & indexMask);
            }
        }
        return max;
    }

    /** Visits every used slot (control plane only: O(capacity)). */
    public void forEach(IntConsumer slotVisitor) {
        for (int s = 0; s < capacity; s++) {
            if (used(s)) {
                slotVisitor.accept(s);
            }
        }
    }

    /** One line in the spirit of {@code conntrack -L}, original direction first. */
    public String describe(int s) {
        if (s < 0 || s >= capacity || !used(s)) {
            return "<free slot " + s + ">";
        }
        int fam = family(s);
        boolean sw = originSwapped(s);
        int k = s * KEY_STRIDE;
        String a = FlowText.address(fam, keys[k], keys[k + 1]);
        String b = FlowText.address(fam, keys[k + 2], keys[k + 3]);
        int pa = ports(s) >>> 16;
        int pb = ports(s) & 0xFFFF;
        String src = sw ? b : a, dst = sw ? a : b;
        int sport = sw ? pb : pa, dport = sw ? pa : pb;
        int p = protocol(s);
        return FlowText.protocolName(p) + " " + p + " " + FlowState.name(state(s))
                + " src=" + src + " dst=" + dst + " sport=" + sport + " dport=" + dport
                + " packets=" + packets[s * 2] + " bytes=" + bytes[s * 2]
                + " src=" + dst + " dst=" + src + " sport=" + dport + " dport=" + sport
                + " packets=" + packets[s * 2 + 1] + " bytes=" + bytes[s * 2 + 1]
                + (replied(s) ? "" : " [UNREPLIED]") + " version=" + version[s] + " store=" + name;
    }
}
