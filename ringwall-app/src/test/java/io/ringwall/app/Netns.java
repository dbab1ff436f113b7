package io.ringwall.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test-only helper around ip(8): runs commands, in namespaces the test created, with bounded time. */
final class Netns {
    record Result(int exitCode, String output) {
    }

    private Netns() {
    }

    static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/ip"))
                || "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/sbin/ip"));
    }

    static boolean hasTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command to completion (at most {@code timeoutS}); output is stdout+stderr. */
    static Result run(long timeoutS, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return new Result(-1, "timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static Result sh(long timeoutS, String script) throws IOException, InterruptedException {
        return run(timeoutS, "bash", "-c", script);
    }

    static Result inNs(String ns, long timeoutS, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return run(timeoutS, full.toArray(String[]::new));
    }

    /** Must succeed; fails the test with the command's output otherwise. */
    static void must(String script) throws IOException, InterruptedException {
        Result r = sh(20, script);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("command failed (" + r.exitCode() + "): " + script + "\n" + r.output());
        }
    }
}
