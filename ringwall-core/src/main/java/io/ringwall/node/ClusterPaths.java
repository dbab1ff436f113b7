package io.ringwall.node;

import io.ringwall.messaging.MessagingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The paths between this node and each peer: every interface on which both have an address, at most
 * {@link MessagingConfig#MAX_PATHS}. Path {@code p} to peer {@code j} leaves through interface
 * {@code interfaceOf(j, p)} towards {@code addressOf(j, p)}. A dedicated cluster network (an interface
 * without VIPs) comes first, so it is the primary path when there is one.
 */
final class ClusterPaths {
    private final int[][] interfaces;
    private final int[][] addresses;
    /** Path 0 is the primary: the dedicated cluster network when there is one (it is ordered first). */
    static final int PRIMARY_PATH = 0;
    /** Bits of an {@link #identify} result that hold the path (MAX_PATHS fits in them). */
    private static final int PATH_BITS = 4;

    ClusterPaths(ClusterSettings settings, NodeConfig config) {
        int n = settings.members().size();
        interfaces = new int[n][];
        addresses = new int[n][];
        ClusterSettings.Member self = settings.self();
        for (ClusterSettings.Member peer : settings.members()) {
            List<Integer> common = new ArrayList<>();
            for (boolean clusterOnly : new boolean[] {true, false}) {
                for (NodeConfig.InterfaceConfig itf : config.interfaces()) {
                    boolean dedicated = itf.vips().isEmpty();
                    if (dedicated == clusterOnly && self.addressOn(itf.index()) != 0 && peer.addressOn(itf.index()) != 0
                            && common.size() < MessagingConfig.MAX_PATHS) {
                        common.add(itf.index());
                    }
                }
            }
            interfaces[peer.id()] = common.stream().mapToInt(Integer::intValue).toArray();
            addresses[peer.id()] = common.stream().mapToInt(peer::addressOn).toArray();
        }
    }

    int pathCount(int peer) {
        return interfaces[peer].length;
    }

    int[] pathsPerPeer() {
        int[] counts = new int[interfaces.length];
        for (int j = 0; j < interfaces.length; j++) {
            counts[j] = interfaces[j].length;
        }
        return counts;
    }

    int interfaceOf(int peer, int path) {
        return interfaces[peer][path];
    }

    int addressOf(int peer, int path) {
        return addresses[peer][path];
    }

    /**
     * Which peer and path a packet from {@code srcIp} arriving on {@code ifIndex} came over, packed into one int
     * (read it with {@link #peerOf} and {@link #pathOf}; no allocation per packet), or -1.
     */
    int identify(int ifIndex, int srcIp) {
        for (int peer = 0; peer < interfaces.length; peer++) {
            for (int path = 0; path < interfaces[peer].length; path++) {
                if (interfaces[peer][path] == ifIndex && addresses[peer][path] == srcIp) {
                    return peer << PATH_BITS | path;
                }
            }
        }
        return -1;
    }

    /** The peer of a non-negative {@link #identify} result. */
    static int peerOf(int identified) {
        return identified >>> PATH_BITS;
    }

    /** The path of a non-negative {@link #identify} result. */
    static int pathOf(int identified) {
        return identified & ((1 << PATH_BITS) - 1);
    }
}
