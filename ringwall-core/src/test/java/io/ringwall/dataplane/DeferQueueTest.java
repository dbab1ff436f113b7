package io.ringwall.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferQueueTest {
    private static final long MS = 1_000_000L;
    private static final int PEERS_1_2 = 0b110;

    /** Records the first byte of each released frame (the tests put a packet number there). */
    private final List<Integer> out = new ArrayList<>();
    private final DeferQueue.Sink sink = (now, in, outIf, hop, frame, len, off) -> out.add((int) frame.get(ValueLayout.JAVA_BYTE, 0));

    private static MemorySegment frame(int number, int length) {
        byte[] b = new byte[length];
        b[0] = (byte) number;
        return MemorySegment.ofArray(b);
    }

    private static DeferQueue queue(int capacity) {
        DeferQueue q = new DeferQueue(capacity, 64, 20 * MS, 1024);
        q.setPeers(PEERS_1_2);
        return q;
    }

    @Test
    void packetLeavesOnlyWhenEveryPeerAcknowledgedItsFlow() {
        DeferQueue q = queue(4);
        assertThat(q.holdFirst(0, 7, 0, 1, 0, frame(1, 60), 60, 0)).isTrue();
        q.sent(1, 100, new int[] {7}, 1);
        q.sent(2, 200, new int[] {7}, 1);
        q.delivered(1, 100);
        q.release(1 * MS, sink);
        assertThat(out).as("peer 2 has not acknowledged yet").isEmpty();
        q.delivered(2, 199); // another message: does not carry the flow
        q.release(1 * MS, sink);
        assertThat(out).isEmpty();
        q.delivered(2, 200);
        q.release(1 * MS, sink);
        assertThat(out).containsExactly(1);
        assertThat(q.releasedByAck()).isEqualTo(1);
        assertThat(q.releasedByTimeout()).isZero();
        assertThat(q.size()).isZero();
    }

    @Test
    void packetLeavesAtTheTimeoutWhenAPeerNeverAnswers() {
        DeferQueue q = queue(4);
        q.holdFirst(0, 7, 0, 1, 0, frame(1, 60), 60, 0);
        q.sent(1, 100, new int[] {7}, 1);
        q.delivered(1, 100);
        assertThat(q.nextDeadlineNs()).isEqualTo(20 * MS);
        q.release(20 * MS - 1, sink);
        assertThat(out).isEmpty();
        q.release(20 * MS, sink);
        assertThat(out).containsExactly(1);
        assertThat(q.releasedByTimeout()).isEqualTo(1);
        assertThat(q.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ackForAFlowSentBeforeTheHoldDoesNotReleaseIt() {
        DeferQueue q = queue(4);
        q.holdFirst(0, 7, 0, 1, 0, frame(1, 60), 60, 0);
        q.delivered(1, 0); // "not sent yet" must never match
        q.delivered(2, 0);
        q.release(1 * MS, sink);
        assertThat(out).isEmpty();
    }

    @Test
    void fullQueueForwardsTheNewPacketAtOnceAndCountsIt() {
        DeferQueue q = queue(2);
        assertThat(q.holdFirst(0, 1, 0, 1, 0, frame(1, 60), 60, 0)).isTrue();
        assertThat(q.holdFirst(0, 2, 0, 1, 0, frame(2, 60), 60, 0)).isTrue();
        assertThat(q.holdFirst(0, 3, 0, 1, 0, frame(3, 60), 60, 0)).as("no room: the caller sends it").isFalse();
        assertThat(q.holdFirst(0, 4, 0, 1, 0, frame(4, 65), 65, 0)).as("larger than a slot").isFalse();
        assertThat(q.releasedUnsynced()).isEqualTo(2);
        assertThat(q.deferred()).isEqualTo(2);
        assertThat(q.size()).isEqualTo(2);
    }

    @Test
    void slotsAreReusedWithoutMixingFrames() {
        DeferQueue q = queue(1);
        for (int i = 1; i <= 5; i++) {
            assertThat(q.holdFirst(i * MS, i, 0, 1, 0, frame(i, 60), 60, 0)).isTrue();
            q.release(i * MS + 20 * MS, sink);
        }
        assertThat(out).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void nodeWithoutPeersDoesNotHold() {
        DeferQueue q = new DeferQueue(4, 64, 20 * MS, 1024);
        assertThat(q.holdFirst(0, 7, 0, 1, 0, frame(1, 60), 60, 0)).isFalse();
        assertThat(q.deferred()).isZero();
    }

    @Test
    void peerLeavingTheRingStopsBeingAwaited() {
        DeferQueue q = queue(4);
        q.holdFirst(0, 7, 0, 1, 0, frame(1, 60), 60, 0);
        q.sent(1, 100, new int[] {7}, 1);
        q.delivered(1, 100);
        q.setPeers(0b010); // peer 2 left
        assertThat(q.nextDeadlineNs()).as("ready now").isEqualTo(Long.MIN_VALUE);
        q.release(1 * MS, sink);
        assertThat(out).containsExactly(1);
    }

    @Test
    void laterPacketsOfAHeldFlowLeaveBehindItInOrder() {
        DeferQueue q = queue(8);
        q.holdFirst(0, 7, 0, 1, 0, frame(1, 60), 60, 0);
        q.holdFirst(0, 9, 0, 1, 0, frame(2, 60), 60, 0);
        assertThat(q.holds(7)).isTrue();
        assertThat(q.holds(8)).isFalse();
        q.holdFollower(1, 7, 0, 1, 0, frame(3, 60), 60, 0);
        q.holdFollower(2, 7, 0, 1, 0, frame(4, 60), 60, 0);
        q.sent(1, 100, new int[] {9, 7}, 2);
        q.sent(2, 200, new int[] {9, 7}, 2);
        q.delivered(1, 100);
        q.delivered(2, 200);
        q.release(1 * MS, sink);
        assertThat(out).containsExactly(1, 2, 3, 4);
        assertThat(q.holds(7)).isFalse();
        assertThat(q.releasedByAck()).isEqualTo(2);
        assertThat(q.deferred()).as("first packets").isEqualTo(2);
    }

    @Test
    void acknowledgedFlowOvertakesAnOlderOneStillWaiting() {
        DeferQueue q = queue(8);
        q.holdFirst(0, 1, 0, 1, 0, frame(1, 60), 60, 0);
        q.holdFirst(0, 2, 0, 1, 0, frame(2, 60), 60, 0);
        q.sent(1, 100, new int[] {2}, 1);
        q.sent(2, 200, new int[] {2}, 1);
        q.delivered(1, 100);
        q.delivered(2, 200);
        q.release(1 * MS, sink);
        assertThat(out).as("flows are independent").containsExactly(2);
        q.release(20 * MS, sink);
        assertThat(out).containsExactly(2, 1);
    }
}
