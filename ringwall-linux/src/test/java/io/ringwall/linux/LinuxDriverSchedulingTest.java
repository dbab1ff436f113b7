package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What keeps a busy data plane from starving the ring's timers and packets (SPEC §3, fast profile under load). */
class LinuxDriverSchedulingTest {
    private static final long FRAME_COST_NS = 100_000L;

    @Test
    void aSocketBatchEndsWhenItsTimeBudgetIsSpentSoTimersAndOtherSocketsWait() {
        EndlessPort port = new EndlessPort();
        NodeCommandQueueTest.RecordingNode slowNode = new NodeCommandQueueTest.RecordingNode() {
            @Override
            public void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags) {
                long until = System.nanoTime() + FRAME_COST_NS; // a 64 KB frame into a veth costs about this
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
        };
        try (LinuxDriver driver = new LinuxDriver(List.of(), List.of(port))) {
            long start = System.nanoTime();
            long end = driver.receiveBatch(slowNode, 0, start);
            // Without the budget all RX_BATCH_FRAMES (64) frames would be taken: 6.4 ms here.
            assertThat(port.received).isBetween(1, 1 + (int) (LinuxDriver.RX_BATCH_BUDGET_NS / FRAME_COST_NS));
            assertThat(end - start).isGreaterThanOrEqualTo(LinuxDriver.RX_BATCH_BUDGET_NS);
        }
    }

    @Test
    void theJvmsOwnThreadsRunAtTheLoopsPriorityBecauseTheLoopWaitsForThemAtEverySafepoint() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "raising priority needs root");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "not-the-loop");
        other.start();
        started.await();
        int otherTid = tidOf("not-the-loop");
        try (LinuxDriver driver = new LinuxDriver(List.of(), List.of())) {
            driver.raisePriority();
            assertThat(niceOf(otherTid)).isEqualTo(LinuxDriver.LOOP_NICE);
        } finally {
            release.countDown();
            other.join();
        }
    }

    private static int tidOf(String threadName) throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals(threadName)) {
                    return Integer.parseInt(task.getFileName().toString());
                }
            }
        }
        throw new IllegalStateException("no thread " + threadName);
    }

    /** Field 19 of /proc/self/task/TID/stat; the command name (field 2) may contain spaces, so count after ')'. */
    private static int niceOf(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }

    /** A socket that always has another small frame waiting. */
    private static final class EndlessPort extends FakePort {
        int received;

        @Override
        public int receive(MemorySegment buf) {
            received++;
            return 60;
        }
    }
}
