package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node that takes over VIPs (a drain, a crash of the owner) already knows the MACs of the next hops the old owner
 * forwarded to, from the members' shared neighbour tables: it sends no ARP request for them after the takeover, so
 * the first frames are not held waiting for answers (on real nodes that wait was a third of a drain's gap).
 */
class NeighbourSharingTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final String ARP_REQUEST = "arp-request";

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
            LogRecordingNodes.Logged run = run("join", seed);
            assertThat(run.nodes().get("gw3").counters().neighboursFromPeers()).as("join seed %d", seed).isPositive();
        }
    }

    private static void assertNoResolutionAfterTakeover(String scenario, long seed) {
        LogRecordingNodes.Logged run = run(scenario, seed);
        List<String> logs = run.logs();
        int lastTakeover = -1;
        for (int i = 0; i < logs.size(); i++) {
            if (logs.get(i).contains(" vip-takeover ")) {
                lastTakeover = i;
            }
        }
        assertThat(lastTakeover).as("%s seed %d: a VIP moved", scenario, seed).isNotNegative();
        String newOwner = logs.get(lastTakeover).split(" ")[0];
        List<String> requestsAfter = logs.subList(lastTakeover, logs.size()).stream()
                .filter(l -> l.equals(newOwner + " " + ARP_REQUEST)).toList();
        assertThat(requestsAfter).as("%s seed %d: ARP requests of the new owner %s after its takeover",
                scenario, seed, newOwner).isEmpty();
        assertThat(run.nodes().get(newOwner).counters().neighboursFromPeers()).as("%s seed %d", scenario, seed)
                .isPositive();
    }

    /** Runs {@code scenario} with each ARP request a gateway sends to resolve a neighbour among its log lines. */
    private static LogRecordingNodes.Logged run(String scenario, long seed) {
        LogRecordingNodes.Logged run = LogRecordingNodes.run(scenario, seed,
                (frame, length) -> isArpRequestForAnother(frame, length) ? ARP_REQUEST : null);
        assertThat(run.result().invariantViolations()).as("%s seed %d", scenario, seed).isEmpty();
        return run;
    }

    /** An ARP request whose sender and target differ: resolving a neighbour, not announcing a VIP. */
    private static boolean isArpRequestForAnother(MemorySegment frame, int length) {
        if (length < 42 || (frame.get(U16, 12) & 0xFFFF) != 0x0806 || (frame.get(U16, 20) & 0xFFFF) != 1) {
            return false;
        }
        return frame.get(U32, 28) != frame.get(U32, 38);
    }
}
