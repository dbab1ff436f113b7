package io.ringwall.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringwall.node.NodeConfig;
import io.ringwall.wire.Ipv4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster file: valid files load completely; every problem names file:line:column. */
class ConfigLoaderTest {
    private static final String VALID = """
            [cluster]
            name = "lab"
            secret_file = "cluster.key"

            [[nodes]]
            name = "gw1"
            address = "10.1.0.11"
            [nodes.devices]
            wan = "eth1"
            lan = "eth2"

            [[nodes]]
            name = "gw2"
            [nodes.devices]
            wan = "eth1"
            lan = "eth2"

            [[interfaces]]
            name = "wan"
            subnet = "10.1.0.0/24"
            vips = ["10.1.0.1", "10.1.0.2"]

            [[interfaces]]
            name = "lan"
            subnet = "10.2.0.0/24"
            vips = ["10.2.0.1"]
            mtu = 9000

            [[routes]]
            to = "0.0.0.0/0"
            via = "10.1.0.254"

            [filter]
            rules = "rules.conf"

            [dataplane]
            max_flows = 1024
            """;
    private static final String RULES = "policy drop\naccept state established,related\naccept in lan out wan\n";

    @TempDir
    Path dir;

    private Path write(String toml, String rules) throws Exception {
        return ConfigFiles.write(dir, toml, rules);
    }

    private String errorOf(String toml) throws Exception {
        return ConfigFiles.errorOf(write(toml, RULES));
    }

    @Test
    void validFileLoadsEverySection() throws Exception {
        ClusterConfig c = ConfigLoader.load(write(VALID, RULES));
        assertThat(c.clusterName()).isEqualTo("lab");
        assertThat(c.nodes()).extracting(ClusterConfig.NodeEntry::name).containsExactly("gw1", "gw2");
        assertThat(c.subnets().get(0).vips()).containsExactly(Ipv4Address.parse("10.1.0.1"), Ipv4Address.parse("10.1.0.2"));
        assertThat(c.routes().get(0).interfaceName()).isEqualTo("wan");
        assertThat(c.limits().maxFlows()).isEqualTo(1024);
        assertThat(c.devicesOf(c.node("gw1").orElseThrow())).containsExactly("eth1", "eth2");

        NodeConfig n = c.nodeConfig(c.node("gw1").orElseThrow(), new long[] {1, 2}, new int[] {1500, 1500});
        assertThat(n.interfaces().get(0).ownAddress()).isEqualTo(Ipv4Address.parse("10.1.0.11"));
        assertThat(n.interfaces().get(1).ownAddress()).isZero();
        assertThat(n.interfaces().get(1).mtu()).as("the smaller of device and config MTU").isEqualTo(1500);
        assertThat(n.routes().get(0).ifIndex()).isZero();
    }

    @Test
    void tomlSyntaxErrorIsLocated() throws Exception {
        assertThat(errorOf("[cluster]\nname = \"x\n")).startsWith("F:2:");
    }

    @Test
    void unknownKeySuggestsTheNearestOne() throws Exception {
        assertThat(errorOf(VALID.replace("vips = [\"10.2.0.1\"]", "vip = [\"10.2.0.1\"]")))
                .isEqualTo("F:26:1: unknown key 'vip' in [[interfaces]] (did you mean 'vips'?)");
    }

    @Test
    void vipOutsideItsSubnetIsRejectedAtItsColumn() throws Exception {
        assertThat(errorOf(VALID.replace("\"10.1.0.2\"", "\"10.9.0.2\"")))
                .isEqualTo("F:21:21: VIP 10.9.0.2 is not inside subnet 10.1.0.0/24");
    }

    @Test
    void badAddressAndHostBitsAreExplained() throws Exception {
        assertThat(errorOf(VALID.replace("10.1.0.0/24", "10.1.0.5/24")))
                .isEqualTo("F:20:1: '10.1.0.5/24' has host bits set (did you mean 10.1.0.0/24?)");
        assertThat(errorOf(VALID.replace("via = \"10.1.0.254\"", "via = \"10.1.0.300\"")))
                .startsWith("F:31:1: invalid address '10.1.0.300'");
    }

    @Test
    void nodeWithoutDeviceForAnInterfaceIsRejected() throws Exception {
        assertThat(errorOf(VALID.replaceFirst("lan = \"eth2\"\n", "")))
                .isEqualTo("F:6:1: node 'gw1' has no device for interface 'lan' (add lan = \"eth…\" under [nodes.devices])");
    }

    @Test
    void gatewayOffEverySubnetIsRejected() throws Exception {
        assertThat(errorOf(VALID.replace("via = \"10.1.0.254\"", "via = \"192.0.2.1\"")))
                .isEqualTo("F:31:1: gateway 192.0.2.1 is not on any configured subnet");
    }

    @Test
    void outOfRangeNumberNamesTheRange() throws Exception {
        assertThat(errorOf(VALID.replace("max_flows = 1024", "max_flows = 3")))
                .isEqualTo("F:37:1: 'max_flows' = 3 is out of range 16..16777216");
    }

