package io.ringwall.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the driver knows about one Linux network device, read with ioctls in the calling
 * thread's network namespace. {@code mac} is the 48-bit address, first octet most significant;
 * {@code up} is the administrative IFF_UP flag.
 */
public record InterfaceInfo(String device, int ifIndex, long mac, int mtu, boolean up) {

    /** Reads the device; throws {@link NoSuchDeviceException} ("no such network device: eth9"). */
    public static InterfaceInfo lookup(String device) {
        try (DeviceQuery query = new DeviceQuery(device)) {
            return new InterfaceInfo(device, query.ifIndex(), query.mac(), query.mtu(),
                    (query.flags() & DeviceQuery.IFF_UP) != 0);
        }
    }

    static int indexOf(String device, Arena arena, MemorySegment errnoState) {
        if (device.isEmpty() || device.length() >= DeviceQuery.IFNAMSIZ) {
            throw new NoSuchDeviceException(device);
        }
        int index = Libc.ifNameToIndex(errnoState, arena.allocateFrom(device));
        if (index == 0) {
            throw new NoSuchDeviceException(device);
        }
        return index;
    }

    /** The MAC as usual text, e.g. {@code 02:00:00:77:00:01}. */
    public String macText() {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) {
                text.append(':');
            }
            text.append(String.format("%02x", (mac >>> shift) & 0xff));
        }
        return text.toString();
    }
}
