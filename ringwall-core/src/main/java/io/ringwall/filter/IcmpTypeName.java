package io.ringwall.filter;

import java.util.List;
import java.util.Map;

/** ICMPv4 type names accepted after {@code icmp-type} (the iptables/nftables spellings). */
public final class IcmpTypeName {
    public static final int MAX_TYPE = 255;

    /** Name to type number; names are what users type, numbers are what the packet carries. */
    public static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("echo-reply", 0),
            Map.entry("destination-unreachable", 3),
            Map.entry("source-quench", 4),
            Map.entry("redirect", 5),
            Map.entry("echo-request", 8),
            Map.entry("router-advertisement", 9),
            Map.entry("router-solicitation", 10),
            Map.entry("time-exceeded", 11),
            Map.entry("parameter-problem", 12),
            Map.entry("timestamp-request", 13),
            Map.entry("timestamp-reply", 14));

    /** Names sorted for error messages and suggestions (deterministic order). */
    public static final List<String> NAMES = BY_NAME.keySet().stream().sorted().toList();

    private IcmpTypeName() {
    }

    /** The name of a type number, or the number itself when it has no name. */
    public static String describe(int type) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == type) {
                return e.getKey();
            }
        }
        return Integer.toString(type);
    }
}
