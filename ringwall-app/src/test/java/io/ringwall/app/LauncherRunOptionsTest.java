package io.ringwall.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The netns tests start nodes with the JVM options the launcher gives {@code ringwall run}, or they test another JIT. */
class LauncherRunOptionsTest {

    @Test
    void theNetnsTestsStartNodesWithTheLaunchersRunOptions() throws IOException {
        String launcher = Files.readString(Path.of("..", "ringwall"));
        Matcher m = Pattern.compile("if \\[ \"\\$\\{1:-}\" = run ]; then\\s+RUN_OPTS=\\(([^)]*)\\)").matcher(launcher);
        assertThat(m.find()).as("the launcher's RUN_OPTS for run").isTrue();
        List<String> launcherOptions = Arrays.asList(m.group(1).trim().split("\\s+"));

        assertThat(launcherOptions).contains("-XX:-TieredCompilation", "-XX:PerMethodTrapLimit=0");
        assertThat(Netns.RUN_JVM_OPTIONS).containsExactlyElementsOf(launcherOptions);
    }
}
