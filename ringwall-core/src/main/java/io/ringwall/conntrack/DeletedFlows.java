package io.ringwall.conntrack;

/**
 * Deletion records of active flows that ended (expired, closed, reopened, early-dropped) and that peers have not
 * been told about yet. Each is encoded when its flow is removed, because the slot and its key are reused at once.
 * Bounded, preallocated (removal happens on the packet path: no allocation); when full, the overflow flag asks
 * for a full sync, and backups that miss a deletion still expire the replica on its idle timeout.
 */
public final class DeletedFlows {
    private final byte[] records;
    private final int[] lengths;
    private int head;
    private int count;
    private boolean overflowed;

    DeletedFlows(int capacity) {
        records = new byte[capacity * FlowRecord.MAX_DELETE_BYTES];
        lengths = new int[capacity];
    }

    void add(FlowTable table, int slot) {
        if (count == lengths.length) {
            overflowed = true;
            return;
        }
        int i = (head + count) % lengths.length;
        int n = FlowRecord.encodeDelete(table, slot, records, i * FlowRecord.MAX_DELETE_BYTES);
        if (n > 0) {
            lengths[i] = n;
            count++;
        }
    }

    /** Copies the oldest deletion record to {@code dst[off..]} and drops it; its length, or 0 if none is queued. */
    public int poll(byte[] dst, int off) {
        if (count == 0) {
            return 0;
        }
        int n = lengths[head];
        System.arraycopy(records, head * FlowRecord.MAX_DELETE_BYTES, dst, off, n);
        head = (head + 1) % lengths.length;
        count--;
        return n;
    }

    public int size() {
        return count;
    }

    /** True once if deletions were lost to a full queue since the last call. */
    public boolean takeOverflow() {
        boolean o = overflowed;
        overflowed = false;
        return o;
    }
}
