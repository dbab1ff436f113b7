package io.ringwall.dataplane;

import io.ringwall.wire.ByteArrays;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.NativeFrames;
import java.lang.foreign.MemorySegment;

/**
 * The fallback of SPEC §5.1: a frame whose bucket owner cannot be reached on the segment it arrived on goes to the
 * owner encapsulated in cluster datagrams (sealed by the message layer), and the owner processes it as if it had
 * arrived on the interface it carries. A frame is split into at most {@link #MAX_PARTS} parts; the receiver joins
 * them in {@link #SLOTS_PER_PEER} preallocated slots per peer. One part, big-endian:
 * <pre>
 *  0 version = 1 (1)   1 interface index (1)   2 part index (1)   3 part count 1..MAX_PARTS (1)
 *  4 frame id (4): the sender's counter, the same in every part of one frame
 *  8 frame length (2)  10 part offset in the frame (2)
 * 12 offload flags of the frame as it arrived (4)
 * 16 part bytes (at least one; offset + bytes &lt;= frame length)
 * </pre>
 * A part that does not parse, names an unknown interface or does not fit its frame is dropped and counted; a frame
 * missing parts {@link #REASSEMBLY_TIMEOUT_NS} after its first part arrived, or evicted for a newer one when its
 * peer's slots are all in use, is counted incomplete. Nothing here throws on input and nothing allocates per frame.
 * Single-threaded, like the pipeline.
 */
public final class FrameTunnel {
    public static final int VERSION = 1;
    public static final int HEADER = 16;
    /** Parts per frame: a 9000-byte MTU frame fits in 8 parts of the default 1200-byte cluster packet. */
    public static final int MAX_PARTS = 8;
    /**
     * Frames being joined at once per sending peer. One would do for a path that keeps order; a burst of frames
     * whose parts a network reorders (the simulator's jitter does) needs one per frame in flight.
     */
    public static final int SLOTS_PER_PEER = 32;
    /** A frame whose parts have not all arrived this long after the first is given up. */
    public static final long REASSEMBLY_TIMEOUT_NS = 100_000_000L;
    /** The frame length field is 16 bits. */
    private static final int MAX_LENGTH_FIELD = 0xFFFF;

    static final int OFF_VERSION = 0, OFF_IF = 1, OFF_INDEX = 2, OFF_COUNT = 3, OFF_ID = 4, OFF_LENGTH = 8,
            OFF_OFFSET = 10, OFF_OFFLOAD = 12;

    private static final byte FREE = 0, FILLING = 1, READY = 2;

    /** Sends one part to {@code node} over the cluster (not over {@code ifIndex} when there is another path). */
    @FunctionalInterface
    public interface PartSender {
        boolean send(int node, int ifIndex, byte[] part, int length);
    }

