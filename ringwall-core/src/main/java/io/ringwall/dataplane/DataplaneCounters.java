package io.ringwall.dataplane;

import io.ringwall.wire.ParseError;

/**
 * Per-interface frame, byte and drop counters. Written only by the data-plane thread; other threads
 * read them through snapshots taken on that thread (values are plain longs).
 */
public final class DataplaneCounters {
    private final long[] rxFrames;
    private final long[] rxBytes;
    private final long[] txFrames;
    private final long[] txBytes;
    private final long[] forwarded;
    private final long[][] drops;
    private final long[][] parseErrors;
    private long arpRequests;
    private long neighboursFromPeers;

    public DataplaneCounters(int interfaceCount) {
        rxFrames = new long[interfaceCount];
        rxBytes = new long[interfaceCount];
        txFrames = new long[interfaceCount];
        txBytes = new long[interfaceCount];
        forwarded = new long[interfaceCount];
        drops = new long[interfaceCount][DropReason.count()];
        parseErrors = new long[interfaceCount][ParseError.COUNT];
    }

    void arpRequestSent() {
        arpRequests++;
    }

    /** ARP requests this node sent to resolve a next hop (first tries and retries; not gratuitous announcements). */
    public long arpRequestsSent() {
        return arpRequests;
    }

    void neighbourFromPeer() {
        neighboursFromPeers++;
    }

    /** Next hops learned from other cluster members' shared neighbour tables. */
    public long neighboursFromPeers() {
        return neighboursFromPeers;
    }

    void received(int ifIndex, int bytes) {
        rxFrames[ifIndex]++;
        rxBytes[ifIndex] += bytes;
    }

    void transmitted(int ifIndex, int bytes) {
        txFrames[ifIndex]++;
        txBytes[ifIndex] += bytes;
    }

    void countForwarded(int inIfIndex) {
        forwarded[inIfIndex]++;
    }

    void dropped(int ifIndex, DropReason reason) {
        drops[ifIndex][reason.ordinal()]++;
    }

    void malformed(int ifIndex, ParseError error) {
        drops[ifIndex][DropReason.MALFORMED.ordinal()]++;
        parseErrors[ifIndex][error.ordinal()]++;
    }

    public int interfaceCount() {
        return rxFrames.length;
    }

    public long rxFrames(int ifIndex) {
        return rxFrames[ifIndex];
    }

    public long rxBytes(int ifIndex) {
        return rxBytes[ifIndex];
    }

    public long txFrames(int ifIndex) {
        return txFrames[ifIndex];
    }

    public long txBytes(int ifIndex) {
        return txBytes[ifIndex];
    }

    public long forwarded(int ifIndex) {
        return forwarded[ifIndex];
    }

    public long drops(int ifIndex, DropReason reason) {
        return drops[ifIndex][reason.ordinal()];
    }

    public long parseErrors(int ifIndex, ParseError error) {
        return parseErrors[ifIndex][error.ordinal()];
    }

    private static long sum(long[] perInterface) {
        long total = 0;
        for (long v : perInterface) {
            total += v;
        }
        return total;
    }

    public long totalRxFrames() {
        return sum(rxFrames);
    }

    public long totalRxBytes() {
        return sum(rxBytes);
    }

    public long totalTxFrames() {
        return sum(txFrames);
    }

    public long totalForwarded() {
        return sum(forwarded);
    }

    /** Drops that mean something was refused or broken: not the frames of other hosts a switch floods to us. */
    public long totalRefused() {
        long total = 0;
        for (DropReason r : DropReason.values()) {
            if (r != DropReason.ARP_NOT_OURS && r != DropReason.NOT_FOR_US) {
                total += totalDrops(r);
            }
        }
        return total;
    }

    /** Sum over all interfaces. */
    public long totalDrops(DropReason reason) {
        long sum = 0;
        for (long[] perIf : drops) {
            sum += perIf[reason.ordinal()];
        }
        return sum;
    }
}
