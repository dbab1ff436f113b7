package io.ringwall.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringwall.time.Prng;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The config parser is an edge: any input gives a valid config or a located ConfigException, nothing else. */
class ConfigLoaderFuzzTest {
    private static final String SEED = """
            [cluster]
            name = "f"
            [[nodes]]
            name = "gw1"
            [nodes.devices]
            wan = "eth1"
            lan = "eth2"
            [[interfaces]]
            name = "wan"
            subnet = "10.1.0.0/24"
            vips = ["10.1.0.1"]
            [[interfaces]]
            name = "lan"
            subnet = "10.2.0.0/24"
            [[routes]]
            to = "0.0.0.0/0"
            via = "10.1.0.254"
            [filter]
            rules = "rules.conf"
            [dataplane]
            max_flows = 4096
            """;
    private static Path file;

    /** The temporary directory goes when the class's tests are done: every test run made one and left it. */
    @AfterAll
    static void removeTemporaryFiles() throws Exception {
        if (file != null) {
            Files.deleteIfExists(file.getParent().resolve("rules.conf"));
            Files.deleteIfExists(file.getParent());
            file = null;
        }
    }

    private static Path file() throws Exception {
        if (file == null) {
            Path dir = Files.createTempDirectory("rw-config-fuzz");
            Files.writeString(dir.resolve("rules.conf"), "policy drop\naccept in wan out lan\n");
            file = dir.resolve("ringwall.toml");
        }
        return file;
    }

    private static void parseMustNotEscape(String text) throws Exception {
        try {
            ClusterConfig c = ConfigLoader.loadText(file(), text);
            assertThat(c.subnets()).isNotEmpty();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(file().toString());
            assertThat(e.line()).isGreaterThanOrEqualTo(0);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void anyTextGivesConfigOrLocatedError(FuzzedDataProvider data) throws Exception {
        parseMustNotEscape(data.consumeRemainingAsString());
    }

    @Test
    void seededMutationsGiveConfigOrLocatedError() throws Exception {
        Prng prng = new Prng(11);
        String alphabet = "[]=\"\n ,.#/0123456789abcdefghijklmnopqrstuvwxyz_-{}";
        for (int round = 0; round < 3000; round++) {
            StringBuilder sb = new StringBuilder(SEED);
            int edits = 1 + prng.nextInt(6);
            for (int e = 0; e < edits && sb.length() > 0; e++) {
                int at = prng.nextInt(sb.length());
                switch (prng.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, alphabet.charAt(prng.nextInt(alphabet.length())));
                    default -> sb.setCharAt(at, alphabet.charAt(prng.nextInt(alphabet.length())));
                }
            }
            parseMustNotEscape(sb.toString());
        }
    }
}
