package io.ringwall.ring;

import static io.ringwall.ring.SimRingNetwork.MS;
import static io.ringwall.ring.SimRingNetwork.mask;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TokenRingTest {
    private static final long SETTLE_MS = 1_000;

    /** Runs in 1 ms steps and returns each new holder in the order the token reached them. */
    static List<Integer> holderSequence(SimRingNetwork net, long ms) {
        List<Integer> seq = new ArrayList<>();
        int last = -1;
        for (long t = 0; t < ms; t++) {
            net.runMs(1);
            for (int i = 0; i < net.size(); i++) {
                if (net.up(i) && net.node(i).isHolder() && i != last) {
                    seq.add(i);
                    last = i;
                }
            }
        }
        return seq;
    }

    /** {@code nodes} nodes on a network seeded with {@code seed}, started together and run until their ring settled. */
    static SimRingNetwork settledRing(int nodes, long seed) {
        SimRingNetwork net = new SimRingNetwork(nodes, seed).startAll();
        net.runMs(SETTLE_MS);
        return net;
    }

    static int holder(SimRingNetwork net) {
        for (int i = 0; i < net.size(); i++) {
            if (net.up(i) && net.node(i).isHolder()) {
                return i;
            }
        }
        return -1;
    }

    /** Steps until the token is freshly at some node (first millisecond of its visit). */
    static int runUntilFreshHolder(SimRingNetwork net) {
        int before = holder(net);
        for (int i = 0; i < 1_000; i++) {
            net.runMs(1);
            int now = holder(net);
            if (now >= 0 && now != before) {
                return now;
            }
            before = now;
        }
        throw new AssertionError("no token movement");
    }

    static void assertOneRing(SimRingNetwork net, int expectedMembers) {
        for (int i = 0; i < net.size(); i++) {
            if ((expectedMembers & (1 << i)) != 0) {
                assertThat(net.node(i).members()).as("members seen by node %d", i).isEqualTo(expectedMembers);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void tokenCirculatesInNodeMapOrder(int nodes) {
        SimRingNetwork net = settledRing(nodes, 1);
        assertOneRing(net, (1 << nodes) - 1);
        long seqBefore = net.node(0).sequence();
        List<Integer> order = holderSequence(net, 20L * nodes * 10);
        assertThat(order).hasSizeGreaterThanOrEqualTo(3 * nodes);
        for (int i = 1; i < order.size(); i++) {
            assertThat(order.get(i)).isEqualTo((order.get(i - 1) + 1) % nodes);
        }
        assertThat(net.node(0).sequence()).isGreaterThan(seqBefore);
        RingStatus status = net.node(0).status();
        assertThat(status.lastRotationNs()).isBetween(nodes * 10 * MS, nodes * 11 * MS);
        assertThat(status.memberList()).hasSize(nodes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"next", "idle", "holder"})
    void crashedNodeIsRemovedWithinAckTimeout(String which) {
        for (int nodes : new int[] {3, 5}) {
            SimRingNetwork net = settledRing(nodes, 2);
            RingConfig c = RingConfig.defaults(nodes);
            int h = runUntilFreshHolder(net);
            int victim = switch (which) {
                case "next" -> (h + 1) % nodes;
                case "idle" -> (h + 2) % nodes;
                default -> h;
            };
            long epochBefore = net.node((victim + 1) % nodes).epoch();
            net.crash(victim);
            long crashNs = net.nowNs();
            // Time for the token to be handed to the victim, then the ack timeout decides.
            long reachMs = switch (which) {
                case "next" -> c.tokenHopMs();
                case "idle" -> 2 * c.tokenHopMs();
                default -> c.tokenLossMs() + c.tokenAckTimeoutMs() + nodes * c.tokenHopMs();
            };
            int survivors = ((1 << nodes) - 1) & ~(1 << victim);
            long removedAt = removedFromTheHoldersRing(net, victim, reachMs + c.tokenAckTimeoutMs() + 50);
            assertThat(removedAt).as("%s crash in %d nodes removed", which, nodes).isPositive();
            assertThat(removedAt - crashNs).isLessThanOrEqualTo((reachMs + c.tokenAckTimeoutMs() + 3) * MS);
            if (!which.equals("holder")) {
                assertThat(removedAt - crashNs).isGreaterThanOrEqualTo((reachMs + c.tokenAckTimeoutMs() - 2) * MS);
            } else {
                // the holder's crash is repaired by a 911 regeneration: the ring now runs on a newer epoch
                assertThat(net.node(holder(net)).epoch()).isGreaterThan(epochBefore);
            }
            net.runMs(2 * reachMs + 200);
            assertOneRing(net, survivors);
            assertThat(net.holderCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5})
    void holderCrashIsRepairedOneHopAfterTheAlarmOnceAQuorumAnswered(int nodes) {
        SimRingNetwork net = settledRing(nodes, 7);
        RingConfig c = RingConfig.defaults(nodes);
        int h = runUntilFreshHolder(net);
        net.crash(h); // dies with the token it was just handed (and acked): nobody waits for an ack of it
        long crashNs = net.nowNs();
        long repairedNs = removedFromTheHoldersRing(net, h, c.tokenLossMs() + c.tokenAckTimeoutMs() + 20);
        // The last alarm the live members refuse comes token_loss after the victim's ack at the latest; the round
        // after it ends as soon as the others (a quorum) have granted, a hop later at most: it does not wait an ack
        // timeout for the dead holder to answer (in three nodes it ends at once: holderCrashInThreeNodes… below).
        assertThat(repairedNs).isPositive();
        assertThat(repairedNs - crashNs).isLessThanOrEqualTo((c.tokenLossMs() + c.tokenHopMs() + 2) * MS);
        // The regenerated token's first rotation is not held anywhere: it is back at its originator at once.
        net.runMs(3);
        int originator = -1;
        for (int i = 0; i < nodes; i++) {
            if (i != h && net.node(i).counters().regenerations() > 0) {
                originator = i;
            }
        }
        assertThat(originator).isNotNegative();
        assertThat(net.node(originator).status().lastRotationNs()).isLessThan(2 * MS);
        // ... so for two rotations a removal may follow an unheld send (the takeover hold then assumes one hop)
        assertThat(net.node(originator).unheldRotationRecent()).isTrue();
        net.runMs(4L * nodes * c.tokenHopMs());
        assertThat(net.node(originator).unheldRotationRecent()).isFalse();
        net.runMs(200);
        assertOneRing(net, ((1 << nodes) - 1) & ~(1 << h)); // and every live node is in the regenerated ring
    }

    /**
     * Three nodes, the holder dies with the token. Its successor is the first to be silent for token_loss (its
     * last token event was a hop before the predecessor's); the predecessor, whose own loss timer has a hop to go,
     * refuses that alarm but takes it as proof that the token died with the holder and starts its own round at once
     * (the stuck-holder rule), which ends as soon as the successor answered — it does not wait a hop for the dead
     * holder. Without the rule the predecessor's own alarm came a hop later and its round ended a hop after that:
     * two hops (20 ms) more.
     */
    @Test
    void holderCrashInThreeNodesIsRepairedByItsSuccessorsAlarm() {
        SimRingNetwork net = settledRing(3, 7);
        RingConfig c = RingConfig.defaults(3);
        int h = runUntilFreshHolder(net);
        int successor = (h + 1) % 3;
        int predecessor = (h + 2) % 3;
        net.crash(h);
        long crashNs = net.nowNs();
        long repairedNs = removedFromTheHoldersRing(net, h, c.tokenLossMs() + c.tokenAckTimeoutMs());
        assertThat(repairedNs).isPositive();
        assertThat(repairedNs - crashNs).isLessThanOrEqualTo((c.tokenLossMs() - c.tokenHopMs() + 2) * MS);
        assertThat(net.node(predecessor).counters().regenerations()).isEqualTo(1);
        assertThat(net.node(successor).counters().regenerations()).isZero();
        assertThat(net.node(predecessor).counters().stuckHolderRounds()).isEqualTo(1);
        net.runMs(200);
        assertOneRing(net, 0b111 & ~(1 << h));
    }

    /**
     * The node that regenerates a lost token must be the one with its newest train: the holder's predecessor, whose
     * pass the holder accepted. Had the successor regenerated from its own copy (one visit older), the carriage the
     * predecessor wrote at its last visit would be lost — a VIP table or bucket map it planned and already went by.
     */
    @Test
    void holderCrashKeepsTheCarriageItsPredecessorWroteLast() {
        SimRingNetwork net = settledRing(3, 7);
        int predecessor = runUntilFreshHolder(net);
        int h = (predecessor + 1) % 3;
        byte[] written = {1, 2, 3};
        assertThat(net.node(predecessor).offerCarriageUpdate(77, written)).isTrue();
        assertThat(runUntilFreshHolder(net)).as("the predecessor passed the token on").isEqualTo(h);
        assertThat(net.node(h).train()).anyMatch(c -> c.type() == 77 && c.payloadEquals(written));
        net.crash(h);
        RingConfig c = RingConfig.defaults(3);
        assertThat(removedFromTheHoldersRing(net, h, c.tokenLossMs() + c.tokenAckTimeoutMs())).isPositive();
        net.runMs(200);
        for (int node = 0; node < 3; node++) {
            if (node != h) {
                assertThat(net.node(node).train()).as("node %d's train", node)
                        .anyMatch(x -> x.type() == 77 && x.payloadEquals(written));
            }
        }
    }

    /** Runs in 1 ms steps until a holder's ring no longer has {@code victim}: that time, or -1 after limitMs. */
    private static long removedFromTheHoldersRing(SimRingNetwork net, int victim, long limitMs) {
        for (int t = 0; t < limitMs; t++) {
            net.runMs(1);
            int holder = holder(net);
            if (holder >= 0 && (net.node(holder).members() & (1 << victim)) == 0) {
                return net.nowNs();
            }
        }
        return -1;
    }

    /**
     * The rule needs proof that the token stopped with the member this node passed it to: not while the token could
     * still be on its way (the round waits two hops and an ack timeout after the pass), not for an alarm of that
     * member itself, not for an alarm whose sequence shows the token went past this node's pass, and not for one of
     * another epoch. The alarm itself is refused either way: this node is still live by its own loss timer.
     */
    @Test
    void stuckHolderRuleStartsARoundOnlyOnProof() {
        SimRingNetwork net = settledRing(3, 9);
        int h = runUntilFreshHolder(net);
        int predecessor = (h + 2) % 3;
        int successor = (h + 1) % 3;
        TokenRing p = net.node(predecessor);
        net.crash(h);
        net.crash(successor); // the alarms below are hand-made: nothing else may answer them
        long epoch = p.epoch();
        long seq = p.sequence();
        RingConfig c = RingConfig.defaults(3);
        net.runMs(c.tokenHopMs());
        assertThat(alarmsAnswering(p, net, new RingMessage.NineOneOne(successor, 1, epoch, seq - 1, true, true)))
                .as("too early: the holder may still pass the token on").isZero();
        net.runMs(2 * c.tokenHopMs() + c.tokenAckTimeoutMs());
        assertThat(alarmsAnswering(p, net, new RingMessage.NineOneOne(h, 2, epoch, seq - 1, true, true)))
                .as("the stuck member's own alarm").isZero();
        assertThat(alarmsAnswering(p, net, new RingMessage.NineOneOne(successor, 3, epoch, seq, true, true)))
                .as("an alarm that saw this node's pass").isZero();
        assertThat(alarmsAnswering(p, net, new RingMessage.NineOneOne(successor, 4, epoch + 32, seq - 1, true, true)))
                .as("an alarm of another epoch").isZero();
        assertThat(p.counters().stuckHolderRounds()).isZero();
        assertThat(alarmsAnswering(p, net, new RingMessage.NineOneOne(successor, 5, epoch, seq - 1, true, true)))
                .as("proof: a round to both other nodes").isEqualTo(2);
        assertThat(p.counters().stuckHolderRounds()).isEqualTo(1);
    }

    /**
     * Delivers {@code alarm} to {@code node}, checks that it is refused (the sender must be crashed in net) and
     * returns how many 911s the node sent meanwhile.
     */
    private static int alarmsAnswering(TokenRing node, SimRingNetwork net, RingMessage.NineOneOne alarm) {
        byte[] buf = new byte[RingCodec.MAX_MESSAGE_BYTES];
        int length = RingCodec.encode(alarm, buf);
        RingMessage.NineOneOneReply[] reply = new RingMessage.NineOneOneReply[1];
        int[] alarms = new int[1];
        net.onSend((from, to, message, len) -> {
            RingMessage m = RingCodec.decode(message, len);
            if (m instanceof RingMessage.NineOneOneReply r && to == alarm.sender() && r.round() == alarm.round()) {
                reply[0] = r;
            } else if (m instanceof RingMessage.NineOneOne) {
                alarms[0]++;
            }
        });
        node.onMessage(net.nowNs(), alarm.sender(), buf, length);
        net.onSend(null);
        assertThat(reply[0]).as("reply to %s", alarm).isNotNull();
        assertThat(reply[0].permission()).as("permission for %s", alarm).isFalse();
        return alarms[0];
    }

    /**
     * The token holder crashes and is back (a fresh boot) before the others noticed: it answers their 911, but it
     * is not made a member of the regenerated ring — it joins that ring afterwards, in a join epoch, so the roles
     * see its old incarnation leave first (the train still named it the owner of what it lost).
     */
    @Test
    void aRestartedNodeJoinsTheRegeneratedRingInsteadOfBeingPartOfIt() {
        SimRingNetwork net = settledRing(3, 11);
        RingConfig c = RingConfig.defaults(3);
        int h = runUntilFreshHolder(net);
        long epochBefore = net.node(h).epoch();
        net.crash(h);
        net.runMs(c.tokenLossMs() - 12);
        net.restart(h); // its join 911 goes out within a hop, before the survivors' own 911 round
        boolean regeneratedWithIt = false;
        boolean joinedLater = false;
        for (int t = 0; t < 400; t++) {
            net.runMs(1);
            for (int i = 0; i < 3; i++) {
                TokenRing n = net.node(i);
                if (i != h && n.inRing() && (n.members() & (1 << h)) != 0 && n.epoch() > epochBefore) {
                    regeneratedWithIt |= n.epochRegenerated();
                    joinedLater |= !n.epochRegenerated();
                }
            }
        }
        assertThat(regeneratedWithIt).as("the restarted node was a member of the regenerated ring").isFalse();
        assertThat(joinedLater).as("it joined afterwards").isTrue();
        assertOneRing(net, 0b111);
    }

    /**
     * Five nodes, the holder dies with the token. The silent members' alarms go out one hop apart, in ring order; the
     * first ones are refused by members that saw the token more recently. Each of them also shows the holder's
     * predecessor, whose pass the holder had acked, that the token never went on: it starts its own round at once
     * (the stuck-holder rule), refused too while others are live, until the others are silent — before the
     * predecessor's own alarm would have gone out. The predecessor, with the highest sequence and the newest train,
     * regenerates.
     */
    @Test
    void tokenLossTriggers911AndHighestSequenceRegenerates() {
        SimRingNetwork net = settledRing(5, 3);
        int h = runUntilFreshHolder(net);
        net.node(h).offerCarriageUpdate(9, new byte[] {1, 2, 3});
        net.runMs(15); // h passes (carriage goes on the train) ...
        h = runUntilFreshHolder(net);
        net.crash(h); // ... and the next holder dies with the token
        int best = -1;
        for (int i = 0; i < 5; i++) {
            if (i != h && (best < 0 || net.node(i).sequence() > net.node(best).sequence())) {
                best = i;
            }
        }
        assertThat(best).isEqualTo((h + 4) % 5); // the node that handed the token over has seen most
        long[] regenerations = new long[5];
        long[] alarms = new long[5];
        for (int i = 0; i < 5; i++) {
            regenerations[i] = net.node(i).counters().regenerations();
            alarms[i] = net.node(i).counters().nineOneOnesSent();
        }
        long stuckRounds = net.node(best).counters().stuckHolderRounds();
        long epochBefore = net.node(best).epoch();
        net.runMs(RingConfig.defaults(5).tokenLossMs() * 3);
        for (int i = 0; i < 5; i++) {
            if (i == h) {
                continue;
            }
            assertThat(net.node(i).counters().nineOneOnesSent()).as("node %d alarms", i).isGreaterThan(alarms[i]);
            long regenerated = net.node(i).counters().regenerations() - regenerations[i];
            assertThat(regenerated).as("node %d regenerations", i).isEqualTo(i == best ? 1 : 0);
            assertThat(net.node(i).epoch()).isGreaterThan(epochBefore);
            assertThat(net.node(i).train()).extracting(Carriage::type).contains(9);
        }
        assertThat(net.node(best).counters().stuckHolderRounds()).as("the predecessor's rounds were early ones")
                .isGreaterThan(stuckRounds);
        assertOneRing(net, 0b11111 & ~(1 << h));
    }

    @Test
    void competing911sResolveToOneToken() {
        for (long seed = 0; seed < 20; seed++) {
            SimRingNetwork net = new SimRingNetwork(5, seed);
            net.trackHolders();
            net.startAll(); // five fresh nodes with equal sequences all send 911s within one hop
            net.runMs(SETTLE_MS);
            long regenerations = 0;
            for (int i = 0; i < 5; i++) {
                regenerations += net.node(i).counters().regenerations();
            }
            assertThat(regenerations).as("seed %d", seed).isEqualTo(1);
            assertThat(net.node(0).counters().regenerations()).isEqualTo(1); // equal sequences: lowest id wins
            assertThat(net.maxHolders()).isEqualTo(1);
            assertOneRing(net, 0b11111);
        }
    }

    @Test
    void staleEpochTokenIsDropped() {
        SimRingNetwork net = settledRing(3, 4);
        int h = runUntilFreshHolder(net);
        long oldEpoch = net.node(h).epoch();
        net.pause(h); // the holder stalls with the token; the others regenerate a newer epoch
        net.runMs(RingConfig.defaults(3).tokenLossMs() * 3);
        int other = (h + 1) % 3;
        assertThat(net.node(other).epoch()).isGreaterThan(oldEpoch);
        long refusedBefore = net.node(other).counters().staleTokensRefused() + net.node((h + 2) % 3).counters().staleTokensRefused();
        net.resume(h); // it passes its old-epoch token: refused, so it dies instead of forming a second token
        net.runMs(SETTLE_MS);
        long refused = net.node(other).counters().staleTokensRefused() + net.node((h + 2) % 3).counters().staleTokensRefused();
        assertThat(refused).isGreaterThan(refusedBefore);
        assertThat(net.node(h).counters().tokensSuperseded()).isPositive();
        assertOneRing(net, 0b111);
        net.trackHolders(); // tokens delivered late to the paused node die within one hop; afterwards exactly one
        net.runMs(SETTLE_MS);
        assertThat(net.maxHolders()).isEqualTo(1);
    }

    @Test
    void staleEpochTokenIsRefusedWithSupersededAck() {
        List<byte[]> sent = new ArrayList<>();
        TokenRing ring = new TokenRing(1, RingConfig.defaults(3),
                (to, m, len, all) -> sent.add(java.util.Arrays.copyOf(m, len)), new io.ringwall.time.Prng(5));
        ring.start(0);
        byte[] buf = new byte[RingCodec.MAX_MESSAGE_BYTES];
        int len = RingCodec.encode(new RingMessage.Token(0, 0x50, 10, 0b111, 1, List.of()), buf);
        ring.onMessage(MS, 0, buf, len);
        assertThat(ring.isHolder()).isTrue();
        assertThat(ring.epoch()).isEqualTo(0x50);
        sent.clear();
        len = RingCodec.encode(new RingMessage.Token(2, 0x40, 99, 0b111, 1, List.of()), buf);
        ring.onMessage(2 * MS, 2, buf, len);
        assertThat(ring.epoch()).isEqualTo(0x50);
        assertThat(ring.counters().staleTokensRefused()).isEqualTo(1);
        assertThat(RingCodec.decode(sent.get(0), sent.get(0).length))
                .isEqualTo(new RingMessage.Ack(1, 0x40, 99, false));
    }

    /**
     * A token is acked once, back over the path it came by (the transport's reply); only a duplicate (the sender
     * retransmitted: our ack was lost) is re-acked over every path. An ack on every path tripled the ring's
     * packets at every hop of an idle cluster.
     */
    @Test
    void tokenAckTravelsBackTheTokensPathAndOnlyADuplicateIsAckedOverEveryPath() {
        List<String> sent = new ArrayList<>();
        RingTransport transport = new RingTransport() {
            @Override
            public void send(int to, byte[] message, int length, boolean allPaths) {
                sent.add((allPaths ? "all-paths " : "one-path ") + RingCodec.decode(message, length).getClass().getSimpleName());
            }

            @Override
            public void reply(int to, byte[] message, int length) {
                sent.add("reply " + RingCodec.decode(message, length).getClass().getSimpleName());
            }
        };
        TokenRing ring = new TokenRing(1, RingConfig.defaults(3), transport, new io.ringwall.time.Prng(7));
        ring.start(0);
        byte[] buf = new byte[1500];
        int length = RingCodec.encode(new RingMessage.Token(0, 5, 9, 0b111, 1, List.of()), buf);
        ring.onMessage(MS, 0, buf, length);
        assertThat(sent).containsExactly("reply Ack");
        sent.clear();
        ring.onMessage(2 * MS, 0, buf, length);
        assertThat(sent).containsExactly("all-paths Ack");
    }
}