    /** Receives a joined frame; {@code frame} is only valid during the call. */
    @FunctionalInterface
    public interface FrameSink {
        void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags);
    }

    private final int interfaces;
    private final int maxFrameBytes;
    private final int partBytes;
    private final PartSender sender;
    private final byte[] part;
    private int nextFrameId;

    private final MemorySegment[] segments;
    private final byte[] state;
    private final int[] frameId;
    private final int[] ifIndex;
    private final int[] length;
    private final int[] count;
    private final int[] received;
    private final int[] bytes;
    private final int[] offload;
    private final long[] startedNs;
    /** Slots joined and waiting for {@link #drain}, in completion order. */
    private final int[] ready;
    private int readyCount;

    private long encapsulated;
    private long partsSent;
    private long tooLarge;
    private long decapsulated;
    private long partsDropped;
    private long incomplete;

    /**
     * @param nodes          cluster members (node ids 0..nodes-1)
     * @param interfaces     interfaces of this node: a part naming another is dropped
     * @param maxFrameBytes  the largest frame an interface carries (MTU plus link headers)
     * @param maxPartBytes   the largest datagram the message layer carries (header included)
     */
    public FrameTunnel(int nodes, int interfaces, int maxFrameBytes, int maxPartBytes, PartSender sender) {
        if (maxPartBytes <= HEADER || nodes < 1 || interfaces < 1) {
            throw new IllegalArgumentException("tunnel needs nodes, interfaces and parts larger than " + HEADER);
        }
        this.interfaces = Math.min(interfaces, 256);
        this.partBytes = maxPartBytes - HEADER;
        this.maxFrameBytes = Math.min(Math.min(maxFrameBytes, MAX_LENGTH_FIELD), partBytes * MAX_PARTS);
        this.sender = sender;
        this.part = new byte[maxPartBytes];
        int slots = nodes * SLOTS_PER_PEER;
        segments = new MemorySegment[slots];
        MemorySegment all = NativeFrames.allocate((long) slots * this.maxFrameBytes);
        for (int s = 0; s < slots; s++) {
            segments[s] = all.asSlice((long) s * this.maxFrameBytes, this.maxFrameBytes);
        }
        state = new byte[slots];
        frameId = new int[slots];
        ifIndex = new int[slots];
        length = new int[slots];
        count = new int[slots];
        received = new int[slots];
        bytes = new int[slots];
        offload = new int[slots];
        startedNs = new long[slots];
        ready = new int[slots];
    }

    /** The largest frame that travels (larger ones are counted {@link #tooLarge()} and not sent). */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    // ------------------------------------------------------------ sending

    /**
     * Splits {@code frame[0, frameLength)}, which arrived on {@code arrivedOn}, into parts and sends them to
     * {@code node}. False (nothing or not everything sent: the caller handles the frame) if it is too large or a
     * part could not be sent.
     */
    public boolean send(int node, int arrivedOn, MemorySegment frame, int frameLength, int offloadFlags) {
        if (frameLength < EthernetFrame.HEADER_LENGTH || frameLength > maxFrameBytes || arrivedOn < 0
                || arrivedOn >= interfaces) {
            tooLarge++;
            return false;
        }
        int parts = (frameLength + partBytes - 1) / partBytes;
        int id = nextFrameId++;
        part[OFF_VERSION] = VERSION;
        part[OFF_IF] = (byte) arrivedOn;
        part[OFF_COUNT] = (byte) parts;
        ByteArrays.putInt(part, OFF_ID, id);
        ByteArrays.putShort(part, OFF_LENGTH, frameLength);
        ByteArrays.putInt(part, OFF_OFFLOAD, offloadFlags);
        for (int i = 0; i < parts; i++) {
            int offset = i * partBytes;
            int n = Math.min(partBytes, frameLength - offset);
            part[OFF_INDEX] = (byte) i;
            ByteArrays.putShort(part, OFF_OFFSET, offset);
            NativeFrames.copyOut(frame, offset, part, HEADER, n);
            if (!sender.send(node, arrivedOn, part, HEADER + n)) {
                return false;
            }
            partsSent++;
        }
        encapsulated++;
        return true;
    }

    // ------------------------------------------------------------ receiving

    /** One part from {@code peer}; a frame it completes waits for {@link #drain}. Never throws. */
    public void onPart(long nowNs, int peer, byte[] data, int off, int len) {
        if (peer < 0 || (peer + 1) * SLOTS_PER_PEER > state.length || data == null || off < 0 || len <= HEADER
                || off + len > data.length || data[off + OFF_VERSION] != VERSION) {
            partsDropped++;
            return;
        }
        int itf = data[off + OFF_IF] & 0xFF;
        int index = data[off + OFF_INDEX] & 0xFF;
        int parts = data[off + OFF_COUNT] & 0xFF;
        int id = ByteArrays.getInt(data, off + OFF_ID);
        int frameLength = ByteArrays.getShort(data, off + OFF_LENGTH);
        int offset = ByteArrays.getShort(data, off + OFF_OFFSET);
        int flags = ByteArrays.getInt(data, off + OFF_OFFLOAD);
        int n = len - HEADER;
        if (itf >= interfaces || parts < 1 || parts > MAX_PARTS || index >= parts
                || frameLength < EthernetFrame.HEADER_LENGTH || frameLength > maxFrameBytes
                || offset + n > frameLength) {
            partsDropped++;
            return;
        }
        int slot = slotFor(nowNs, peer, id);
        if (slot < 0) {
            partsDropped++;
            return;
        }
        if (state[slot] == FREE) {
            state[slot] = FILLING;
            frameId[slot] = id;
            ifIndex[slot] = itf;
            length[slot] = frameLength;
            count[slot] = parts;
            offload[slot] = flags;
            received[slot] = 0;
            bytes[slot] = 0;
            startedNs[slot] = nowNs;
        } else if (ifIndex[slot] != itf || length[slot] != frameLength || count[slot] != parts
                || offload[slot] != flags || (received[slot] & 1 << index) != 0) {
            partsDropped++; // a duplicate, or a part that contradicts its frame's first
            return;
        }
        NativeFrames.copyIn(data, off + HEADER, segments[slot], offset, n);
        received[slot] |= 1 << index;
        bytes[slot] += n;
        if (received[slot] == (1 << parts) - 1) {
            if (bytes[slot] == frameLength) {
                state[slot] = READY;
                ready[readyCount++] = slot;
            } else {
                free(slot); // every part came but they do not cover the frame
                incomplete++;
            }
        }
    }

    /** A part the caller would not hand over (its sender runs another configuration): counted as dropped. */
    public void refusePart() {
        partsDropped++;
    }

    /**
     * The slot joining {@code id} from {@code peer}, else a free one, else the oldest one joining (given up). The same
     * pass first gives up every frame of that peer that has been joining for longer than the reassembly timeout.
     */
    private int slotFor(long nowNs, int peer, int id) {
        int match = -1;
        int free = -1;
        int oldest = -1;
        for (int s = peer * SLOTS_PER_PEER; s < (peer + 1) * SLOTS_PER_PEER; s++) {
            if (state[s] == FILLING && nowNs - startedNs[s] > REASSEMBLY_TIMEOUT_NS) {
                free(s);
                incomplete++;
            }
            if (state[s] == FILLING && frameId[s] == id) {
                match = s;
            } else if (state[s] == FREE && free < 0) {
                free = s;
            } else if (state[s] == FILLING && (oldest < 0 || startedNs[s] - startedNs[oldest] < 0)) {
                oldest = s;
            }
        }
        if (match >= 0 || free >= 0 || oldest < 0) {
            return match >= 0 ? match : free;
        }
        free(oldest);
        incomplete++;
        return oldest;
    }

    private void free(int slot) {
        state[slot] = FREE;
    }

    /** Hands every joined frame to {@code sink}, oldest first, and frees its slot. */
    public void drain(long nowNs, FrameSink sink) {
        for (int i = 0; i < readyCount; i++) {
            int s = ready[i];
            decapsulated++;
            sink.onFrame(nowNs, ifIndex[s], segments[s], length[s], offload[s]);
            free(s);
        }
        readyCount = 0;
    }

    /** Frames joined and waiting for {@link #drain}. */
    public int readyFrames() {
        return readyCount;
    }

    // ------------------------------------------------------------ counters

    /** Frames sent to their bucket's owner encapsulated over the cluster link. */
    public long encapsulated() {
        return encapsulated;
    }

    /** Parts of those frames sent. */
    public long partsSent() {
        return partsSent;
    }

    /** Frames that could not be encapsulated (larger than {@link #maxFrameBytes}): handled here instead. */
    public long tooLarge() {
        return tooLarge;
    }

    /** Encapsulated frames received whole and processed here. */
    public long decapsulated() {
        return decapsulated;
    }

    /** Parts received and dropped: malformed, for an unknown interface, duplicates, or no slot free. */
    public long partsDropped() {
        return partsDropped;
    }

    /** Frames given up with parts missing (timed out or evicted for a newer frame). */
    public long incomplete() {
        return incomplete;
    }
}
