package io.ringwall.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleParserTest {
    static final String EXAMPLE = """
            # comments with '#', blank lines ignored; first match wins
            policy reject

            accept state established,related
            drop   state invalid
            accept in lan out wan proto tcp dport 80,443,8000-8080 sync strict
            reject in wan proto tcp dport 23 log
            accept proto icmp icmp-type echo-request
            accept from 10.1.0.0/24 to !10.2.0.0/16 proto udp sport 1024-65535 dport 53
            accept in lan proto tcp                        # any port
            drop from 192.168.1.7,172.16.0.0/12 proto 47 sync async comment "no GRE # from there" log
            """;

    static RuleSet parse(String text) throws RuleSyntaxException {
        return RuleParser.parse("rules.conf", text);
    }

    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    @Test
    void exampleFileParsesEveryConstruct() throws Exception {
        RuleSet set = parse(EXAMPLE);
        assertThat(set.fileName()).isEqualTo("rules.conf");
        assertThat(set.defaultPolicy()).isEqualTo(Action.REJECT);
        assertThat(set.policyLine()).isEqualTo(2);
        List<Rule> rules = set.rules();
        assertThat(rules).hasSize(8);

        Rule state = rules.get(0);
        assertThat(state.line()).isEqualTo(4);
        assertThat(state.action()).isEqualTo(Action.ACCEPT);
        assertThat(state.states()).isEqualTo(CtState.ESTABLISHED | CtState.RELATED);
        assertThat(state.protocol()).isEqualTo(IpProtocol.ANY);
        assertThat(state.source().isAny()).isTrue();
        assertThat(rules.get(1).states()).isEqualTo(CtState.INVALID);

        Rule web = rules.get(2);
        assertThat(web.inInterface()).isEqualTo("lan");
        assertThat(web.inInterfaceColumn()).isEqualTo(11);
        assertThat(web.outInterface()).isEqualTo("wan");
        assertThat(web.outInterfaceColumn()).isEqualTo(19);
        assertThat(web.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(web.destinationPorts()).containsExactly(new PortRange(80, 80), new PortRange(443, 443),
                new PortRange(8000, 8080));
        assertThat(web.sync()).isEqualTo(SyncMode.STRICT);
        assertThat(web.log()).isFalse();

        Rule telnet = rules.get(3);
        assertThat(telnet.action()).isEqualTo(Action.REJECT);
        assertThat(telnet.log()).isTrue();
        assertThat(telnet.sync()).isEqualTo(SyncMode.DEFAULT);

        Rule ping = rules.get(4);
        assertThat(ping.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(ping.icmpType()).isEqualTo(8);

        Rule dns = rules.get(5);
        assertThat(dns.source()).isEqualTo(new AddressMatch(List.of(Cidr.ipv4(ip(10, 1, 0, 0), 24)), false));
        assertThat(dns.destination()).isEqualTo(new AddressMatch(List.of(Cidr.ipv4(ip(10, 2, 0, 0), 16)), true));
        assertThat(dns.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(dns.sourcePorts()).containsExactly(new PortRange(1024, 65535));
        assertThat(dns.destinationPorts()).containsExactly(new PortRange(53, 53));

        Rule anyPort = rules.get(6);
        assertThat(anyPort.text()).isEqualTo("accept in lan proto tcp");
        assertThat(anyPort.destinationPorts()).isEmpty();

        Rule gre = rules.get(7);
        assertThat(gre.source().cidrs()).containsExactly(Cidr.ipv4(ip(192, 168, 1, 7), 32), Cidr.ipv4(ip(172, 16, 0, 0), 12));
        assertThat(gre.protocol()).isEqualTo(47);
        assertThat(gre.sync()).isEqualTo(SyncMode.ASYNC);
        assertThat(gre.comment()).isEqualTo("no GRE # from there");
        assertThat(gre.log()).isTrue();
        assertThat(gre.text()).endsWith("comment \"no GRE # from there\" log");
    }

    @Test
    void emptyFileHasDefaultPolicyDropAndNoRules() throws Exception {
        RuleSet set = parse("\n# nothing here\n   \n");
        assertThat(set.defaultPolicy()).isEqualTo(Action.DROP);
        assertThat(set.policyLine()).isZero();
        assertThat(set.rules()).isEmpty();
    }

    @Test
    void matchesMayComeInAnyOrderAndCrlfIsAccepted() throws Exception {
        Rule a = parse("accept dport 22 proto tcp in lan\r\n").rules().getFirst();
        Rule b = parse("accept in lan proto tcp dport 22").rules().getFirst();
        assertThat(a.canonical()).isEqualTo(b.canonical()).isEqualTo("accept in lan proto tcp dport 22");
        assertThat(a.text()).isEqualTo("accept dport 22 proto tcp in lan");
    }

    @Test
    void protocolNumbersIcmpTypeNumbersAndSyncOffParse() throws Exception {
        Rule r = parse("drop proto 1 icmp-type 13 sync off").rules().getFirst();
        assertThat(r.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(r.icmpType()).isEqualTo(13);
        assertThat(r.sync()).isEqualTo(SyncMode.OFF);
        assertThat(parse("accept proto 6 dport 0,65535").rules().getFirst().destinationPorts())
                .containsExactly(new PortRange(0, 0), new PortRange(65535, 65535));
    }

    @Test
    void canonicalFormParsesBackToTheSameRule() throws Exception {
        for (Rule r : parse(EXAMPLE).rules()) {
            Rule again = parse("\n".repeat(r.line() - 1) + r.canonical()).rules().getFirst();
            assertThat(again.canonical()).isEqualTo(r.canonical());
            assertThat(again.source()).isEqualTo(r.source());
            assertThat(again.destinationPorts()).isEqualTo(r.destinationPorts());
        }
    }

    @Test
    void maximumListLengthIsAccepted() throws Exception {
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < RuleParser.MAX_LIST_ENTRIES; i++) {
            ports.append(i == 0 ? "" : ",").append(1000 + i);
        }
        assertThat(parse("accept proto tcp dport " + ports).rules().getFirst().destinationPorts())
                .hasSize(RuleParser.MAX_LIST_ENTRIES);
    }

    @Test
    void maximumRuleCountIsAccepted() throws Exception {
        String text = "accept proto tcp dport 1\n".repeat(RuleParser.MAX_RULES);
        assertThat(parse(text).rules()).hasSize(RuleParser.MAX_RULES);
    }
}
