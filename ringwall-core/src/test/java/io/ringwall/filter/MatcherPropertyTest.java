package io.ringwall.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compiled matcher agrees with a direct reading of the {@link Rule} model on random rule sets
 * and random packets. Values are drawn from small pools (with range edges) so that rules match often
 * enough for disagreements to show up.
 */
class MatcherPropertyTest {
    static final long SEED = 0x5EED_F117E2L;
    static final int RULE_SETS = 300;
    static final int PACKETS_PER_SET = 400;
    static final List<String> INTERFACES = List.of("lan", "wan", "dmz");
    static final List<String> CIDRS = List.of("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3", "192.0.2.0/24",
            "0.0.0.0/0", "10.1.2.2/31");
    static final int[] HOSTS = {ip(10, 1, 2, 3), ip(10, 1, 2, 2), ip(10, 1, 3, 1), ip(10, 2, 0, 1), ip(192, 0, 2, 9),
        ip(8, 8, 8, 8), 0, -1};
    static final int[] PORTS = {0, 1, 53, 80, 1023, 1024, 8080, 65534, 65535};
    static final String[] PROTOCOLS = {"tcp", "udp", "icmp", "47"};
    static final int[] PACKET_PROTOCOLS = {IpProtocol.TCP, IpProtocol.UDP, IpProtocol.ICMP, 47, 0};
    static final int[] ICMP_TYPES = {0, 3, 8, 11};

    static int ip(int a, int b, int c, int d) {
        return RuleParserTest.ip(a, b, c, d);
    }

    @Test
    void compiledMatcherAgreesWithTheRuleModelOnRandomInputs() throws Exception {
        Prng prng = new Prng(SEED);
        int nonDefault = 0;
        for (int s = 0; s < RULE_SETS; s++) {
            String text = randomRuleSet(prng);
            RuleSet set = RuleParser.parse("random.conf", text);
            CompiledRuleSet compiled = set.compile(INTERFACES::indexOf);
            FilterInput in = new FilterInput();
            for (int p = 0; p < PACKETS_PER_SET; p++) {
                randomPacket(prng, in);
                int expected = referenceMatch(set, in);
                assertThat(compiled.match(in)).as("rule set:\n%s", text).isEqualTo(expected);
                nonDefault += expected >= 0 ? 1 : 0;
            }
        }
        // Guard against a vacuous test where nothing ever matches.
        assertThat(nonDefault).isGreaterThan(RULE_SETS * PACKETS_PER_SET / 10);
    }

    /** The straightforward interpretation: every present match must hold, first rule wins. */
    static int referenceMatch(RuleSet set, FilterInput in) {
        for (int i = 0; i < set.rules().size(); i++) {
            Rule r = set.rules().get(i);
            boolean ok = (r.inInterface() == null || INTERFACES.indexOf(r.inInterface()) == in.inIf)
                    && (r.outInterface() == null || INTERFACES.indexOf(r.outInterface()) == in.outIf)
                    && addressMatches(r.source(), in.family, in.srcV4)
                    && addressMatches(r.destination(), in.family, in.dstV4)
                    && (r.protocol() == IpProtocol.ANY || r.protocol() == in.protocol)
                    && portsMatch(r.sourcePorts(), in.srcPort)
                    && portsMatch(r.destinationPorts(), in.dstPort)
                    && (r.icmpType() == Rule.ANY_ICMP_TYPE || r.icmpType() == in.icmpType)
                    && (r.states() == 0 || (r.states() & in.ctState) != 0);
            if (ok) {
                return i;
            }
        }
        return -1;
    }

    static boolean addressMatches(AddressMatch m, int family, int address) {
        if (m.isAny()) {
            return true;
        }
        if (family != 4) {
            return false;
        }
        boolean any = m.cidrs().stream().anyMatch(c -> c.containsV4(address));
        return m.negated() ? !any : any;
    }

    static boolean portsMatch(List<PortRange> ranges, int port) {
        return ranges.isEmpty() || ranges.stream().anyMatch(r -> r.contains(port));
    }

