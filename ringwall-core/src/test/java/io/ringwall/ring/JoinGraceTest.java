package io.ringwall.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Join grace (docs/membership.md): for two seconds after a join, a hop next to the joiner waits at least 20 ms for
 * its ack, so a node that has just started and runs slow is not removed by the fast timers' 5 ms ack timeout.
 */
class JoinGraceTest {
    private static final long MS = 1_000_000L;
    private static final int ALL = 0b111;

    /** Three nodes on the fast timers; node 2 crashed and restarted, and is a member again. */
    private static SimRingNetwork ringWithRejoinedNode2() {
        SimRingNetwork net = new SimRingNetwork(RingConfig.fast(3), 7).startAll();
        net.runMs(3_000); // past every node's own start
        net.crash(2);
        net.runMs(200);
        assertThat(net.node(0).members()).isEqualTo(0b011);
        net.restart(2);
        for (int i = 0; i < 200 && net.node(0).members() != ALL; i++) {
            net.runMs(1);
        }
        assertThat(net.node(0).members()).as("node 2 joined again").isEqualTo(ALL);
        return net;
    }

    /**
     * Node 2 does not run for 12 ms from the moment its predecessor, node 1, receives the token: node 1 passes it
     * to node 2 after its 2 ms hop and then waits for the ack. Returns node 1's removals for missing acks meanwhile.
     */
    private static long removalsDuringAPauseOfNode2(SimRingNetwork net) {
        for (int i = 0; i < 10 && TokenRingTest.runUntilFreshHolder(net) != 1; i++) {
            // the token goes round in 6 ms; it reaches node 1 within a few visits
        }
        assertThat(TokenRingTest.holder(net)).isEqualTo(1);
        long before = net.node(1).counters().membersRemoved();
        net.pause(2);
        net.runMs(12);
        net.resume(2);
        net.runMs(50);
        return net.node(1).counters().membersRemoved() - before;
    }

    @Test
    void aJoinerThatActsLateInItsFirstSecondsIsNotRemoved() {
        SimRingNetwork net = ringWithRejoinedNode2();
        net.runMs(100);
        assertThat(removalsDuringAPauseOfNode2(net)).isZero();
        assertThat(net.node(0).members()).isEqualTo(ALL);
        assertThat(net.node(2).members()).isEqualTo(ALL);
    }

    @Test
    void theGraceEndsAfterTwoSecondsAndTheFastAckTimeoutHoldsAgain() {
        SimRingNetwork net = ringWithRejoinedNode2();
        net.runMs(JoinGrace.WINDOW_NS / MS + 100);
        assertThat(removalsDuringAPauseOfNode2(net)).as("a 12 ms silence is a failure with a 5 ms ack timeout")
                .isPositive();
    }

    @Test
    void onlyHopsNextToARecentJoinAndOnlyShortAckTimeoutsAreStretched() {
        long fast = 5 * MS;
        JoinGrace grace = new JoinGrace(0, 3, fast);
        JoinGrace defaultTimers = new JoinGrace(0, 3, 30 * MS);
        grace.started(0);
        defaultTimers.started(0);
        assertThat(grace.ackTimeoutNs(MS, 1)).as("this node has just started").isEqualTo(JoinGrace.ACK_FLOOR_NS);
        long later = JoinGrace.WINDOW_NS + MS;
        assertThat(grace.ackTimeoutNs(later, 1)).isEqualTo(fast);
        grace.membersChanged(later, 0b011, 0b111); // node 2 added
        defaultTimers.membersChanged(later, 0b011, 0b111);
        assertThat(grace.ackTimeoutNs(later + MS, 2)).isEqualTo(JoinGrace.ACK_FLOOR_NS);
        assertThat(grace.ackTimeoutNs(later + MS, 1)).as("a hop between seasoned members").isEqualTo(fast);
        assertThat(defaultTimers.ackTimeoutNs(later + MS, 2)).as("the default timers already wait longer")
                .isEqualTo(30 * MS);
        long much = later + JoinGrace.WINDOW_NS + MS;
        assertThat(grace.ackTimeoutNs(much, 2)).isEqualTo(fast);
        grace.membersChanged(much, 0b111, 0b001); // alone
        grace.membersChanged(much + MS, 0, 0b111); // joined others again (before: outside any ring)
        assertThat(grace.ackTimeoutNs(much + 2 * MS, 1)).as("this node itself joined: every hop")
                .isEqualTo(JoinGrace.ACK_FLOOR_NS);
        assertThat(grace.ackTimeoutNs(much + 2 * MS, 2)).isEqualTo(JoinGrace.ACK_FLOOR_NS);
    }
}