    @Test
    void ruleFileErrorsPointIntoTheRuleFile() throws Exception {
        Path file = write(VALID, "policy drop\naccept in dmz out wan\n");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException c = (ConfigException) e;
                    assertThat(c.file()).endsWith("rules.conf");
                    assertThat(c.line()).isEqualTo(2);
                    assertThat(c.column()).isEqualTo(11);
                    assertThat(c.getMessage()).contains("dmz");
                });
    }

    @Test
    void missingRuleFileIsReported() throws Exception {
        assertThat(errorOf(VALID.replace("rules.conf", "nope.conf"))).startsWith("F:34:1: cannot read rule file")
                .contains("no such file");
    }

    @Test
    void deferTimeoutDefaultsToTwentyMillisecondsAndIsConfigurable() throws Exception {
        assertThat(gw1With("").deferTimeoutNs()).isEqualTo(20_000_000L);
        assertThat(gw1With("defer_timeout_ms = 5\n").deferTimeoutNs()).isEqualTo(5_000_000L);
    }

    /** gw1's cluster settings from {@link #VALID} with {@code lines} added to its [cluster] table. */
    private io.ringwall.node.ClusterSettings gw1With(String lines) throws Exception {
        ClusterConfig c = ConfigLoader.load(write(VALID.replace("name = \"lab\"\n", "name = \"lab\"\n" + lines), RULES));
        return c.clusterSettings(c.node("gw1").orElseThrow());
    }

    @Test
    void defaultSyncIsAsyncAndCanMakeTcpFlowsStrict() throws Exception {
        assertThat(gw1With("").strictTcpByDefault()).isFalse();
        assertThat(gw1With("default_sync = \"strict\"\n").strictTcpByDefault()).isTrue();
    }

    @Test
    void unknownDefaultSyncIsLocated() throws Exception {
        assertThat(errorOf(VALID.replace("name = \"lab\"\n", "name = \"lab\"\ndefault_sync = \"off\"\n")))
                .startsWith("F:3:").contains("default_sync must be \"async\" or \"strict\", not \"off\"");
    }

    @Test
    void deferTimeoutOutOfRangeIsLocated() throws Exception {
        assertThat(errorOf(VALID.replace("name = \"lab\"\n", "name = \"lab\"\ndefer_timeout_ms = 5000\n")))
                .isEqualTo("F:3:1: 'defer_timeout_ms' = 5000 is out of range 0..1000");
    }

    @Test
    void bucketsAndBackupCountReachTheClusterSettings() throws Exception {
        ClusterConfig c = ConfigLoader.load(write(VALID, RULES));
        assertThat(c.clusterSettings(c.node("gw1").orElseThrow()).distribution())
                .isEqualTo(new io.ringwall.node.ClusterSettings.Distribution(1024, 1));
        ClusterConfig set = ConfigLoader.load(write(VALID.replace("name = \"lab\"\n",
                "name = \"lab\"\nbuckets = 256\nbackup_count = 2\n"), RULES));
        assertThat(set.clusterSettings(set.node("gw1").orElseThrow()).distribution())
                .isEqualTo(new io.ringwall.node.ClusterSettings.Distribution(256, 2));
        assertThat(c.clusterSettings(c.node("gw1").orElseThrow()).configDigest())
                .isNotEqualTo(set.clusterSettings(set.node("gw1").orElseThrow()).configDigest());
    }

    @Test
    void freshNodeTimeDefaultsToAMinuteAndIsConfigurable() throws Exception {
        assertThat(gw1With("").freshNodeNs()).isEqualTo(60_000_000_000L);
        assertThat(gw1With("fresh_node_s = 0\n").freshNodeNs()).isZero();
        assertThat(errorOf(VALID.replace("name = \"lab\"\n", "name = \"lab\"\nfresh_node_s = -1\n")))
                .isEqualTo("F:3:1: 'fresh_node_s' = -1 is out of range 0..3600");
    }

    @Test
    void bucketsOutOfRangeIsLocated() throws Exception {
        assertThat(errorOf(VALID.replace("name = \"lab\"\n", "name = \"lab\"\nbuckets = 4096\n")))
                .isEqualTo("F:3:1: 'buckets' = 4096 is out of range 1..1024");
    }

    @Test
    void clusterOfTwoNeedsASecret() throws Exception {
        assertThat(errorOf(VALID.replace("secret_file = \"cluster.key\"\n", "")))
                .startsWith("F:1:1: [cluster] secret_file is required with more than one node");
    }

    @Test
    void clusterSettingsCarryPathsSecretAndDigest() throws Exception {
        ClusterConfig c = ConfigLoader.load(write(VALID.replace("address = \"10.1.0.11\"",
                "[nodes.addresses]\nwan = \"10.1.0.11\"\nlan = \"10.2.0.11\""), RULES));
        var s = c.clusterSettings(c.node("gw1").orElseThrow());
        assertThat(s.selfId()).isZero();
        assertThat(s.members()).hasSize(2);
        assertThat(s.self().addressOn(1)).isEqualTo(Ipv4Address.parse("10.2.0.11"));
        assertThat(s.members().get(1).addressOn(0)).isZero();
        assertThat(new String(s.secret())).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(s.udpPort()).isEqualTo(ClusterConfig.ClusterOptions.DEFAULT_PORT);
        ClusterConfig other = ConfigLoader.load(write(VALID.replace("10.1.0.2\"", "10.1.0.3\""), RULES));
        assertThat(other.digest()).as("a different VIP pool is a different configuration").isNotEqualTo(c.digest());
        ClusterConfig same = ConfigLoader.load(write(VALID.replace("eth1", "ens4"), RULES));
        assertThat(same.digest()).as("device names are per host").isEqualTo(ConfigLoader.load(write(VALID, RULES)).digest());
    }

    @Test
    void missingFileIsReported() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.toml")))
                .hasMessageEndingWith("absent.toml: no such file");
    }
}
