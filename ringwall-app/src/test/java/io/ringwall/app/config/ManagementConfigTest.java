package io.ringwall.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringwall.app.mgmt.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional {@code [management]} table: where the local management listener binds. */
class ManagementConfigTest {
    private static final String BASE = """
            [[nodes]]
            name = "gw1"
            [nodes.devices]
            wan = "eth1"

            [[interfaces]]
            name = "wan"
            subnet = "10.1.0.0/24"

            [filter]
            rules = "rules.conf"
            """;

    @TempDir
    Path dir;

    private ClusterConfig load(String extra) throws Exception {
        Files.writeString(dir.resolve("rules.conf"), "policy drop\n");
        Path file = dir.resolve("ringwall.toml");
        Files.writeString(file, BASE + extra);
        return ConfigLoader.load(file);
    }

    @Test
    void withoutManagementTableTheListenerUsesLoopbackDefault() throws Exception {
        assertThat(load("").management().listen()).isEqualTo(new HostPort("127.0.0.1", 7480));
    }

    @Test
    void listenAddressIsRead() throws Exception {
        ClusterConfig c = load("\n[management]\nlisten = \"10.9.0.1:8080\"\n");
        assertThat(c.management().listen()).isEqualTo(new HostPort("10.9.0.1", 8080));
    }

    @Test
    void listenWithoutPortIsRejectedAtItsLine() {
        assertThatThrownBy(() -> load("\n[management]\nlisten = \"127.0.0.1\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ringwall.toml:14:1:")
                .hasMessageContaining("HOST:PORT");
    }

    @Test
    void listenOnAHostNameIsRejected() {
        assertThatThrownBy(() -> load("\n[management]\nlisten = \"localhost:7480\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("IPv4:PORT");
    }

    @Test
    void unknownManagementKeyIsRejected() {
        assertThatThrownBy(() -> load("\n[management]\nlisen = \"127.0.0.1:1\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("did you mean 'listen'");
    }
}
