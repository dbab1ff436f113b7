package io.ringwall.dataplane;

import io.ringwall.node.NodeConfig;
import java.util.Arrays;
import java.util.List;

/**
 * The addresses this node answers for, per interface: its own address and the VIPs it currently owns.
 * Ownership of VIPs changes only through {@link #own} / {@link #release} (driven by the membership
 * layer; a single node in alone mode owns all of its configured VIPs).
 */
public final class LocalAddresses {
    private final int[][] configuredVips;
    private final boolean[][] owned;
    private final int[] ownAddresses;

    public LocalAddresses(List<NodeConfig.InterfaceConfig> interfaces) {
        int n = interfaces.size();
        configuredVips = new int[n][];
        owned = new boolean[n][];
        ownAddresses = new int[n];
        for (NodeConfig.InterfaceConfig itf : interfaces) {
            configuredVips[itf.index()] = itf.vips().stream().mapToInt(Integer::intValue).toArray();
            owned[itf.index()] = new boolean[itf.vips().size()];
            ownAddresses[itf.index()] = itf.ownAddress();
        }
    }

    private int indexOf(int ifIndex, int vip) {
        int[] vips = configuredVips[ifIndex];
        for (int i = 0; i < vips.length; i++) {
            if (vips[i] == vip) {
                return i;
            }
        }
        return -1;
    }

    /** Takes ownership of a configured VIP; returns false if it was already owned or is not configured here. */
    public boolean own(int ifIndex, int vip) {
        int i = indexOf(ifIndex, vip);
        if (i < 0 || owned[ifIndex][i]) {
            return false;
        }
        owned[ifIndex][i] = true;
        return true;
    }

    public boolean release(int ifIndex, int vip) {
        int i = indexOf(ifIndex, vip);
        if (i < 0 || !owned[ifIndex][i]) {
            return false;
        }
        owned[ifIndex][i] = false;
        return true;
    }

    /** Whether ARP for {@code address} on {@code ifIndex} must be answered by this node. */
    public boolean answersArp(int ifIndex, int address) {
        if (address != 0 && ownAddresses[ifIndex] == address) {
            return true;
        }
        int i = indexOf(ifIndex, address);
        return i >= 0 && owned[ifIndex][i];
    }

    /** Whether {@code address} is this node's own address or one of its configured VIPs (owned now or not). */
    public boolean ownOrVip(int ifIndex, int address) {
        return (address != 0 && ownAddresses[ifIndex] == address) || indexOf(ifIndex, address) >= 0;
    }

    /** Whether {@code address} is one of this node's addresses (own or owned VIP) on any interface. */
    public boolean isLocal(int address) {
        for (int itf = 0; itf < configuredVips.length; itf++) {
            if (answersArp(itf, address)) {
                return true;
            }
        }
        return false;
    }

    /** The address used as source of packets this node originates on {@code ifIndex}: an owned VIP, else its own address. */
    public int sourceAddress(int ifIndex) {
        int[] vips = configuredVips[ifIndex];
        for (int i = 0; i < vips.length; i++) {
            if (owned[ifIndex][i]) {
                return vips[i];
            }
        }
        return ownAddresses[ifIndex];
    }

    /** This node's own (non-VIP) address on {@code ifIndex}, 0 if none. */
    public int ownAddress(int ifIndex) {
        return ownAddresses[ifIndex];
    }

    public int[] configuredVips(int ifIndex) {
        return configuredVips[ifIndex].clone();
    }

    public boolean owns(int ifIndex, int vip) {
        int i = indexOf(ifIndex, vip);
        return i >= 0 && owned[ifIndex][i];
    }

    public int interfaceCount() {
        return configuredVips.length;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < configuredVips.length; i++) {
            sb.append(i).append(':').append(Arrays.toString(configuredVips[i])).append(Arrays.toString(owned[i])).append(' ');
        }
        return sb.toString();
    }
}
