package io.ringwall.ring;

import static io.ringwall.ring.SimRingNetwork.mask;
import static io.ringwall.ring.TokenRingTest.assertOneRing;
import static io.ringwall.ring.TokenRingTest.runUntilFreshHolder;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RingMembershipTest {
    private static final long SETTLE_MS = 1_000;

    @Test
    void startingNodeJoinsViaNineOneOne() {
        SimRingNetwork net = new SimRingNetwork(3, 10);
        net.start(0);
        net.start(1);
        net.runMs(SETTLE_MS);
        assertOneRing(net, mask(0, 1));
        net.start(2);
        RingConfig c = RingConfig.defaults(3);
        net.runMs(c.tokenAckTimeoutMs() + 3 * c.tokenHopMs() + 5); // one 911 round, then at most one rotation
        assertOneRing(net, mask(0, 1, 2));
        assertThat(net.node(2).counters().regenerations()).isZero();
        assertThat(net.node(2).counters().nineOneOnesDenied()).isEqualTo(1);
        assertThat(net.node(0).counters().joinsAdded() + net.node(1).counters().joinsAdded()).isEqualTo(1);
        assertThat(net.holderCount()).isLessThanOrEqualTo(1);
    }

    @Test
    void lonelyNodeRunsAlone() {
        SimRingNetwork net = new SimRingNetwork(3, 11);
        net.start(1);
        net.runMs(SETTLE_MS);
        RingStatus status = net.node(1).status();
        assertThat(status.alone()).isTrue();
        assertThat(status.memberList()).containsExactly(1);
        assertThat(status.holder()).isTrue();
        assertThat(status.quorum()).isFalse(); // majority of a 3-node map is 2
        assertThat(net.node(1).counters().regenerations()).isEqualTo(1);
        assertThat(net.node(1).sequence()).isGreaterThan(50); // keeps rotating to itself

        SimRingNetwork single = new SimRingNetwork(RingConfig.defaults(1), 12).startAll();
        single.runMs(SETTLE_MS);
        assertThat(single.node(0).status().alone()).isTrue();
        assertThat(single.node(0).hasQuorum()).isTrue(); // one-node clusters default to quorum none
    }

    @Test
    void slowNodeWronglyRemovedRejoins() {
        SimRingNetwork net = new SimRingNetwork(3, 13).startAll();
        net.runMs(SETTLE_MS);
        int h = runUntilFreshHolder(net);
        int slow = (h + 2) % 3;
        RingConfig c = RingConfig.defaults(3);
        net.pause(slow); // a GC pause longer than the ack timeout, shorter than the token loss timer
        net.runMs(c.tokenHopMs() * 2 + c.tokenAckTimeoutMs() + 10);
        assertThat(net.node(h).members() & (1 << slow)).isZero();
        net.resume(slow);
        net.runMs(c.tokenLossMs() + c.tokenAckTimeoutMs() + 3 * c.tokenHopMs() + 10);
        assertOneRing(net, mask(0, 1, 2));
        assertThat(net.node(slow).counters().nineOneOnesSent()).isGreaterThanOrEqualTo(1);
        net.trackHolders();
        net.runMs(SETTLE_MS);
        assertThat(net.maxHolders()).isEqualTo(1);
    }

    @Test
    void aRemovalSaysWhoWasRemovedAndWhy() {
        SimRingNetwork net = new SimRingNetwork(3, 13).startAll();
        net.runMs(SETTLE_MS);
        int h = runUntilFreshHolder(net);
        int dead = (h + 1) % 3;
        RingConfig c = RingConfig.defaults(3);
        assertThat(net.node(h).lastRemoval()).isNull();
        net.crash(dead);
        net.runMs(c.tokenHopMs() + c.tokenAckTimeoutMs() + 5);
        RemovalNote note = net.node(h).lastRemoval();
        assertThat(note).isNotNull();
        assertThat(note.node()).isEqualTo(dead);
        assertThat(note.ackTimeoutNs()).isEqualTo(c.tokenAckTimeoutMs() * 1_000_000L);
        assertThat(note.waitedNs()).isGreaterThanOrEqualTo(note.ackTimeoutNs());
        assertThat(note.transmissions()).isEqualTo(3); // the first send and two retransmissions over every path
        assertThat(note.epoch()).isEqualTo(net.node(h).epoch());
        assertThat(note.describe("gw" + dead)).startsWith("node=gw" + dead + " reason=no ack for token ")
                .contains("within 30.0 ms (sent 3 times");
        assertThat(net.node(h).counters().membersRemoved()).isEqualTo(1);
    }

    /**
     * The quorum window is as short as it may be (it is in every takeover hold): it still outlasts the longest
     * interval between a healthy member's accepted tokens — a removal elsewhere (an ack timeout) plus a lost token
     * (resent a third of an ack timeout later). 60 ms with the default timers for three nodes; the window is 62.
     */
    @Test
    void quorumOutlastsARemovalElsewhereAndALostToken() {
        RingConfig c = RingConfig.defaults(3);
        assertThat(c.quorumWindowNs()).isEqualTo(62_000_000L);
        assertThat(RingConfig.fast(3).quorumWindowNs()).isEqualTo(13_000_000L);
        SimRingNetwork net = new SimRingNetwork(c, 16).startAll();
        net.runMs(SETTLE_MS);
        while (runUntilFreshHolder(net) != 1) {
            // node 1 holds: node 2 dies before node 1 passes it the token, so node 1 times out and removes it
        }
        net.crash(2);
        net.dropNextToken(0, 1); // node 0's first token after the removal is lost and resent
        net.afterEveryEvent(() -> {
            assertThat(net.node(0).hasQuorum()).as("node 0 at %d ns", net.nowNs()).isTrue();
            assertThat(net.node(1).hasQuorum()).as("node 1 at %d ns", net.nowNs()).isTrue();
        });
        net.runMs(300);
        assertOneRing(net, mask(0, 1));
        assertThat(net.node(0).counters().retransmissions()).isPositive();
        assertThat(net.node(1).counters().membersRemoved()).isEqualTo(1);
    }

    @Test
    void partitionFormsTwoRingsAndOnlyMajorityHasQuorum() {
        SimRingNetwork net = new SimRingNetwork(5, 14).startAll();
        net.runMs(SETTLE_MS);
        net.partition(3, 4);
        net.runMs(SETTLE_MS);
        assertOneRing(net, mask(0, 1, 2));
        assertOneRing(net, mask(3, 4));
        assertThat(net.countNodes(i -> net.side(i) == 0 && net.node(i).isHolder())).isEqualTo(1);
        assertThat(net.countNodes(i -> net.side(i) == 1 && net.node(i).isHolder())).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            assertThat(net.node(i).hasQuorum()).as("node %d", i).isEqualTo(i < 3);
        }
        assertThat(net.node(0).epoch()).isNotEqualTo(net.node(3).epoch());
    }

    @Test
    void healedPartitionMerges() {
        SimRingNetwork net = new SimRingNetwork(5, 15).startAll();
        net.runMs(SETTLE_MS);
        net.partition(3, 4);
        net.runMs(SETTLE_MS);
        net.heal();
        RingConfig c = RingConfig.defaults(5);
        net.runMs(ChaosSweepTest.reformBoundMs(c));
        assertOneRing(net, mask(0, 1, 2, 3, 4));
        assertThat(net.node(3).counters().mergesLeft() + net.node(4).counters().mergesLeft()).isPositive();
        assertThat(net.node(0).counters().mergesLeft()).isZero(); // the larger ring absorbs, it never leaves
        for (int i = 0; i < 5; i++) {
            assertThat(net.node(i).hasQuorum()).isTrue();
        }
        net.trackHolders();
        net.runMs(SETTLE_MS);
        assertThat(net.maxHolders()).isEqualTo(1);
    }

    @Test
    void twoNodeClusterUsesTieBreaker() {
        SimRingNetwork net = new SimRingNetwork(2, 16).startAll();
        net.runMs(SETTLE_MS);
        assertThat(net.node(0).hasQuorum()).isTrue();
        assertThat(net.node(1).hasQuorum()).isTrue();
        net.node(0).setTieBreaker(true);
        net.node(1).setTieBreaker(true); // both answered before the partition
        net.partition(1);
        net.runMs(SETTLE_MS);
        assertThat(net.node(0).status().alone()).isTrue();
        assertThat(net.node(1).status().alone()).isTrue();
        assertThat(net.node(0).hasQuorum()).as("an answer from before the ring shrank proves nothing").isFalse();
        assertThat(net.node(1).hasQuorum()).isFalse();
        assertThat(net.node(0).needsTieBreakerProof()).isTrue();
        net.node(0).setTieBreaker(true); // node 0 still reaches the target: a fresh answer
        net.node(1).setTieBreaker(false, Long.MIN_VALUE); // its uplink is down too: it must not claim the VIPs
        assertThat(net.node(0).hasQuorum()).isTrue();
        assertThat(net.node(0).needsTieBreakerProof()).isFalse();
        assertThat(net.node(1).hasQuorum()).isFalse();

        SimRingNetwork strict = new SimRingNetwork(RingConfig.defaults(2).withQuorum(QuorumPolicy.majority(), false), 17);
        strict.startAll();
        strict.runMs(SETTLE_MS);
        strict.node(0).setTieBreaker(true);
        strict.partition(1);
        strict.runMs(SETTLE_MS);
        assertThat(strict.node(0).hasQuorum()).isFalse(); // tie-breaker disabled: a half ring never has quorum
    }

    @Test
    void quorumPoliciesCountMembers() {
        assertThat(QuorumPolicy.majority().required(5)).isEqualTo(3);
        assertThat(QuorumPolicy.majority().required(4)).isEqualTo(3);
        assertThat(QuorumPolicy.fixed(2).required(5)).isEqualTo(2);
        assertThat(QuorumPolicy.none().required(16)).isEqualTo(1);
        SimRingNetwork net = new SimRingNetwork(RingConfig.defaults(5).withQuorum(QuorumPolicy.fixed(2), false), 18);
        net.startAll();
        net.runMs(SETTLE_MS);
        net.partition(3, 4);
        net.runMs(SETTLE_MS);
        assertThat(net.node(3).hasQuorum()).isTrue();
        assertThat(net.node(0).hasQuorum()).isTrue();
    }

    @Test
    void trainCarriagesChangeOnlyAtTheHolder() {
        SimRingNetwork net = new SimRingNetwork(3, 19).startAll();
        net.runMs(SETTLE_MS);
        int h = runUntilFreshHolder(net);
        int offerer = (h + 2) % 3; // not holding now: the update must wait for its visit
        byte[] vips = "10.0.0.1=node2".getBytes(StandardCharsets.US_ASCII);
        assertThat(net.node(offerer).offerCarriageUpdate(3, vips)).isTrue();
        boolean sawBeforeOffererHeld = false;
        boolean offererHeld = false;
        for (int t = 0; t < 60; t++) {
            net.runMs(1);
            offererHeld |= net.node(offerer).isHolder();
            for (int i = 0; i < 3; i++) {
                if (!offererHeld && !net.node(i).train().isEmpty()) {
                    sawBeforeOffererHeld = true;
                }
            }
        }
        assertThat(sawBeforeOffererHeld).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(net.node(i).train()).containsExactly(new Carriage(3, 1, vips));
        }
        net.node(h).offerCarriageUpdate(3, new byte[] {9});
        net.node(h).offerCarriageUpdate(4, new byte[] {});
        net.runMs(60);
        for (int i = 0; i < 3; i++) {
            assertThat(net.node(i).train()).containsExactly(new Carriage(3, 2, new byte[] {9}), new Carriage(4, 1, new byte[0]));
        }
        assertThat(net.node(h).offerCarriageUpdate(5, new byte[Carriage.MAX_PAYLOAD_BYTES + 1])).isFalse();
    }

    /**
     * A holder adds a joiner only when the node's roles agree (they refuse while the train still names the joiner
     * the owner of something its previous incarnation held), unless the ring has no quorum without it.
     */
    @Test
    void joinersWaitForTheRolesUnlessTheRingNeedsThemForQuorum() {
        SimRingNetwork net = new SimRingNetwork(3, 21).startAll();
        net.runMs(300);
        net.crash(2);
        net.runMs(300); // removed: the two survivors have a quorum on their own
        boolean[] open = {false};
        net.node(0).joinGate(node -> open[0]);
        net.node(1).joinGate(node -> open[0]);
        net.restart(2);
        net.runMs(400);
        assertThat(net.node(0).members() & 0b100).as("held back while the roles refuse").isZero();
        assertThat(net.node(0).members()).isEqualTo(0b011);
        open[0] = true;
        net.runMs(300);
        assertThat(net.node(0).members()).isEqualTo(0b111);

        SimRingNetwork alone = new SimRingNetwork(3, 22).startAll();
        alone.runMs(300);
        alone.crash(1);
        alone.crash(2);
        alone.runMs(400); // node 0 alone: no quorum without a joiner
        alone.node(0).joinGate(node -> false);
        alone.restart(1);
        alone.runMs(400);
        assertThat(alone.node(0).members()).as("a ring below quorum admits joiners anyway").isEqualTo(0b011);
    }
}
