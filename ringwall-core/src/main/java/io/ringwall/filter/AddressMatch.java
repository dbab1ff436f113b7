package io.ringwall.filter;

import java.util.List;

/**
 * A {@code from}/{@code to} match: the address is in one of {@code cidrs}, or, when
 * {@code negated}, in none of them. An empty list means the rule does not look at the address.
 * Like nftables' {@code ip saddr}, an address match only ever matches packets of the list's
 * family: a negated IPv4 list does not match an IPv6 packet.
 */
public record AddressMatch(List<Cidr> cidrs, boolean negated) {
    public static final AddressMatch ANY = new AddressMatch(List.of(), false);

    public AddressMatch {
        cidrs = List.copyOf(cidrs);
        if (cidrs.isEmpty() && negated) {
            throw new IllegalArgumentException("an empty address list cannot be negated");
        }
    }

    public boolean isAny() {
        return cidrs.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(negated ? "!" : "");
        for (int i = 0; i < cidrs.size(); i++) {
            out.append(i == 0 ? "" : ",").append(cidrs.get(i));
        }
        return out.toString();
    }
}
