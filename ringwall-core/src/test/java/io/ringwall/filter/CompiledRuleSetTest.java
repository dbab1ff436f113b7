package io.ringwall.filter;

import static io.ringwall.filter.RuleParserTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompiledRuleSetTest {
    static final int LAN = 0;
    static final int WAN = 1;
    static final int DMZ = 2;
    static final List<String> INTERFACES = List.of("lan", "wan", "dmz");

    static CompiledRuleSet compile(String text) throws RuleSyntaxException {
        return RuleParser.parse("rules.conf", text).compile(INTERFACES::indexOf);
    }

    static FilterInput tcp(int inIf, int outIf, int src, int dst, int sport, int dport, int state) {
        return new FilterInput().set(inIf, outIf, src, dst, IpProtocol.TCP, sport, dport, state);
    }

    final int lanHost = ip(10, 1, 0, 5);
    final int server = ip(192, 0, 2, 10);

    @Test
    void firstMatchingRuleWinsOverLaterOnes() throws Exception {
        CompiledRuleSet set = compile("""
                drop proto tcp dport 22
                accept proto tcp
                reject proto tcp dport 22
                """);
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 4000, 22, CtState.NEW))).isEqualTo(0);
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 4000, 23, CtState.NEW))).isEqualTo(1);
        assertThat(set.action(0)).isEqualTo(Action.DROP);
        assertThat(set.action(1)).isEqualTo(Action.ACCEPT);
    }

    @Test
    void noMatchFallsToTheDefaultPolicy() throws Exception {
        CompiledRuleSet set = compile("policy reject\naccept proto udp\n");
        int index = set.match(tcp(LAN, WAN, lanHost, server, 1, 2, CtState.NEW));
        assertThat(index).isEqualTo(CompiledRuleSet.DEFAULT_POLICY);
        assertThat(set.action(index)).isEqualTo(Action.REJECT);
        assertThat(set.describe(index)).isEqualTo("policy reject");
        assertThat(set.sourceLine(index)).isEqualTo(1);
        assertThat(set.logs(index)).isFalse();
        assertThat(set.sync(index)).isEqualTo(SyncMode.DEFAULT);
        assertThat(compile("").action(-1)).isEqualTo(Action.DROP);
    }

    @Test
    void ruleWithoutMatchesMatchesEverything() throws Exception {
        CompiledRuleSet set = compile("accept");
        FilterInput icmp = new FilterInput();
        icmp.protocol = IpProtocol.ICMP;
        icmp.family = 6;
        assertThat(set.match(icmp)).isZero();
    }

    @Test
    void portRangesIncludeBothEndsAndTheExtremes() throws Exception {
        CompiledRuleSet set = compile("accept proto udp dport 0,1000-1010,65535\n");
        FilterInput in = new FilterInput().set(LAN, WAN, lanHost, server, IpProtocol.UDP, 5, 0, CtState.NEW);
        assertThat(set.match(in)).isZero();
        for (int port : new int[] {1000, 1010, 65535}) {
            in.dstPort = port;
            assertThat(set.match(in)).as("port %d", port).isZero();
        }
        for (int port : new int[] {1, 999, 1011, 65534}) {
            in.dstPort = port;
            assertThat(set.match(in)).as("port %d", port).isEqualTo(-1);
        }
        in.dstPort = 1005;
        in.protocol = IpProtocol.TCP;
        assertThat(set.match(in)).as("udp rule, tcp packet").isEqualTo(-1);
    }

    @Test
    void sourcePortsAreCheckedSeparatelyFromDestinationPorts() throws Exception {
        CompiledRuleSet set = compile("accept proto tcp sport 1024-65535 dport 53");
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 1024, 53, CtState.NEW))).isZero();
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 1023, 53, CtState.NEW))).isEqualTo(-1);
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 53, 1024, CtState.NEW))).isEqualTo(-1);
    }

    @Test
    void negatedAddressListMatchesAddressesOutsideEveryPrefix() throws Exception {
        CompiledRuleSet set = compile("accept from 10.1.0.0/24 to !10.2.0.0/16,192.0.2.0/24");
        assertThat(set.match(tcp(LAN, WAN, lanHost, ip(8, 8, 8, 8), 1, 2, CtState.NEW))).isZero();
        assertThat(set.match(tcp(LAN, WAN, lanHost, ip(10, 2, 255, 255), 1, 2, CtState.NEW))).isEqualTo(-1);
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 1, 2, CtState.NEW))).isEqualTo(-1);
        assertThat(set.match(tcp(LAN, WAN, ip(10, 1, 1, 0), ip(8, 8, 8, 8), 1, 2, CtState.NEW)))
                .as("source just outside /24").isEqualTo(-1);
        assertThat(set.match(tcp(LAN, WAN, ip(10, 1, 0, 255), ip(8, 8, 8, 8), 1, 2, CtState.NEW)))
                .as("last address of the /24").isZero();
    }

    @Test
    void addressMatchesNeverMatchAnotherFamilyEvenWhenNegated() throws Exception {
        CompiledRuleSet set = compile("accept to !10.0.0.0/8");
        FilterInput in = tcp(LAN, WAN, lanHost, ip(8, 8, 8, 8), 1, 2, CtState.NEW);
        assertThat(set.match(in)).isZero();
        in.family = 6;
        assertThat(set.match(in)).isEqualTo(-1);
    }

    @Test
    void bareAddressMeansSlash32AndSlash0MeansEverything() throws Exception {
        CompiledRuleSet host = compile("accept from 10.1.0.5");
        assertThat(host.match(tcp(LAN, WAN, lanHost, server, 1, 2, CtState.NEW))).isZero();
        assertThat(host.match(tcp(LAN, WAN, lanHost + 1, server, 1, 2, CtState.NEW))).isEqualTo(-1);
        CompiledRuleSet all = compile("accept from 0.0.0.0/0");
        assertThat(all.match(tcp(LAN, WAN, ip(255, 255, 255, 255), server, 1, 2, CtState.NEW))).isZero();
    }

    @Test
    void stateListMatchesAnyOfItsStates() throws Exception {
        CompiledRuleSet set = compile("accept state established,related\ndrop state invalid\naccept state new");
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 1, 2, CtState.ESTABLISHED))).isEqualTo(0);
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 1, 2, CtState.RELATED))).isEqualTo(0);
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 1, 2, CtState.INVALID))).isEqualTo(1);
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 1, 2, CtState.NEW))).isEqualTo(2);
    }

    @Test
    void interfacesResolveToNodeLocalIndexes() throws Exception {
        CompiledRuleSet set = compile("accept in lan out wan\naccept in dmz\naccept out dmz");
        assertThat(set.match(tcp(LAN, WAN, lanHost, server, 1, 2, CtState.NEW))).isEqualTo(0);
        assertThat(set.match(tcp(WAN, LAN, server, lanHost, 1, 2, CtState.NEW))).isEqualTo(-1);
        assertThat(set.match(tcp(DMZ, WAN, lanHost, server, 1, 2, CtState.NEW))).isEqualTo(1);
        assertThat(set.match(tcp(LAN, DMZ, lanHost, server, 1, 2, CtState.NEW))).isEqualTo(2);
        assertThat(set.match(tcp(FilterInput.UNKNOWN_INTERFACE, FilterInput.UNKNOWN_INTERFACE, lanHost, server,
                1, 2, CtState.NEW))).as("unknown interfaces match no interface rule").isEqualTo(-1);
    }

    @Test
    void icmpTypeMatchesOnlyThatType() throws Exception {
        CompiledRuleSet set = compile("accept proto icmp icmp-type echo-request");
        FilterInput in = new FilterInput();
        in.protocol = IpProtocol.ICMP;
        in.icmpType = 8;
        assertThat(set.match(in)).isZero();
        in.icmpType = 0;
        assertThat(set.match(in)).isEqualTo(-1);
    }

    @Test
    void countersAccumulatePerRuleAndForTheDefaultPolicy() throws Exception {
        CompiledRuleSet set = compile("accept proto tcp log sync strict\ndrop proto udp");
        set.count(0, 100);
        set.count(0, 60);
        set.count(-1, 1500);
        assertThat(set.packets(0)).isEqualTo(2);
        assertThat(set.bytes(0)).isEqualTo(160);
        assertThat(set.packets(1)).isZero();
        assertThat(set.bytes(1)).isZero();
        assertThat(set.packets(-1)).isEqualTo(1);
        assertThat(set.bytes(-1)).isEqualTo(1500);
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.logs(0)).isTrue();
        assertThat(set.logs(1)).isFalse();
        assertThat(set.sync(0)).isEqualTo(SyncMode.STRICT);
        assertThat(set.sourceLine(1)).isEqualTo(2);
        assertThat(set.describe(0)).isEqualTo("accept proto tcp log sync strict");
    }
}
