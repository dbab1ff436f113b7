package io.ringwall.vip;

/** A configured VIP (from the pools of the shared config): address, interface and optional preferred node. */
public record VipSpec(int vip, int ifIndex, int preferredHost) {
    public VipSpec {
        if (!VipRow.isValidHost(preferredHost)) {
            throw new IllegalArgumentException("preferred host out of range: " + preferredHost);
        }
    }

    public VipSpec(int vip, int ifIndex) {
        this(vip, ifIndex, VipRow.NONE);
    }
}
