package io.ringwall.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything that must be true before the driver opens its sockets. Each problem is one
 * sentence that says what is wrong and how to fix it; an empty list means go.
 */
public final class StartupChecks {
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;
    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final Path PROC_SYS_NET = Path.of("/proc/sys/net");

    private StartupChecks() {
    }

    /** Problems that stop the data plane on {@code devices}; empty if there are none. */
    public static List<String> check(List<String> devices) {
        List<String> problems = new ArrayList<>();
        checkCapabilities(problems);
        if (devices.isEmpty()) {
            problems.add("no data interfaces given: name at least one Linux device in the node's [nodes.devices].");
        }
        Set<String> seen = new HashSet<>();
        for (String device : devices) {
            if (!seen.add(device)) {
                problems.add("device " + device + " is listed twice: give every data interface its own device.");
                continue;
            }
            checkDevice(device, problems);
        }
        return problems;
    }

    private static void checkCapabilities(List<String> problems) {
        Optional<Long> effective = effectiveCapabilities();
        if (effective.isEmpty()) {
            problems.add("cannot read CapEff from " + PROC_STATUS + ": run on Linux with /proc mounted.");
            return;
        }
        long caps = effective.get();
        List<String> missing = new ArrayList<>();
        if ((caps & (1L << CAP_NET_RAW)) == 0) {
            missing.add("CAP_NET_RAW");
        }
        if ((caps & (1L << CAP_NET_ADMIN)) == 0) {
            missing.add("CAP_NET_ADMIN");
        }
        if (!missing.isEmpty()) {
            problems.add("missing " + String.join(" and ", missing) + " (raw packet sockets need them): run as root, "
                    + "or grant them, e.g. AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN in the systemd unit "
                    + "or setcap cap_net_raw,cap_net_admin+ep on the java binary.");
        }
    }

    static Optional<Long> effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("CapEff:")) {
                    return Optional.of(Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static void checkDevice(String device, List<String> problems) {
        InterfaceInfo info;
        try {
            info = InterfaceInfo.lookup(device);
        } catch (NoSuchDeviceException e) {
            problems.add(e.getMessage() + ": check the device name in the node's [nodes.devices] (ip link show).");
            return;
        } catch (ErrnoException e) {
            problems.add("cannot query device " + device + ": " + e.getMessage());
            return;
        }
        if (!info.up()) {
            problems.add("device " + device + " is down: run: ip link set " + device + " up");
        }
        checkForwarding(device, problems);
        if (lroEnabled(device)) {
            problems.add("device " + device + " has LRO (large receive offload) on; LRO merges segments in a way "
                    + "that cannot be re-segmented reliably when forwarding: run: ethtool -K " + device + " lro off");
        }
    }

    private static void checkForwarding(String device, List<String> problems) {
        String sysctlDevice = device.replace('.', '/');
        if (readFlag(PROC_SYS_NET.resolve("ipv4/conf").resolve(device).resolve("forwarding"))) {
            String fix = "run: sysctl -w net.ipv4.conf." + sysctlDevice + ".forwarding=0";
            if (readFlag(PROC_SYS_NET.resolve("ipv4/ip_forward"))) {
                fix += " (net.ipv4.ip_forward=1 turns it on for every device; to turn all off: "
                        + "sysctl -w net.ipv4.ip_forward=0)";
            }
            problems.add("device " + device + " has IPv4 forwarding on: the kernel would forward these packets too "
                    + "(double forwarding); " + fix);
        }
        if (readFlag(PROC_SYS_NET.resolve("ipv6/conf").resolve(device).resolve("forwarding"))) {
            problems.add("device " + device + " has IPv6 forwarding on: the kernel would forward packets Ringwall "
                    + "owns (double forwarding); run: sysctl -w net.ipv6.conf." + sysctlDevice + ".forwarding=0");
        }
    }

    private static boolean readFlag(Path path) {
        try {
            return Files.readString(path).trim().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether LRO is on (ETHTOOL_GFLAGS); false if the driver does not report it. */
    public static boolean lroEnabled(String device) {
        try (DeviceQuery query = new DeviceQuery(device)) {
            OptionalInt flags = query.ethtoolValue(DeviceQuery.ETHTOOL_GFLAGS);
            return flags.isPresent() && (flags.getAsInt() & DeviceQuery.ETH_FLAG_LRO) != 0;
        }
    }

    /**
     * Whether GRO is on (ETHTOOL_GGRO), empty if unknown. Not a problem: with PACKET_VNET_HDR the
     * driver receives GRO'd TCPv4 as GSO super-frames and the kernel re-segments them on transmit.
     */
    public static Optional<Boolean> groEnabled(String device) {
        try (DeviceQuery query = new DeviceQuery(device)) {
            OptionalInt value = query.ethtoolValue(DeviceQuery.ETHTOOL_GGRO);
            return value.isPresent() ? Optional.of(value.getAsInt() != 0) : Optional.empty();
        }
    }
}
