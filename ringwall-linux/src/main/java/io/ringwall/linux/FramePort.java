package io.ringwall.linux;

import java.lang.foreign.MemorySegment;

/**
 * Where the driver loop takes frames from and puts them to. {@link PacketSocket} reads with
 * recvmsg today; a TPACKET_V3 ring can implement the same contract later without touching the loop.
 */
public interface FramePort extends AutoCloseable {
    /** A file descriptor that polls readable when {@link #receive} may return a frame. */
    int fd();

    /** Copies the next frame to offset 0 of {@code buf}; its length, or 0 if none is waiting. */
    int receive(MemorySegment buf);

    /** The offload header of the frame last returned by {@link #receive}; reused, do not keep. */
    VnetHeader lastHeader();

    /** Frames dropped on receive because the kernel could not describe their offload state. */
    long unsupportedOffloadDrops();

    /** Frames dropped on receive because they did not fit the caller's buffer. */
    long truncatedDrops();

    /**
     * Frames the kernel dropped before they could be read (the receive buffer was full), since the port opened; may
     * make a system call, so the driver asks now and then. -1: not known.
     */
    default long kernelDrops() {
        return 0;
    }

    /**
     * When the kernel received the frame last returned by {@link #receive} (CLOCK_REALTIME, ns), or 0 if not known: the
     * loop compares it with its own clock to tell how long the frame waited to be read.
     */
    default long lastKernelReceiveRealtimeNs() {
        return 0;
    }

    /** Whether {@link #lastKernelReceiveRealtimeNs} is known for every frame (the kernel timestamps this port's). */
    default boolean timestamped() {
        return false;
    }

    /** Queues a frame for transmission; false if it was not sent ({@link #lastSendErrno()} says why). */
    boolean send(MemorySegment frame, int length, int offloadFlags, VnetHeader header);

    int lastSendErrno();

    @Override
    void close();
}
