package io.ringwall.linux;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Driver statistics. Written only by the driver loop thread (plain read + release write, so no
 * lock and no contended atomic per frame); any thread may read them for metrics.
 */
public final class DriverCounters {
    private static final int RX_FRAMES = 0;
    private static final int RX_BYTES = 1;
    private static final int TX_FRAMES = 2;
    private static final int TX_BYTES = 3;
    private static final int TX_DROPPED = 4;
    private static final int TX_ERRORS = 5;
    private static final int RX_GSO_FRAMES = 6;
    private static final int RX_CSUM_PARTIAL_FRAMES = 7;
    private static final int RX_KERNEL_DROPPED = 8;
    private static final int PER_INTERFACE = 9;
    private static final int GSO_DROPPED = 0;
    private static final int RX_TRUNCATED = 1;
    private static final int NODE_ERRORS = 2;
    private static final int LOOP_BREATHERS = 3;
    private static final int TOTALS = 4;

    private final int interfaceCount;
    private final AtomicLongArray perInterface;
    private final AtomicLongArray totals = new AtomicLongArray(TOTALS);

    DriverCounters(int interfaceCount) {
        this.interfaceCount = interfaceCount;
        this.perInterface = new AtomicLongArray(interfaceCount * PER_INTERFACE);
    }

    private static void add(AtomicLongArray array, int index, long delta) {
        array.setRelease(index, array.getPlain(index) + delta);
    }

    private void addInterface(int ifIndex, int field, long delta) {
        add(perInterface, ifIndex * PER_INTERFACE + field, delta);
    }

    private long interfaceValue(int ifIndex, int field) {
        return perInterface.getAcquire(ifIndex * PER_INTERFACE + field);
    }

    void received(int ifIndex, int length, int offloadFlags) {
        addInterface(ifIndex, RX_FRAMES, 1);
        addInterface(ifIndex, RX_BYTES, length);
        if ((offloadFlags & io.ringwall.node.Offload.GSO) != 0) {
            addInterface(ifIndex, RX_GSO_FRAMES, 1);
        }
        if ((offloadFlags & io.ringwall.node.Offload.CSUM_PARTIAL) != 0) {
            addInterface(ifIndex, RX_CSUM_PARTIAL_FRAMES, 1);
        }
    }

    void sent(int ifIndex, int length) {
        addInterface(ifIndex, TX_FRAMES, 1);
        addInterface(ifIndex, TX_BYTES, length);
    }

    void countTxDropped(int ifIndex) {
        addInterface(ifIndex, TX_DROPPED, 1);
    }

    void rxKernelDropped(int ifIndex, long count) {
        addInterface(ifIndex, RX_KERNEL_DROPPED, count);
    }

    void countTxError(int ifIndex) {
        addInterface(ifIndex, TX_ERRORS, 1);
    }

    void gsoDropped(long count) {
        add(totals, GSO_DROPPED, count);
    }

    void rxTruncated(long count) {
        add(totals, RX_TRUNCATED, count);
    }

    void nodeError() {
        add(totals, NODE_ERRORS, 1);
    }

    void loopBreather() {
        add(totals, LOOP_BREATHERS, 1);
    }

    public int interfaceCount() { return interfaceCount; }
    public long rxFrames(int ifIndex) { return interfaceValue(ifIndex, RX_FRAMES); }
    public long rxBytes(int ifIndex) { return interfaceValue(ifIndex, RX_BYTES); }
    public long txFrames(int ifIndex) { return interfaceValue(ifIndex, TX_FRAMES); }
    public long txBytes(int ifIndex) { return interfaceValue(ifIndex, TX_BYTES); }
    /** Frames not sent because the kernel queue was full (EAGAIN / ENOBUFS). */
    public long txDropped(int ifIndex) { return interfaceValue(ifIndex, TX_DROPPED); }
    /** Frames the kernel refused (bad length, bad offload header, interface down, bad ifIndex). */
    public long txErrors(int ifIndex) { return interfaceValue(ifIndex, TX_ERRORS); }
    /** Frames the kernel dropped before the loop read them (the socket's receive buffer was full). */
    public long rxKernelDropped(int ifIndex) { return interfaceValue(ifIndex, RX_KERNEL_DROPPED); }
    public long rxGsoFrames(int ifIndex) { return interfaceValue(ifIndex, RX_GSO_FRAMES); }
    public long rxCsumPartialFrames(int ifIndex) { return interfaceValue(ifIndex, RX_CSUM_PARTIAL_FRAMES); }
    /** Received frames with a GSO type the driver cannot pass through (UDP, UDP_L4, TCPv6, ...). */
    public long gsoDropped() { return totals.getAcquire(GSO_DROPPED); }
    public long rxTruncated() { return totals.getAcquire(RX_TRUNCATED); }
    /** Frames on which the node threw; the loop survives them. */
    public long nodeErrors() { return totals.getAcquire(NODE_ERRORS); }
    /** Short sleeps of a SCHED_FIFO loop that had worked 1 ms without a wait (keeps the real-time budget). */
    public long loopBreathers() { return totals.getAcquire(LOOP_BREATHERS); }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("counters[");
        for (int i = 0; i < interfaceCount; i++) {
            text.append(" if").append(i).append(" rx=").append(rxFrames(i)).append('/').append(rxBytes(i))
                    .append(" tx=").append(txFrames(i)).append('/').append(txBytes(i))
                    .append(" gsoRx=").append(rxGsoFrames(i)).append(" rxKernelDropped=").append(rxKernelDropped(i))
                    .append(" txDropped=").append(txDropped(i))
                    .append(" txErrors=").append(txErrors(i));
        }
        return text.append(" gsoDropped=").append(gsoDropped()).append(" truncated=").append(rxTruncated())
                .append(" nodeErrors=").append(nodeErrors()).append(" loopBreathers=").append(loopBreathers())
                .append(" ]").toString();
    }
}
