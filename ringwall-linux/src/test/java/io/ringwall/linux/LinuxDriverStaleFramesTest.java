package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node's sockets are open during its warm-ups (seconds), and frames queue in them meanwhile: the loop must not
 * start by handing the node seconds-old tokens, 911s and bulk batches with the current token behind them.
 */
class LinuxDriverStaleFramesTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void framesTheKernelReceivedBeforeTheLoopStartedAreDiscardedAndLaterOnesHandedOn() {
        QueuedPort port = new QueuedPort(true);
        long now = LinuxDriver.realtimeNs();
        port.add(now - 5 * SECOND, 1);
        port.add(now - 2 * SECOND, 2);
        FrameRecorder node = new FrameRecorder();
        try (LinuxDriver driver = new LinuxDriver(List.of(), List.of(port))) {
            driver.startClock();
            port.add(LinuxDriver.realtimeNs() + 1_000, 3); // arrived after the start
            driver.receiveBatch(node, 0, System.nanoTime());

            assertThat(node.firstBytes).containsExactly(3);
            assertThat(driver.staleFramesDiscarded()).isEqualTo(2);
        }
    }

    @Test
    void withoutKernelTimesTheBacklogIsReadAndDroppedWhenTheLoopStarts() {
        QueuedPort port = new QueuedPort(false);
        port.add(0, 1);
        port.add(0, 2);
        FrameRecorder node = new FrameRecorder();
        try (LinuxDriver driver = new LinuxDriver(List.of(), List.of(port))) {
            driver.startClock();
            port.add(0, 3);
            driver.receiveBatch(node, 0, System.nanoTime());

            assertThat(node.firstBytes).containsExactly(3);
            assertThat(driver.staleFramesDiscarded()).isEqualTo(2);
        }
    }

    private static final class FrameRecorder extends NodeCommandQueueTest.RecordingNode {
        final List<Integer> firstBytes = new ArrayList<>();

        @Override
        public void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags) {
            firstBytes.add((int) frame.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        }
    }

    /** Frames with the kernel receive times given; a frame's first byte tells which it is. */
    private static final class QueuedPort extends FakePort {
        private final boolean timestamped;
        private final ArrayDeque<long[]> frames = new ArrayDeque<>();
        private long lastTime;

        QueuedPort(boolean timestamped) {
            this.timestamped = timestamped;
        }

        void add(long kernelTimeNs, int id) {
            frames.add(new long[] {kernelTimeNs, id});
        }

        @Override
        public int receive(MemorySegment buf) {
            long[] f = frames.poll();
            if (f == null) {
                return 0;
            }
            lastTime = timestamped ? f[0] : 0;
            buf.fill((byte) 0);
            buf.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) f[1]);
            return 60;
        }

        @Override
        public long lastKernelReceiveRealtimeNs() {
            return lastTime;
        }

        @Override
        public boolean timestamped() {
            return timestamped;
        }
    }
}
