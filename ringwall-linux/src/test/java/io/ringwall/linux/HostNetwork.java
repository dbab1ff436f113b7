package io.ringwall.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs ip/sysctl commands for tests that build their own veths and namespaces (names start with rwt). */
final class HostNetwork {
    static final long COMMAND_TIMEOUT_SECONDS = 30;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private HostNetwork() {
    }

    static void assumeRootWithIp() {
        long caps = StartupChecks.effectiveCapabilities().orElse(0L);
        boolean privileged = (caps & (1L << StartupChecks.CAP_NET_ADMIN)) != 0
                && (caps & (1L << StartupChecks.CAP_NET_RAW)) != 0;
        assumeTrue(privileged, "needs root (CAP_NET_ADMIN + CAP_NET_RAW)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs iproute2 (ip)");
    }

    /** A short suffix unique to this JVM and call, so concurrent test runs do not collide. */
    static String uniqueSuffix() {
        return Long.toString(ProcessHandle.current().pid() % 10000) + SEQUENCE.incrementAndGet();
    }

    static Result run(String... command) {
        return run(COMMAND_TIMEOUT_SECONDS, command);
    }

    static Result run(long timeoutSeconds, String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    static String ok(String... command) {
        Result result = run(command);
        if (result.status() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.status() + "): "
                    + result.output());
        }
        return result.output();
    }

    /** Best-effort cleanup: never throws. */
    static void quietly(String... command) {
        run(command);
    }

    static void writeSysctl(String path, String value) throws IOException {
        Files.writeString(Path.of("/proc/sys").resolve(path), value);
    }

    record Result(int status, String output) {
    }
}
