package io.ringwall.filter;

import java.util.List;

/**
 * The data plane's view of a {@link RuleSet}: every rule flattened into a fixed-stride row of a
 * single int array (one cache-friendly linear scan, no objects touched), plus per-rule counters.
 * Address and port lists live in shared side arrays the row points into. Rule index -1 stands for
 * the default policy everywhere. Not thread-safe: the data-plane thread is the only writer of the
 * counters; readers elsewhere take a snapshot through the data plane.
 */
public final class CompiledRuleSet {
    public static final int ANY_INTERFACE = -1;
    public static final int DEFAULT_POLICY = -1;

    // Which matches a row has; a row with no bits matches every packet.
    private static final int HAS_IN = 1;
    private static final int HAS_OUT = 1 << 1;
    private static final int HAS_SRC = 1 << 2;
    private static final int SRC_NEGATED = 1 << 3;
    private static final int HAS_DST = 1 << 4;
    private static final int DST_NEGATED = 1 << 5;
    private static final int HAS_PROTO = 1 << 6;
    private static final int HAS_SPORT = 1 << 7;
    private static final int HAS_DPORT = 1 << 8;
    private static final int HAS_ICMP_TYPE = 1 << 9;
    private static final int HAS_STATE = 1 << 10;

    // Row layout: offsets within one rule's stride.
    private static final int FLAGS = 0;
    private static final int IN_IF = 1;
    private static final int OUT_IF = 2;
    private static final int PROTO = 3;
    private static final int ICMP_TYPE = 4;
    private static final int STATES = 5;
    private static final int SRC_FROM = 6;
    private static final int SRC_TO = 7;
    private static final int DST_FROM = 8;
    private static final int DST_TO = 9;
    private static final int SPORT_FROM = 10;
    private static final int SPORT_TO = 11;
    private static final int DPORT_FROM = 12;
    private static final int DPORT_TO = 13;
    private static final int STRIDE = 16;

    private final RuleSet ruleSet;
    private final int size;
    private final int[] rows;
    private final int[] cidrAddress;
    private final int[] cidrMask;
    private final int[] portLow;
    private final int[] portHigh;
    private final Action[] actions;
    private final boolean[] logs;
    private final SyncMode[] syncModes;
    // Counters are shifted by one so the default policy (-1) is slot 0 and count() has no branch.
    private final long[] packets;
    private final long[] bytes;

    CompiledRuleSet(RuleSet ruleSet, int[] inIf, int[] outIf) {
        this.ruleSet = ruleSet;
        List<Rule> rules = ruleSet.rules();
        size = rules.size();
        rows = new int[size * STRIDE];
        int cidrs = 0;
        int ports = 0;
        for (Rule r : rules) {
            cidrs += r.source().cidrs().size() + r.destination().cidrs().size();
            ports += r.sourcePorts().size() + r.destinationPorts().size();
        }
        cidrAddress = new int[cidrs];
        cidrMask = new int[cidrs];
        portLow = new int[ports];
        portHigh = new int[ports];
        actions = new Action[size];
        logs = new boolean[size];
        syncModes = new SyncMode[size];
        packets = new long[size + 1];
        bytes = new long[size + 1];
        int nextCidr = 0;
        int nextPort = 0;
        for (int i = 0; i < size; i++) {
            Rule r = rules.get(i);
            int row = i * STRIDE;
            int flags = 0;
            if (r.inInterface() != null) {
                flags |= HAS_IN;
            }
            if (r.outInterface() != null) {
                flags |= HAS_OUT;
            }
            rows[row + IN_IF] = inIf[i];
            rows[row + OUT_IF] = outIf[i];
            flags |= addresses(r.source(), row + SRC_FROM, HAS_SRC, SRC_NEGATED, nextCidr);
            nextCidr = rows[row + SRC_TO];
            flags |= addresses(r.destination(), row + DST_FROM, HAS_DST, DST_NEGATED, nextCidr);
            nextCidr = rows[row + DST_TO];
            flags |= ports(r.sourcePorts(), row + SPORT_FROM, HAS_SPORT, nextPort);
            nextPort = rows[row + SPORT_TO];
            flags |= ports(r.destinationPorts(), row + DPORT_FROM, HAS_DPORT, nextPort);
            nextPort = rows[row + DPORT_TO];
            if (r.protocol() != IpProtocol.ANY) {
                flags |= HAS_PROTO;
                rows[row + PROTO] = r.protocol();
            }
            if (r.icmpType() != Rule.ANY_ICMP_TYPE) {
                flags |= HAS_ICMP_TYPE;
                rows[row + ICMP_TYPE] = r.icmpType();
            }
            if (r.states() != 0) {
                flags |= HAS_STATE;
                rows[row + STATES] = r.states();
            }
            rows[row + FLAGS] = flags;
            actions[i] = r.action();
            logs[i] = r.log();
            syncModes[i] = r.sync();
        }
    }

