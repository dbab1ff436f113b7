package io.ringwall.linux;

import io.ringwall.wire.NativeFrames;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Device ioctls (SIOCGIF*, SIOCETHTOOL) on a throwaway AF_INET datagram socket. Control plane
 * only: allocates per use. Works without privileges except where the kernel says otherwise.
 */
final class DeviceQuery implements AutoCloseable {
    static final int IFNAMSIZ = 16;
    private static final int IFREQ_BYTES = 40;
    private static final int IFREQ_UNION = 16;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final long SIOCGIFINDEX = 0x8933;
    private static final long SIOCETHTOOL = 0x8946;
    static final int ETHTOOL_GFLAGS = 0x25;
    static final int ETHTOOL_GGRO = 0x2b;
    static final int ETH_FLAG_LRO = 1 << 15;
    static final int IFF_UP = 0x1;

    private final String device;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment errnoState = Libc.newErrnoState(arena);
    private final MemorySegment ifreq = arena.allocate(IFREQ_BYTES, 8);
    private final int fd;

    DeviceQuery(String device) {
        this.device = device;
        byte[] name = device.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length >= IFNAMSIZ) {
            arena.close();
            throw new NoSuchDeviceException(device);
        }
        fd = Libc.socket(errnoState, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Libc.errno(errnoState);
            arena.close();
            throw new ErrnoException("query device " + device, "socket", errno);
        }
    }

    private int request(long request) {
        ifreq.fill((byte) 0);
        NativeFrames.copyIn(device.getBytes(StandardCharsets.US_ASCII), 0, ifreq, 0, device.length());
        return Libc.ioctl(errnoState, fd, request, ifreq);
    }

    private void requireOk(int result, String what) {
        if (result != 0) {
            int errno = Libc.errno(errnoState);
            if (errno == Libc.ENODEV) {
                throw new NoSuchDeviceException(device);
            }
            throw new ErrnoException("query " + what + " of " + device, "ioctl", errno);
        }
    }

    int ifIndex() {
        requireOk(request(SIOCGIFINDEX), "index");
        return ifreq.get(ValueLayout.JAVA_INT, IFREQ_UNION);
    }

    int mtu() {
        requireOk(request(SIOCGIFMTU), "MTU");
        return ifreq.get(ValueLayout.JAVA_INT, IFREQ_UNION);
    }

    int flags() {
        requireOk(request(SIOCGIFFLAGS), "flags");
        return Short.toUnsignedInt(ifreq.get(ValueLayout.JAVA_SHORT, IFREQ_UNION));
    }

    /** The hardware address as a 48-bit number, first octet most significant. */
    long mac() {
        requireOk(request(SIOCGIFHWADDR), "hardware address");
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | Byte.toUnsignedLong(ifreq.get(ValueLayout.JAVA_BYTE, IFREQ_UNION + 2 + i));
        }
        return mac;
    }

    /** An ethtool "get value" command (struct ethtool_value); empty if the driver does not support it. */
    OptionalInt ethtoolValue(int command) {
        MemorySegment value = arena.allocate(8, 8);
        value.set(ValueLayout.JAVA_INT, 0, command);
        ifreq.fill((byte) 0);
        NativeFrames.copyIn(device.getBytes(StandardCharsets.US_ASCII), 0, ifreq, 0, device.length());
        ifreq.set(ValueLayout.ADDRESS, IFREQ_UNION, value);
        if (Libc.ioctl(errnoState, fd, SIOCETHTOOL, ifreq) != 0) {
            int errno = Libc.errno(errnoState);
            if (errno == Libc.EOPNOTSUPP || errno == Libc.EINVAL) {
                return OptionalInt.empty();
            }
            requireOk(-1, "ethtool 0x" + Integer.toHexString(command));
        }
        return OptionalInt.of(value.get(ValueLayout.JAVA_INT, 4));
    }

    @Override
    public void close() {
        Libc.close(errnoState, fd);
        arena.close();
    }
}
