package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.NodeCommand;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The real driver loop (no interfaces, so no root needed) serves queued commands on its own thread. */
class LinuxDriverCommandTest {
    private static final long ANSWER_WAIT_MS = 2_000;

    @Test
    void loopThreadDrainsTheQueueAndPublishesStatus() throws Exception {
        NodeCommandQueueTest.RecordingNode node = new NodeCommandQueueTest.RecordingNode();
        AtomicBoolean stop = new AtomicBoolean();
        try (LinuxDriver driver = new LinuxDriver(List.of(), List.of())) {
            Thread loop = new Thread(() -> driver.run(effects -> node, stop::get), "driver-loop");
            loop.start();
            try {
                NodeCommand.Result result = driver.commands().submit(new NodeCommand.MoveVip(0x0a010001, "gw2"))
                        .get(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
                assertThat(result.ok()).isTrue();
                assertThat(node.commandThreads).containsExactly(loop);
                // The command's answer may be handed over before the loop publishes its status in the same cycle.
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_WAIT_MS);
                while (driver.commands().latestStatus() == null && System.nanoTime() - deadline < 0) {
                    Thread.sleep(5);
                }
                assertThat(driver.commands().latestStatus()).isNotNull();
                assertThat(driver.commands().latestStatus().node()).isEqualTo("gw1");
            } finally {
                stop.set(true);
                loop.join(ANSWER_WAIT_MS);
            }
            assertThat(loop.isAlive()).isFalse();
            assertThat(NodeCommandQueueTest.causeOf(driver.commands().submit(new NodeCommand.Open("gw2"))))
                    .hasMessageContaining("not running");
        }
    }
}