    /** Writes [from, to) of the list into the row; returns the flags the list contributes. */
    private int addresses(AddressMatch match, int fromSlot, int hasFlag, int negatedFlag, int next) {
        rows[fromSlot] = next;
        for (Cidr c : match.cidrs()) {
            cidrAddress[next] = c.v4Address();
            cidrMask[next] = c.v4Mask();
            next++;
        }
        rows[fromSlot + 1] = next;
        return match.isAny() ? 0 : hasFlag | (match.negated() ? negatedFlag : 0);
    }

    private int ports(List<PortRange> ranges, int fromSlot, int hasFlag, int next) {
        rows[fromSlot] = next;
        for (PortRange p : ranges) {
            portLow[next] = p.low();
            portHigh[next] = p.high();
            next++;
        }
        rows[fromSlot + 1] = next;
        return ranges.isEmpty() ? 0 : hasFlag;
    }

    /** Index of the first rule matching {@code in}, or {@link #DEFAULT_POLICY}. Allocation-free. */
    public int match(FilterInput in) {
        int[] r = rows;
        for (int i = 0, row = 0; i < size; i++, row += STRIDE) {
            int flags = r[row + FLAGS];
            if (flags == 0) {
                return i;
            }
            if ((flags & HAS_IN) != 0 && r[row + IN_IF] != in.inIf
                    || (flags & HAS_OUT) != 0 && r[row + OUT_IF] != in.outIf
                    || (flags & HAS_PROTO) != 0 && r[row + PROTO] != in.protocol
                    || (flags & HAS_STATE) != 0 && (r[row + STATES] & in.ctState) == 0
                    || (flags & HAS_ICMP_TYPE) != 0 && r[row + ICMP_TYPE] != in.icmpType
                    || (flags & HAS_DPORT) != 0 && !inPorts(r[row + DPORT_FROM], r[row + DPORT_TO], in.dstPort)
                    || (flags & HAS_SPORT) != 0 && !inPorts(r[row + SPORT_FROM], r[row + SPORT_TO], in.srcPort)
                    || (flags & HAS_SRC) != 0 && !addressMatches(flags & SRC_NEGATED, r[row + SRC_FROM], r[row + SRC_TO], in.family, in.srcV4)
                    || (flags & HAS_DST) != 0 && !addressMatches(flags & DST_NEGATED, r[row + DST_FROM], r[row + DST_TO], in.family, in.dstV4)) {
                continue;
            }
            return i;
        }
        return DEFAULT_POLICY;
    }

    private boolean inPorts(int from, int to, int port) {
        for (int k = from; k < to; k++) {
            if (port >= portLow[k] && port <= portHigh[k]) {
                return true;
            }
        }
        return false;
    }

    private boolean addressMatches(int negated, int from, int to, int family, int address) {
        if (family != Cidr.FAMILY_IPV4) {
            return false;
        }
        boolean inList = false;
        for (int k = from; k < to && !inList; k++) {
            inList = (address & cidrMask[k]) == cidrAddress[k];
        }
        return inList == (negated == 0);
    }

    public Action action(int ruleIndex) {
        return ruleIndex == DEFAULT_POLICY ? ruleSet.defaultPolicy() : actions[ruleIndex];
    }

    /**
     * Whether the rule names {@code ctStateBit} in its {@code state} match (a rule without one names nothing;
     * neither does the default policy). The data plane lets invalid packets through only such rules.
     */
    public boolean namesState(int ruleIndex, int ctStateBit) {
        return ruleIndex != DEFAULT_POLICY && (rows[ruleIndex * STRIDE + STATES] & ctStateBit) != 0;
    }

    public boolean logs(int ruleIndex) {
        return ruleIndex != DEFAULT_POLICY && logs[ruleIndex];
    }

    public SyncMode sync(int ruleIndex) {
        return ruleIndex == DEFAULT_POLICY ? SyncMode.DEFAULT : syncModes[ruleIndex];
    }

    /** 1-based source line of the rule; for the default policy its {@code policy} line, or 0 if implicit. */
    public int sourceLine(int ruleIndex) {
        return ruleIndex == DEFAULT_POLICY ? ruleSet.policyLine() : ruleSet.rules().get(ruleIndex).line();
    }

    /** Adds one packet of {@code bytes} to the rule's counters (data-plane thread only). */
    public void count(int ruleIndex, int bytes) {
        packets[ruleIndex + 1]++;
        this.bytes[ruleIndex + 1] += bytes;
    }

    public long packets(int ruleIndex) {
        return packets[ruleIndex + 1];
    }

    public long bytes(int ruleIndex) {
        return bytes[ruleIndex + 1];
    }

    /** Number of rules (the default policy not included). */
    public int size() {
        return size;
    }

    /** The rule as written in the file, or {@code policy ACTION} for the default policy. */
    public String describe(int ruleIndex) {
        return ruleIndex == DEFAULT_POLICY ? "policy " + ruleSet.defaultPolicy().keyword() : ruleSet.rules().get(ruleIndex).text();
    }

    public RuleSet ruleSet() {
        return ruleSet;
    }
}
