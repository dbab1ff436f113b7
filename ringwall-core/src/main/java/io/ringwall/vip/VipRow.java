package io.ringwall.vip;

/**
 * One row of the cluster's VIP table (SPEC §7, seed 003's Group Composition field).
 *
 * <p>Hosts are node ids (positions in the node map, 0..{@link VipTable#MAX_NODES}-1) or {@link #NONE}.
 * Only {@code currentHost} answers for the VIP. A planned move is two-phase: while it is in flight the row
 * has {@code currentHost == NONE}, {@code releasingHost} = the old owner (which must stop answering before
 * anyone else may start) and {@code pendingHost} = the target. See docs/vips.md.
 *
 * @param vip           the virtual IPv4 address (network order int)
 * @param ifIndex       the interface (subnet) the VIP lives on, 0..255
 * @param currentHost   the node that answers for the VIP, or NONE
 * @param pendingHost   target of a planned move in flight, or NONE
 * @param releasingHost old owner of a planned move that has not yet provably released, or NONE
 * @param preferredHost the preferred node, or NONE
 * @param flag          {@link #FREE}, {@link #STICKY_CURRENT} or {@link #STICKY_PREFERRED}
 */
public record VipRow(int vip, int ifIndex, int currentHost, int pendingHost, int releasingHost, int preferredHost,
                     int flag) {
    public static final int NONE = -1;
    /** The balancer may move it. */
    public static final int FREE = 0;
    /** Stays on its current host; follows failover and stays where it lands. */
    public static final int STICKY_CURRENT = 1;
    /** Returns to its preferred host whenever that host is alive. */
    public static final int STICKY_PREFERRED = 3;

    public VipRow {
        if (ifIndex < 0 || ifIndex > 255) {
            throw new IllegalArgumentException("interface index out of range: " + ifIndex);
        }
        checkHost("current", currentHost);
        checkHost("pending", pendingHost);
        checkHost("releasing", releasingHost);
        checkHost("preferred", preferredHost);
        if (!isValidFlag(flag)) {
            throw new IllegalArgumentException("persistence flag must be 0, 1 or 3: " + flag);
        }
        if (currentHost != NONE && (pendingHost != NONE || releasingHost != NONE)) {
            throw new IllegalArgumentException("a VIP with a move in flight has no current host");
        }
    }

    /** A settled row: owned by {@code host} (or nobody), no move in flight. */
    public static VipRow settled(int vip, int ifIndex, int host, int preferredHost, int flag) {
        return new VipRow(vip, ifIndex, host, NONE, NONE, preferredHost, flag);
    }

    static boolean isValidHost(int host) {
        return host == NONE || (host >= 0 && host < VipTable.MAX_NODES);
    }

    static boolean isValidFlag(int flag) {
        return flag == FREE || flag == STICKY_CURRENT || flag == STICKY_PREFERRED;
    }

    private static void checkHost(String what, int host) {
        if (!isValidHost(host)) {
            throw new IllegalArgumentException(what + " host out of range: " + host);
        }
    }

    /** True while a planned move is in flight (nobody answers). */
    public boolean moving() {
        return pendingHost != NONE || releasingHost != NONE;
    }

    /** The node this VIP is on or is going to (for counting VIPs per node), or NONE. */
    public int assignedHost() {
        return currentHost != NONE ? currentHost : pendingHost;
    }

    public VipRow ownedBy(int host) {
        return new VipRow(vip, ifIndex, host, NONE, NONE, preferredHost, flag);
    }

    public VipRow releasing(int oldHost, int target) {
        return new VipRow(vip, ifIndex, NONE, target, oldHost, preferredHost, flag);
    }

    public VipRow withPreference(int preferred, int newFlag) {
        return new VipRow(vip, ifIndex, currentHost, pendingHost, releasingHost, preferred, newFlag);
    }
}
