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
}
