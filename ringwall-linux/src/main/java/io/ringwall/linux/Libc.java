package io.ringwall.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the driver needs, bound with the FFM API (no JNI). Every call that can
 * fail takes an errno capture segment ({@link #newErrnoState}) as its first argument, because
 * errno must be captured by the linker right after the call, before the JVM runs anything else.
 */
final class Libc {
    static final int AF_INET = 2;
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    /** Kernel receive time of each frame as a control message (struct timespec, CLOCK_REALTIME); also its cmsg type. */
    static final int SO_TIMESTAMPNS = 35;
    static final int SOL_PACKET = 263;
    static final int PACKET_VNET_HDR = 15;
    static final int PACKET_IGNORE_OUTGOING = 23;
    /** struct tpacket_stats {tp_packets, tp_drops}; reading it resets both. */
    static final int PACKET_STATISTICS = 6;
    static final int ETH_P_ALL = 0x0003;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENETDOWN = 100;
    static final int ENOBUFS = 105;
    static final int EOPNOTSUPP = 95;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = capturing("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = capturing("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle SETSOCKOPT =
            capturing("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle GETSOCKOPT =
            capturing("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR));
    private static final MethodHandle RECVMSG = capturing("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle SENDMSG = capturing("sendmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle PPOLL = capturing("ppoll", FunctionDescriptor.of(INT, PTR, LONG, PTR, PTR));
    private static final MethodHandle CLOSE = capturing("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle GETTID = capturing("gettid", FunctionDescriptor.of(INT));
    private static final MethodHandle SETPRIORITY = capturing("setpriority", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SCHED_SETSCHEDULER =
            capturing("sched_setscheduler", FunctionDescriptor.of(INT, INT, INT, PTR));
    static final int SCHED_FIFO = 1;
    /** setpriority(2) "which" for one thread (a Linux thread is a task with its own nice value). */
    static final int PRIO_PROCESS = 0;
    private static final MethodHandle IF_NAMETOINDEX =
            capturing("if_nametoindex", FunctionDescriptor.of(INT, PTR));
    // ioctl is variadic: the third argument is passed as the first variadic one.
    private static final MethodHandle IOCTL = LINKER.downcallHandle(
            LOOKUP.find("ioctl").orElseThrow(), FunctionDescriptor.of(INT, INT, LONG, PTR),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LOOKUP.find("strerror").orElseThrow(), FunctionDescriptor.of(PTR, INT));

    /** Longest error text we copy out of strerror's static buffer. */
    private static final int STRERROR_MAX_BYTES = 256;

    private Libc() {
    }

    private static MethodHandle capturing(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    static MemorySegment newErrnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment errnoState) {
        return (int) ERRNO.get(errnoState, 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(STRERROR_MAX_BYTES).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static int socket(MemorySegment errnoState, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(errnoState, domain, type, protocol);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int bind(MemorySegment errnoState, int fd, MemorySegment address, int addressLength) {
        try {
            return (int) BIND.invokeExact(errnoState, fd, address, addressLength);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int setsockopt(MemorySegment errnoState, int fd, int level, int name, MemorySegment value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(errnoState, fd, level, name, value, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code length}: an int holding the size of {@code value}; the kernel writes the size it filled in. */
    static int getsockopt(MemorySegment errnoState, int fd, int level, int name, MemorySegment value,
                          MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(errnoState, fd, level, name, value, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long recvmsg(MemorySegment errnoState, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RECVMSG.invokeExact(errnoState, fd, msghdr, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long sendmsg(MemorySegment errnoState, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) SENDMSG.invokeExact(errnoState, fd, msghdr, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Bytes of a struct timespec (tv_sec, tv_nsec: two longs on x86-64 and arm64). */
    static final long TIMESPEC_BYTES = 16;

    /** ppoll(2) with {@code timespec} (struct timespec, see {@link #TIMESPEC_BYTES}) and no signal mask. */
    static int ppoll(MemorySegment errnoState, MemorySegment pollfds, long count, MemorySegment timespec) {
        try {
            return (int) PPOLL.invokeExact(errnoState, pollfds, count, timespec, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int gettid(MemorySegment errnoState) {
        try {
            return (int) GETTID.invokeExact(errnoState);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int setpriority(MemorySegment errnoState, int which, int who, int nice) {
        try {
            return (int) SETPRIORITY.invokeExact(errnoState, which, who, nice);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** sched_setscheduler(2) for one thread; {@code param} holds struct sched_param (one int: the priority). */
    static int schedSetScheduler(MemorySegment errnoState, int tid, int policy, MemorySegment param) {
        try {
            return (int) SCHED_SETSCHEDULER.invokeExact(errnoState, tid, policy, param);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int close(MemorySegment errnoState, int fd) {
        try {
            return (int) CLOSE.invokeExact(errnoState, fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int ifNameToIndex(MemorySegment errnoState, MemorySegment name) {
        try {
            return (int) IF_NAMETOINDEX.invokeExact(errnoState, name);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int ioctl(MemorySegment errnoState, int fd, long request, MemorySegment argument) {
        try {
            return (int) IOCTL.invokeExact(errnoState, fd, request, argument);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
