package io.ringwall.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.ClusterSettings;
import io.ringwall.wire.Ipv4Address;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [cluster] tie_breaker: the two-node ping target reaches the cluster settings; misuse names file:line:column. */
class TieBreakerConfigTest {
    private static final String TWO_NODES = """
            [cluster]
            secret_file = "cluster.key"
            TIE

            [[nodes]]
            name = "gw1"
            [nodes.addresses]
            wan = "10.1.0.11"
            lan = "10.2.0.11"
            [nodes.devices]
            wan = "eth1"
            lan = "eth2"

            [[nodes]]
            name = "gw2"
            [nodes.addresses]
            wan = "10.1.0.12"
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
            vips = ["10.2.0.1"]

            [filter]
            rules = "rules.conf"
            """;

    @TempDir
    Path dir;

    private Path write(String tie) throws Exception {
        return ConfigFiles.write(dir, TWO_NODES.replace("TIE", tie), "policy drop\n");
    }

    private String errorOf(String tie) throws Exception {
        return ConfigFiles.errorOf(write(tie));
    }

    @Test
    void tieBreakerReachesTheClusterSettingsWithDefaults() throws Exception {
        ClusterConfig c = ConfigLoader.load(write("tie_breaker = \"10.1.0.254\""));
        ClusterSettings.TieBreaker t = c.clusterSettings(c.node("gw2").orElseThrow()).tieBreaker();
        assertThat(t.target()).isEqualTo(Ipv4Address.parse("10.1.0.254"));
        assertThat(t.ifIndex()).isZero();
        assertThat(t.intervalNs()).isEqualTo(200_000_000L);
        assertThat(t.timeoutNs()).isEqualTo(200_000_000L);
        assertThat(t.misses()).isEqualTo(3);
        ClusterConfig without = ConfigLoader.load(write(""));
        assertThat(without.clusterSettings(without.node("gw1").orElseThrow()).tieBreaker()).isNull();
        assertThat(without.digest()).as("the tie-breaker is shared configuration").isNotEqualTo(c.digest());
    }

    @Test
    void intervalAndTimeoutAreConfigurable() throws Exception {
        ClusterConfig c = ConfigLoader.load(write(
                "tie_breaker = \"10.1.0.254\"\ntie_breaker_interval_ms = 500\ntie_breaker_timeout_ms = 100"));
        ClusterSettings.TieBreaker t = c.clusterSettings(c.node("gw1").orElseThrow()).tieBreaker();
        assertThat(t.intervalNs()).isEqualTo(500_000_000L);
        assertThat(t.timeoutNs()).isEqualTo(100_000_000L);
    }

    @Test
    void tieBreakerOffEverySubnetIsRejectedAtItsLine() throws Exception {
        assertThat(errorOf("tie_breaker = \"192.0.2.1\"")).startsWith("F:3:1: tie-breaker 192.0.2.1 is not on any");
    }

    @Test
    void tieBreakerOnASubnetWhereANodeHasNoAddressIsRejected() throws Exception {
        assertThat(errorOf("tie_breaker = \"10.2.0.254\"")).startsWith("F:3:1: node gw2 has no address on interface 'lan'");
    }

    @Test
    void tieBreakerMustBeAThirdHost() throws Exception {
        assertThat(errorOf("tie_breaker = \"10.1.0.12\"")).contains("is node gw2's own address");
        assertThat(errorOf("tie_breaker = \"10.1.0.1\"")).contains("is a VIP");
    }

    @Test
    void tieBreakerWithQuorumOfOneIsRejected() throws Exception {
        assertThat(errorOf("quorum = \"1\"\ntie_breaker = \"10.1.0.254\"")).startsWith("F:4:1: tie_breaker has no effect");
    }

    @Test
    void timeoutLongerThanIntervalIsRejected() throws Exception {
        assertThat(errorOf("tie_breaker = \"10.1.0.254\"\ntie_breaker_interval_ms = 100\ntie_breaker_timeout_ms = 300"))
                .startsWith("F:5:1: tie_breaker_timeout_ms 300 must not exceed");
    }

    @Test
    void badAddressIsExplained() throws Exception {
        assertThat(errorOf("tie_breaker = \"10.1.0\"")).startsWith("F:3:1: invalid address '10.1.0'");
    }
}
