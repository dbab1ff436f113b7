package io.ringwall.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A raw AF_PACKET socket bound to one device: nonblocking, blind to its own transmissions
 * (PACKET_IGNORE_OUTGOING), and with PACKET_VNET_HDR so GSO super-frames and CHECKSUM_PARTIAL
 * packets arrive with their offload state instead of as oversized frames with bad checksums.
 * All native memory is allocated once in {@link #open}; receive and send allocate nothing.
 * Use from one thread at a time.
 */
public final class PacketSocket implements FramePort {
    /** Largest frame accepted: a 64 KiB GSO super-frame plus Ethernet and VLAN headers. */
    public static final int MAX_FRAME_BYTES = 65536 + 64;
    /** Kernel socket buffer asked for in each direction; large so bursts are not dropped. */
    public static final int SOCKET_BUFFER_BYTES = 8 * 1024 * 1024;
    /** Frames skipped (truncated / unsupported offload) within one receive call before it yields. */
    private static final int MAX_SKIPS_PER_RECEIVE = 16;
    private static final int SOCKADDR_LL_BYTES = 20;
    private static final int MSGHDR_BYTES = 56;
    private static final int MSGHDR_IOV = 16;
    private static final int MSGHDR_IOVLEN = 24;
    private static final int MSGHDR_FLAGS = 48;
    private static final int MSGHDR_CONTROL = 32;
    /** struct cmsghdr on x86_64 and aarch64: size_t cmsg_len, int cmsg_level, int cmsg_type. */
    private static final int CMSG_HEADER_BYTES = 16;
    private static final int MSGHDR_CONTROLLEN = 40;
    /** Room for one control message: struct cmsghdr (16 bytes) and the struct timespec of SO_TIMESTAMPNS (16). */
    static final int RX_CONTROL_BYTES = 64;
    private static final int IOVEC_BYTES = 16;
    private static final int TPACKET_STATS_BYTES = 8;
    private static final int TP_DROPS = 4;

    private final String device;
    private final int ifIndex;
    private final int fd;
    private final Arena arena;
    private final MemorySegment errnoState;
    private final MemorySegment rxHeader;
    private final MemorySegment rxIov;
    private final MemorySegment rxMsg;
    private final MemorySegment rxStaging;
    private final MemorySegment txHeader;
    private final MemorySegment txIov;
    private final MemorySegment txMsg;
    private final MemorySegment txStaging;
    private final VnetHeader lastHeader = new VnetHeader();
    private long unsupportedOffloadDrops;
    private final MemorySegment rxControl;
    /** Whether the kernel timestamps this socket's frames (SO_TIMESTAMPNS was accepted). */
    private boolean timestamps;
    private long lastReceiveRealtimeNs;
    private long truncatedDrops;
    private long kernelDrops;
    /** struct tpacket_stats and its length, for {@link #kernelDrops}. */
    private final MemorySegment stats;
    private final MemorySegment statsLength;
    private int lastSendErrno;
    private boolean closed;

    private PacketSocket(String device, int ifIndex, int fd, Arena arena, MemorySegment errnoState) {
        this.device = device;
        this.ifIndex = ifIndex;
        this.fd = fd;
        this.arena = arena;
        this.errnoState = errnoState;
        this.stats = arena.allocate(TPACKET_STATS_BYTES, 4);
        this.statsLength = arena.allocate(ValueLayout.JAVA_INT);
        this.rxHeader = arena.allocate(VnetHeader.BYTES, 8);
        this.rxIov = arena.allocate(2 * IOVEC_BYTES, 8);
        this.rxMsg = arena.allocate(MSGHDR_BYTES, 8);
        this.rxControl = arena.allocate(RX_CONTROL_BYTES, 8);
        this.rxStaging = arena.allocate(MAX_FRAME_BYTES, 64);
        this.txHeader = arena.allocate(VnetHeader.BYTES, 8);
        this.txIov = arena.allocate(2 * IOVEC_BYTES, 8);
        this.txMsg = arena.allocate(MSGHDR_BYTES, 8);
        this.txStaging = arena.allocate(MAX_FRAME_BYTES, 64);
        prepareMessage(rxMsg, rxIov, rxHeader);
        rxMsg.set(ValueLayout.ADDRESS, MSGHDR_CONTROL, rxControl);
        prepareMessage(txMsg, txIov, txHeader);
    }

    private static void prepareMessage(MemorySegment msg, MemorySegment iov, MemorySegment header) {
        iov.set(ValueLayout.ADDRESS, 0, header);
        iov.set(ValueLayout.JAVA_LONG, 8, VnetHeader.BYTES);
        msg.set(ValueLayout.ADDRESS, MSGHDR_IOV, iov);
        msg.set(ValueLayout.JAVA_LONG, MSGHDR_IOVLEN, 2);
    }

    /** Opens a packet socket on {@code device}; throws {@link NoSuchDeviceException} or {@link ErrnoException}. */
    public static PacketSocket open(String device) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment errnoState = Libc.newErrnoState(arena);
            int ifIndex = InterfaceInfo.indexOf(device, arena, errnoState);
            // Protocol 0 first: the socket receives nothing until it is bound to one device below,
            // so no frame of another interface can slip in between socket() and bind().
            int fd = Libc.socket(errnoState, Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new ErrnoException("open packet socket on " + device, "socket", Libc.errno(errnoState));
            }
            PacketSocket socket = new PacketSocket(device, ifIndex, fd, arena, errnoState);
            try {
                socket.configure();
            } catch (RuntimeException e) {
                socket.close();
                throw e;
            }
            return socket;
        } catch (RuntimeException e) {
            if (arena.scope().isAlive()) {
                arena.close();
            }
            throw e;
        }
    }

    private void configure() {
        MemorySegment one = arena.allocate(ValueLayout.JAVA_INT);
        one.set(ValueLayout.JAVA_INT, 0, 1);
        setOption(Libc.SOL_PACKET, Libc.PACKET_VNET_HDR, one, "PACKET_VNET_HDR");
        setOption(Libc.SOL_PACKET, Libc.PACKET_IGNORE_OUTGOING, one, "PACKET_IGNORE_OUTGOING");
        // Optional: without it the loop just cannot tell how long a frame waited in the socket.
        timestamps = Libc.setsockopt(errnoState, fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPNS, one, 4) == 0;
        MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
        size.set(ValueLayout.JAVA_INT, 0, SOCKET_BUFFER_BYTES);
        // The FORCE variants exceed net.core.[rw]mem_max but need CAP_NET_ADMIN; fall back politely.
        if (Libc.setsockopt(errnoState, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, size, 4) != 0) {
            setOption(Libc.SOL_SOCKET, Libc.SO_RCVBUF, size, "SO_RCVBUF");
        }
        if (Libc.setsockopt(errnoState, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, size, 4) != 0) {
            setOption(Libc.SOL_SOCKET, Libc.SO_SNDBUF, size, "SO_SNDBUF");
        }
        MemorySegment address = arena.allocate(SOCKADDR_LL_BYTES, 8);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_PACKET);
        address.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) Libc.ETH_P_ALL);
        address.set(ValueLayout.JAVA_INT, 4, ifIndex);
        if (Libc.bind(errnoState, fd, address, SOCKADDR_LL_BYTES) != 0) {
            throw new ErrnoException("bind packet socket to " + device, "bind", Libc.errno(errnoState));
        }
    }

    private void setOption(int level, int name, MemorySegment value, String optionName) {
        if (Libc.setsockopt(errnoState, fd, level, name, value, (int) value.byteSize()) != 0) {
            throw new ErrnoException("set " + optionName + " on " + device, "setsockopt", Libc.errno(errnoState));
        }
    }

    @Override
    public int fd() {
        return fd;
    }

    public String device() {
        return device;
    }

    public int ifIndex() {
        return ifIndex;
    }

    @Override
    public int receive(MemorySegment buf) {
        MemorySegment target = buf.isNative() ? buf : rxStaging;
        long capacity = Math.min(buf.byteSize(), MAX_FRAME_BYTES);
        rxIov.set(ValueLayout.ADDRESS, IOVEC_BYTES, target);
        rxIov.set(ValueLayout.JAVA_LONG, IOVEC_BYTES + 8, capacity);
        for (int skips = 0; skips < MAX_SKIPS_PER_RECEIVE; skips++) {
            rxMsg.set(ValueLayout.JAVA_INT, MSGHDR_FLAGS, 0);
            rxMsg.set(ValueLayout.JAVA_LONG, MSGHDR_CONTROLLEN, timestamps ? RX_CONTROL_BYTES : 0);
            long n = Libc.recvmsg(errnoState, fd, rxMsg, Libc.MSG_TRUNC | Libc.MSG_DONTWAIT);
            if (n < 0) {
                int errno = Libc.errno(errnoState);
                if (errno == Libc.EINVAL) {
                    // The kernel dequeued a frame whose GSO type virtio_net_hdr cannot express.
                    unsupportedOffloadDrops++;
                    continue;
                }
                if (errno == Libc.EAGAIN || errno == Libc.EINTR || errno == Libc.ENETDOWN) {
                    return 0;
                }
                throw new ErrnoException("receive on " + device, "recvmsg", errno);
            }
            long frameLength = n - VnetHeader.BYTES;
            if (frameLength > capacity || (rxMsg.get(ValueLayout.JAVA_INT, MSGHDR_FLAGS) & Libc.MSG_TRUNC) != 0) {
                truncatedDrops++;
                continue;
            }
            if (frameLength <= 0) {
                continue;
            }
            lastHeader.readFrom(rxHeader);
            lastReceiveRealtimeNs = timestamps
                    ? receiveTimestampNs(rxControl, rxMsg.get(ValueLayout.JAVA_LONG, MSGHDR_CONTROLLEN)) : 0;
            if (target != buf) {
                MemorySegment.copy(rxStaging, 0, buf, 0, frameLength);
            }
            return (int) frameLength;
        }
        return 0;
    }

    @Override
    public VnetHeader lastHeader() {
        return lastHeader;
    }

    @Override
    public long lastKernelReceiveRealtimeNs() {
        return lastReceiveRealtimeNs;
    }

    @Override
    public boolean timestamped() {
        return timestamps;
    }

    /**
     * The SO_TIMESTAMPNS time in the control messages recvmsg wrote ({@code length} bytes of {@code control}), in ns
     * since the epoch; 0 if there is none (the option is off, or the kernel sent another message first).
     */
    static long receiveTimestampNs(MemorySegment control, long length) {
        if (length < CMSG_HEADER_BYTES + 16 || length > control.byteSize()) {
            return 0;
        }
        long cmsgLength = control.get(ValueLayout.JAVA_LONG, 0);
        int level = control.get(ValueLayout.JAVA_INT, 8);
        int type = control.get(ValueLayout.JAVA_INT, 12);
        if (level != Libc.SOL_SOCKET || type != Libc.SO_TIMESTAMPNS || cmsgLength < CMSG_HEADER_BYTES + 16) {
            return 0;
        }
        long seconds = control.get(ValueLayout.JAVA_LONG, CMSG_HEADER_BYTES);
        long nanos = control.get(ValueLayout.JAVA_LONG, CMSG_HEADER_BYTES + 8);
        return seconds * 1_000_000_000L + nanos;
    }

    @Override
    public long unsupportedOffloadDrops() {
        return unsupportedOffloadDrops;
    }

    @Override
    public long truncatedDrops() {
        return truncatedDrops;
    }

    /**
     * Frames the kernel dropped before this socket read them (its receive buffer was full), since the socket was
     * opened. Asks the kernel (PACKET_STATISTICS, which resets its count), so call it now and then, not per frame;
     * -1 if the kernel would not say.
     */
    @Override
    public long kernelDrops() {
        statsLength.set(ValueLayout.JAVA_INT, 0, TPACKET_STATS_BYTES);
        if (Libc.getsockopt(errnoState, fd, Libc.SOL_PACKET, Libc.PACKET_STATISTICS, stats, statsLength) != 0) {
            return -1;
        }
        kernelDrops += Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, TP_DROPS));
        return kernelDrops;
    }

    /**
     * Sends without blocking. {@code offloadFlags == 0} sends a zero vnet header (no offload);
     * otherwise {@code header} (normally the received frame's) is replayed so the kernel segments
     * and checksums on transmit. Returns false if the kernel refused the frame: EAGAIN/ENOBUFS
     * mean the queue is full, anything else that the frame is bad; see {@link #lastSendErrno()}.
     */
    @Override
    public boolean send(MemorySegment frame, int length, int offloadFlags, VnetHeader header) {
        if (length <= 0 || length > MAX_FRAME_BYTES || length > frame.byteSize()) {
            lastSendErrno = Libc.EINVAL;
            return false;
        }
        if (offloadFlags == 0 || header == null) {
            txHeader.fill((byte) 0);
        } else {
            header.writeTo(txHeader);
        }
        MemorySegment source = frame;
        if (!frame.isNative()) {
            MemorySegment.copy(frame, 0, txStaging, 0, length);
            source = txStaging;
        }
        txIov.set(ValueLayout.ADDRESS, IOVEC_BYTES, source);
        txIov.set(ValueLayout.JAVA_LONG, IOVEC_BYTES + 8, length);
        long n = Libc.sendmsg(errnoState, fd, txMsg, Libc.MSG_DONTWAIT);
        if (n < 0) {
            lastSendErrno = Libc.errno(errnoState);
            return false;
        }
        lastSendErrno = 0;
        return true;
    }

    @Override
    public int lastSendErrno() {
        return lastSendErrno;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(errnoState, fd);
        arena.close();
    }
}
