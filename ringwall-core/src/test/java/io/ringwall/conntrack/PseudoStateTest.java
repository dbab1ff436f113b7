package io.ringwall.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PseudoStateTest {
    private static final long SECOND = 1_000_000_000L;
    private final Conntrack ct = new Conntrack(ConntrackConfig.defaults().withCapacities(16, 16));
    private final FlowKey out = new FlowKey();
    private final FlowKey back = new FlowKey();
    private final PacketFacts facts = new PacketFacts();

    private PacketFacts udp(int length) {
        facts.clear();
        facts.protocol = 17;
        facts.length = length;
        return facts;
    }

    private PacketFacts icmp(int type, int id) {
        facts.clear();
        facts.protocol = 1;
        facts.icmpType = type;
        facts.icmpId = id;
        facts.length = 84;
        return facts;
    }

    @Test
    void udpFlowIsUnrepliedUntilTheAnswerAndThenUsesTheLongerTimeout() {
        out.setV4(17, 0x0A00_0001, 5353, 0x0A00_0002, 53);
        back.setV4(17, 0x0A00_0002, 53, 0x0A00_0001, 5353);
        long t = 10 * SECOND;
        assertThat(ct.classify(out, udp(60), t)).isEqualTo(CtVerdict.NEW);
        int slot = ct.create(out, udp(60), t);
        assertThat(ct.active().state(slot)).isEqualTo(FlowState.UDP_UNREPLIED);
        assertThat(ct.active().describe(slot)).contains("UNREPLIED");
        assertThat(ct.classify(out, udp(60), t + SECOND)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(ct.active().replied(slot)).isFalse();
        assertThat(ct.timeoutNs(ct.active(), slot)).isEqualTo(30 * SECOND);

        assertThat(ct.classify(back, udp(200), t + 2 * SECOND)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(ct.lastFromOriginator()).isFalse();
        assertThat(ct.active().state(slot)).isEqualTo(FlowState.UDP_REPLIED);
        assertThat(ct.active().replied(slot)).isTrue();
        assertThat(ct.active().bytes(slot, false)).isEqualTo(200);
        assertThat(ct.active().bytes(slot, true)).isEqualTo(120);

        assertThat(ct.expire(t + 2 * SECOND + 119 * SECOND, 32)).isZero();
        assertThat(ct.expire(t + 2 * SECOND + 120 * SECOND, 32)).isEqualTo(1);
    }

    @Test
    void unrepliedUdpFlowExpiresAfterThirtySeconds() {
        out.setV4(17, 1, 1000, 2, 2000);
        ct.create(out, udp(60), 0);
        assertThat(ct.expire(29 * SECOND, 32)).isZero();
        assertThat(ct.expire(30 * SECOND, 32)).isEqualTo(1);
        assertThat(ct.classify(out, udp(60), 31 * SECOND)).isEqualTo(CtVerdict.NEW);
    }

    @Test
    void icmpEchoRequestStartsAFlowAndTheReplyMatchesIt() {
        out.setIcmpEchoV4(0x0A00_0001, 0x0808_0808, 777);
        back.setIcmpEchoV4(0x0808_0808, 0x0A00_0001, 777);
        assertThat(ct.classify(out, icmp(PacketFacts.ICMP_ECHO_REPLY, 777), 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(ct.classify(out, icmp(PacketFacts.ICMP_ECHO_REQUEST, 777), 0)).isEqualTo(CtVerdict.NEW);
        int slot = ct.create(out, icmp(PacketFacts.ICMP_ECHO_REQUEST, 777), 0);
        assertThat(ct.active().state(slot)).isEqualTo(FlowState.ICMP_UNREPLIED);
        // a "request" coming back from the target is not a reply
        assertThat(ct.classify(back, icmp(PacketFacts.ICMP_ECHO_REQUEST, 777), SECOND)).isEqualTo(CtVerdict.INVALID);
        assertThat(ct.classify(back, icmp(PacketFacts.ICMP_ECHO_REPLY, 777), SECOND)).isEqualTo(CtVerdict.ESTABLISHED);
        assertThat(ct.active().state(slot)).isEqualTo(FlowState.ICMP_REPLIED);
        assertThat(ct.expire(SECOND + 29 * SECOND, 32)).isZero();
        assertThat(ct.expire(SECOND + 30 * SECOND, 32)).isEqualTo(1);
    }

    @Test
    void icmpEchoWithAnotherIdentifierIsAnotherFlow() {
        out.setIcmpEchoV4(1, 2, 1);
        ct.create(out, icmp(PacketFacts.ICMP_ECHO_REQUEST, 1), 0);
        back.setIcmpEchoV4(2, 1, 2);
        assertThat(ct.classify(back, icmp(PacketFacts.ICMP_ECHO_REPLY, 2), 0)).isEqualTo(CtVerdict.INVALID);
    }

    @Test
    void icmpErrorQuotingAKnownFlowFindsItAsRelated() {
        out.setV4(17, 0x0A00_0001, 5353, 0x0A00_0002, 53);
        int slot = ct.create(out, udp(60), 0);
        FlowKey quoted = new FlowKey();
        quoted.setV4(17, 0x0A00_0001, 5353, 0x0A00_0002, 53);
        assertThat(ct.lookupRelated(quoted)).isEqualTo(slot);
        quoted.setV4(17, 0x0A00_0001, 5354, 0x0A00_0002, 53);
        assertThat(ct.lookupRelated(quoted)).isEqualTo(-1);
    }

    @Test
    void otherProtocolsDoNotStartFlows() {
        out.setV4(47, 1, 0, 2, 0);
        facts.clear();
        facts.protocol = 47;
        assertThat(ct.classify(out, facts, 0)).isEqualTo(CtVerdict.INVALID);
        assertThat(ct.create(out, facts, 0)).isEqualTo(-1);
        assertThat(ct.active().size()).isZero();
    }
}
