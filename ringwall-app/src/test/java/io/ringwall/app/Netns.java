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

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** What the launcher adds for {@code ringwall run} (C2 only: see the launcher), so the tests run what ships. */
    static final List<String> RUN_JVM_OPTIONS = List.of("-XX:-TieredCompilation",
            "-XX:CompileThresholdScaling=0.1", "-XX:PerMethodTrapLimit=0", "-XX:+UnlockExperimentalVMOptions",
            "-XX:PerMethodSpecTrapLimit=0");

    static boolean available() {
        return "root".equals(System.getProperty("user.name"))
                && (Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")));
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
        return run(timeoutS, inNsCommand(ns, List.of(command)));
    }

    /** A background process in {@code ns}, stdout and stderr merged; the caller redirects and starts it. */
    static ProcessBuilder inNsProcess(String ns, String... command) {
        return new ProcessBuilder(inNsCommand(ns, List.of(command))).redirectErrorStream(true);
    }

    private static String[] inNsCommand(String ns, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        return full.toArray(String[]::new);
    }

    /** {@code ringwall run} of {@code node} in {@code ns}, from the test class path, logging to {@code log}. */
    static Process startRingwall(String ns, Path config, String node, Path log, String... jvmOptions)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(RUN_JVM_OPTIONS);
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ringwall.app.Main", "run",
                "--config", config.toString(), "--node", node));
        return inNsProcess(ns, command.toArray(String[]::new)).redirectOutput(log.toFile()).start();
    }

    /** A ringwall CLI command ({@code status}, {@code close gw1}, ...) run in {@code ns}. */
    static Result ringwall(String ns, long timeoutS, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-cp", System.getProperty("java.class.path"),
                "io.ringwall.app.Main"));
        command.addAll(List.of(args));
        return inNs(ns, timeoutS, command.toArray(String[]::new));
    }

    /** SIGTERM (ringwall shuts down cleanly on it), then SIGKILL if the process is still there after 5 s. */
    static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Deletes the namespaces that exist among {@code names}. */
    static void deleteNamespaces(String... names) throws IOException, InterruptedException {
        for (String ns : names) {
            sh(10, "ip netns del " + ns + " 2>/dev/null || true");
        }
    }

    /** Must succeed; fails the test with the command's output otherwise. */
    static void must(String script) throws IOException, InterruptedException {
        Result r = sh(20, script);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("command failed (" + r.exitCode() + "): " + script + "\n" + r.output());
        }
    }
}