    static String randomRuleSet(Prng prng) {
        StringBuilder out = new StringBuilder("policy " + pick(prng, "accept", "drop", "reject") + "\n");
        int rules = 1 + prng.nextInt(12);
        for (int i = 0; i < rules; i++) {
            out.append(randomRule(prng)).append('\n');
        }
        return out.toString();
    }

    static String randomRule(Prng prng) {
        StringBuilder r = new StringBuilder(pick(prng, "accept", "drop", "reject"));
        if (prng.chance(0.3)) {
            r.append(" in ").append(INTERFACES.get(prng.nextInt(INTERFACES.size())));
        }
        if (prng.chance(0.3)) {
            r.append(" out ").append(INTERFACES.get(prng.nextInt(INTERFACES.size())));
        }
        if (prng.chance(0.4)) {
            r.append(" from ").append(randomAddresses(prng));
        }
        if (prng.chance(0.4)) {
            r.append(" to ").append(randomAddresses(prng));
        }
        String proto = prng.chance(0.7) ? PROTOCOLS[prng.nextInt(PROTOCOLS.length)] : null;
        if (proto != null) {
            r.append(" proto ").append(proto);
            boolean ported = proto.equals("tcp") || proto.equals("udp");
            if (ported && prng.chance(0.4)) {
                r.append(" sport ").append(randomPorts(prng));
            }
            if (ported && prng.chance(0.6)) {
                r.append(" dport ").append(randomPorts(prng));
            }
            if (proto.equals("icmp") && prng.chance(0.6)) {
                r.append(" icmp-type ").append(ICMP_TYPES[prng.nextInt(ICMP_TYPES.length)]);
            }
        }
        if (prng.chance(0.3)) {
            int mask = 1 + prng.nextInt(CtState.ALL);
            r.append(" state ").append(CtState.describe(mask));
        }
        if (prng.chance(0.2)) {
            r.append(" log");
        }
        return r.toString();
    }

    static String randomAddresses(Prng prng) {
        StringBuilder out = new StringBuilder(prng.chance(0.3) ? "!" : "");
        int n = 1 + prng.nextInt(3);
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",").append(CIDRS.get(prng.nextInt(CIDRS.size())));
        }
        return out.toString();
    }

    static String randomPorts(Prng prng) {
        StringBuilder out = new StringBuilder();
        int n = 1 + prng.nextInt(3);
        for (int i = 0; i < n; i++) {
            int a = PORTS[prng.nextInt(PORTS.length)];
            int b = PORTS[prng.nextInt(PORTS.length)];
            out.append(i == 0 ? "" : ",").append(prng.chance(0.5) ? Integer.toString(a) : Math.min(a, b) + "-" + Math.max(a, b));
        }
        return out.toString();
    }

    static void randomPacket(Prng prng, FilterInput in) {
        in.inIf = prng.nextInt(INTERFACES.size() + 1) - 1;
        in.outIf = prng.nextInt(INTERFACES.size() + 1) - 1;
        in.family = prng.chance(0.05) ? 6 : 4;
        in.srcV4 = HOSTS[prng.nextInt(HOSTS.length)];
        in.dstV4 = HOSTS[prng.nextInt(HOSTS.length)];
        in.protocol = PACKET_PROTOCOLS[prng.nextInt(PACKET_PROTOCOLS.length)];
        in.srcPort = jitter(prng, PORTS[prng.nextInt(PORTS.length)]);
        in.dstPort = jitter(prng, PORTS[prng.nextInt(PORTS.length)]);
        in.icmpType = ICMP_TYPES[prng.nextInt(ICMP_TYPES.length)] + (prng.chance(0.1) ? 1 : 0);
        in.ctState = 1 << prng.nextInt(4);
    }

    /** A port or its neighbour, clamped to 0..65535, to probe both sides of every range edge. */
    static int jitter(Prng prng, int port) {
        return Math.clamp(port + prng.nextInt(3) - 1, 0, PortRange.MAX_PORT);
    }

    static String pick(Prng prng, String... options) {
        return options[prng.nextInt(options.length)];
    }
}
