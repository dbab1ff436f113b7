package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.Effects;
import io.ringwall.node.GatewayNode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A node that takes over VIPs (a drain, a crash of the owner) already knows the MACs of the next hops the old owner
 * forwarded to, from the members' shared neighbour tables: it sends no ARP request for them after the takeover, so
 * the first frames are not held waiting for answers (on real nodes that wait was a third of a drain's gap).
 */
class NeighbourSharingTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    @Test
    void theDrainsNewOwnerResolvesNoNextHopAfterTheTakeover() {
        for (long seed = 1; seed <= 3; seed++) {
            assertNoResolutionAfterTakeover("drain", seed);
        }
    }

    @Test
    void theCrashedOwnersSuccessorResolvesNoNextHopAfterTheTakeover() {
        for (long seed = 1; seed <= 3; seed++) {
            assertNoResolutionAfterTakeover("crash-active", seed);
        }
    }

    /** A node that joins (or restarts: a join mints a new ring epoch) gets the members' tables too. */
    @Test
    void aJoiningNodeLearnsTheNextHopsTheMembersResolved() {
        for (long seed = 1; seed <= 3; seed++) {
            Run run = run("join", seed);
            assertThat(run.nodes().get("gw3").neighboursFromPeers()).as("join seed %d", seed).isPositive();
        }
    }

    private record Run(List<String> events, Map<String, GatewayNode> nodes) {
    }

    private static void assertNoResolutionAfterTakeover(String scenario, long seed) {
        Run run = run(scenario, seed);
        Map<String, GatewayNode> nodes = run.nodes();
        List<String> snapshot = run.events();
        int lastTakeover = -1;
        for (int i = 0; i < snapshot.size(); i++) {
            if (snapshot.get(i).endsWith(" vip-takeover")) {
                lastTakeover = i;
            }
        }
        assertThat(lastTakeover).as("%s seed %d: a VIP moved", scenario, seed).isNotNegative();
        String newOwner = snapshot.get(lastTakeover).split(" ")[0];
        List<String> requestsAfter = snapshot.subList(lastTakeover, snapshot.size()).stream()
                .filter(e -> e.equals(newOwner + " arp-request")).toList();
        assertThat(requestsAfter).as("%s seed %d: ARP requests of the new owner %s after its takeover",
                scenario, seed, newOwner).isEmpty();
        assertThat(nodes.get(newOwner).neighboursFromPeers()).as("%s seed %d", scenario, seed).isPositive();
    }

    /** Runs {@code scenario}, recording each node's log events and the ARP requests it sends to resolve a neighbour. */
    private static Run run(String scenario, long seed) {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Map<String, GatewayNode> nodes = new ConcurrentHashMap<>();
        ScenarioResult r = new ScenarioRunner((config, fx, prng) -> {
            String name = config.nodeName();
            GatewayNode node = new GatewayNode(config, new Effects() {
                @Override
                public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
                    if (isArpRequestForAnother(frame, length)) {
                        events.add(name + " arp-request");
                    }
                    fx.sendFrame(ifIndex, frame, length, offloadFlags);
                }

                @Override
                public void log(String event, String detail) {
                    events.add(name + " " + event);
                    fx.log(event, detail);
                }
            }, prng);
            nodes.put(name, node);
            return node;
        }).run(scenario, seed);
        assertThat(r.invariantViolations()).as("%s seed %d", scenario, seed).isEmpty();
        return new Run(List.copyOf(events), nodes);
    }

    /** An ARP request whose sender and target differ: resolving a neighbour, not announcing a VIP. */
    private static boolean isArpRequestForAnother(MemorySegment frame, int length) {
        if (length < 42 || (frame.get(U16, 12) & 0xFFFF) != 0x0806 || (frame.get(U16, 20) & 0xFFFF) != 1) {
            return false;
        }
        return frame.get(U32, 28) != frame.get(U32, 38);
    }
}
