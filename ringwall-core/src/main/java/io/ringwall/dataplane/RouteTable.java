package io.ringwall.dataplane;

import io.ringwall.node.NodeConfig;
import io.ringwall.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Longest-prefix-match over connected subnets and static routes. Small tables: a linear scan over
 * primitive arrays sorted by prefix length (longest first) is faster than a trie at this size.
 */
public final class RouteTable {
    /** Next hop value meaning "the destination itself is on the link". */
    public static final int DIRECT = 0;

    private final int[] networks;
    private final int[] masks;
    private final int[] gateways;
    private final int[] interfaces;
    private int lastInterface = -1;

    private record Entry(int network, int prefixLength, int gateway, int ifIndex) {
    }

    public RouteTable(List<NodeConfig.InterfaceConfig> connected, List<NodeConfig.StaticRoute> statics) {
        List<Entry> entries = new ArrayList<>();
        for (NodeConfig.InterfaceConfig itf : connected) {
            entries.add(new Entry(itf.subnetAddress() & Ipv4Address.mask(itf.prefixLength()), itf.prefixLength(), DIRECT, itf.index()));
        }
        for (NodeConfig.StaticRoute r : statics) {
            entries.add(new Entry(r.destination() & Ipv4Address.mask(r.prefixLength()), r.prefixLength(), r.gateway(), r.ifIndex()));
        }
        entries.sort(Comparator.comparingInt(Entry::prefixLength).reversed());
        int n = entries.size();
        networks = new int[n];
        masks = new int[n];
        gateways = new int[n];
        interfaces = new int[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            networks[i] = e.network();
            masks[i] = Ipv4Address.mask(e.prefixLength());
            gateways[i] = e.gateway();
            interfaces[i] = e.ifIndex();
        }
    }

    /**
     * Looks up {@code destination}; returns the next-hop address ({@code destination} itself for connected
     * routes) and sets {@link #lastInterface()}, or returns 0 with lastInterface -1 when there is no route.
     */
    public int lookup(int destination) {
        for (int i = 0; i < networks.length; i++) {
            if ((destination & masks[i]) == networks[i]) {
                lastInterface = interfaces[i];
                return gateways[i] == DIRECT ? destination : gateways[i];
            }
        }
        lastInterface = -1;
        return 0;
    }

    public int lastInterface() {
        return lastInterface;
    }

    public int size() {
        return networks.length;
    }
}
