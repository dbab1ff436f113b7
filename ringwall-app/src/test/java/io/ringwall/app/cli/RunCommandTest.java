package io.ringwall.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.app.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {
    private static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    /** Checked before anything else: exit 2 (bad usage), not 1 (the config file, which does not exist here). */
    @Test
    void aWarmupOutsideItsRangeIsRefusedBeforeTheConfigIsRead() {
        assertThat(run("run", "--config", "/nonexistent/ringwall.toml", "--node", "gw1", "--warmup-flows", "-1"))
                .isEqualTo(2);
        assertThat(run("run", "--config", "/nonexistent/ringwall.toml", "--node", "gw1", "--warmup-flows", "1000001"))
                .isEqualTo(2);
        assertThat(run("run", "--config", "/nonexistent/ringwall.toml", "--node", "gw1", "--warmup-flows", "0"))
                .isEqualTo(1);
    }

    /** The loop runs real-time unless asked not to: a starved loop misses token acks and looks dead to the ring. */
    @Test
    void theLoopRunsFifoByDefaultAndNiceOnRequest() {
        RunCommand byDefault = new RunCommand();
        new CommandLine(byDefault).parseArgs("--config", "x.toml", "--node", "gw1");
        assertThat(byDefault.loopPriority).isEqualTo(io.ringwall.linux.LinuxDriver.LoopPriority.FIFO);
        RunCommand yielding = new RunCommand();
        new CommandLine(yielding).parseArgs("--config", "x.toml", "--node", "gw1", "--loop-priority", "nice");
        assertThat(yielding.loopPriority).isEqualTo(io.ringwall.linux.LinuxDriver.LoopPriority.NICE);
    }
}
