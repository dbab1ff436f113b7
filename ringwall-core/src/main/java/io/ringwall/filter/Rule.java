package io.ringwall.filter;

import java.util.List;

/**
 * One parsed rule: an action and the matches that must all hold. An absent match is "any":
 * interface {@code null}, {@link AddressMatch#ANY}, protocol {@link IpProtocol#ANY}, empty port
 * list, icmp type {@link #ANY_ICMP_TYPE}, states 0. Columns of the interface names are kept
 * because those names are only resolved at compile time and errors must still point at them.
 *
 * @param line          1-based source line
 * @param text          the rule as written (trimmed, without its trailing # comment)
 * @param states        {@link CtState} bits; 0 = any state
 * @param comment       text of {@code comment "..."}, or {@code null}
 */
public record Rule(int line, String text, Action action,
                   String inInterface, int inInterfaceColumn,
                   String outInterface, int outInterfaceColumn,
                   AddressMatch source, AddressMatch destination,
                   int protocol, List<PortRange> sourcePorts, List<PortRange> destinationPorts,
                   int icmpType, int states,
                   boolean log, SyncMode sync, String comment) {
    public static final int ANY_ICMP_TYPE = -1;

    public Rule {
        sourcePorts = List.copyOf(sourcePorts);
        destinationPorts = List.copyOf(destinationPorts);
        // The parser guarantees these; checking again keeps hand-built rules (tests, API) honest.
        if ((!sourcePorts.isEmpty() || !destinationPorts.isEmpty()) && !IpProtocol.hasPorts(protocol)) {
            throw new IllegalArgumentException("ports require protocol tcp or udp, got " + protocol);
        }
        if (icmpType != ANY_ICMP_TYPE && protocol != IpProtocol.ICMP) {
            throw new IllegalArgumentException("icmp-type requires protocol icmp, got " + protocol);
        }
        if (protocol < IpProtocol.ANY || protocol > IpProtocol.MAX) {
            throw new IllegalArgumentException("protocol out of range: " + protocol);
        }
        if ((states & ~CtState.ALL) != 0) {
            throw new IllegalArgumentException("unknown state bits: " + states);
        }
        if (icmpType < ANY_ICMP_TYPE || icmpType > IcmpTypeName.MAX_TYPE) {
            throw new IllegalArgumentException("icmp type out of range: " + icmpType);
        }
    }

    /** The rule in canonical form (fixed match order, names resolved); parses back to an equal rule. */
    public String canonical() {
        StringBuilder out = new StringBuilder(action.keyword());
        if (inInterface != null) {
            out.append(" in ").append(inInterface);
        }
        if (outInterface != null) {
            out.append(" out ").append(outInterface);
        }
        if (!source.isAny()) {
            out.append(" from ").append(source);
        }
        if (!destination.isAny()) {
            out.append(" to ").append(destination);
        }
        if (protocol != IpProtocol.ANY) {
            out.append(" proto ").append(IpProtocol.describe(protocol));
        }
        appendPorts(out, " sport ", sourcePorts);
        appendPorts(out, " dport ", destinationPorts);
        if (icmpType != ANY_ICMP_TYPE) {
            out.append(" icmp-type ").append(IcmpTypeName.describe(icmpType));
        }
        if (states != 0) {
            out.append(" state ").append(CtState.describe(states));
        }
        if (log) {
            out.append(" log");
        }
        if (sync != SyncMode.DEFAULT) {
            out.append(" sync ").append(sync.keyword());
        }
        if (comment != null) {
            out.append(" comment \"").append(comment).append('"');
        }
        return out.toString();
    }

    private static void appendPorts(StringBuilder out, String keyword, List<PortRange> ports) {
        if (ports.isEmpty()) {
            return;
        }
        out.append(keyword);
        for (int i = 0; i < ports.size(); i++) {
            out.append(i == 0 ? "" : ",").append(ports.get(i));
        }
    }
}
