package io.ringwall.node;

/**
 * A 64-bit digest (FNV-1a) of the configuration every member must share: the node map (ids, names, addresses),
 * each interface's name, subnet and VIP pool, the token timers, the quorum and the tie-breaker. Per-host facts
 * (MACs, device MTUs) and the cluster secret are left out: the digest rides the train in clear.
 */
final class ConfigDigest {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private long h = OFFSET;

    private ConfigDigest() {
    }

    static long of(NodeConfig config, ClusterSettings s) {
        ConfigDigest d = new ConfigDigest();
        d.add(s.members().size());
        for (ClusterSettings.Member m : s.members()) {
            d.add(m.id()).add(m.name()).add(m.addressByInterface().size());
            for (int a : m.addressByInterface()) {
                d.add(a);
            }
        }
        d.add(config.interfaces().size());
        for (NodeConfig.InterfaceConfig itf : config.interfaces()) {
            d.add(itf.index()).add(itf.name()).add(itf.subnetAddress()).add(itf.prefixLength()).add(itf.vips().size());
            for (int vip : itf.vips()) {
                d.add(vip);
            }
        }
        d.add(s.tokenHopNs()).add(s.tokenAckTimeoutNs()).add(s.tokenLossNs()).add(s.quorum());
        ClusterSettings.TieBreaker t = s.tieBreaker();
        if (t != null) {
            d.add(t.ifIndex()).add(t.target()).add(t.intervalNs()).add(t.timeoutNs()).add(t.misses());
        }
        return d.h;
    }

    private ConfigDigest add(long v) {
        for (int i = 0; i < Long.BYTES; i++) {
            h = (h ^ ((v >>> (8 * i)) & 0xFF)) * PRIME;
        }
        return this;
    }

    private ConfigDigest add(String s) {
        add(s.length());
        for (int i = 0; i < s.length(); i++) {
            add(s.charAt(i));
        }
        return this;
    }
}
