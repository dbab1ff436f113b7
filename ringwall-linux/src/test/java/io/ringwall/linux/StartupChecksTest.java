package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StartupChecksTest {
    private static String veth;
    private static String peer;

    @BeforeAll
    static void createVeth() {
        HostNetwork.assumeRootWithIp();
        String suffix = HostNetwork.uniqueSuffix();
        veth = "rwtsa" + suffix;
        peer = "rwtsb" + suffix;
        HostNetwork.ok("ip", "link", "add", veth, "type", "veth", "peer", "name", peer);
        HostNetwork.ok("ip", "link", "set", veth, "up");
    }

    @AfterAll
    static void deleteVeth() {
        if (veth != null) {
            HostNetwork.quietly("ip", "link", "del", veth);
        }
    }

    @Test
    void kernelForwardingOnADataDeviceIsReportedWithTheSysctlFix() throws Exception {
        HostNetwork.writeSysctl("net/ipv4/conf/" + veth + "/forwarding", "1");
        try {
            List<String> problems = StartupChecks.check(List.of(veth));

            assertThat(problems).anySatisfy(problem -> assertThat(problem)
                    .contains("double forwarding")
                    .contains("sysctl -w net.ipv4.conf." + veth + ".forwarding=0"));
        } finally {
            HostNetwork.writeSysctl("net/ipv4/conf/" + veth + "/forwarding", "0");
        }
    }

    @Test
    void upDeviceWithForwardingOffHasNoProblems() throws Exception {
        HostNetwork.writeSysctl("net/ipv4/conf/" + veth + "/forwarding", "0");
        HostNetwork.writeSysctl("net/ipv6/conf/" + veth + "/forwarding", "0");

        assertThat(StartupChecks.check(List.of(veth))).isEmpty();
    }

    @Test
    void missingAndDownDevicesAreAllReportedTogether() {
        List<String> problems = StartupChecks.check(List.of("rwtnosuch0", peer));

        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("no such network device: rwtnosuch0"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .contains(peer + " is down").contains("ip link set " + peer + " up"));
    }

    @Test
    void vethReportsLroOffAndItsGroState() {
        assertThat(StartupChecks.lroEnabled(veth)).isFalse();
        assertThat(StartupChecks.groEnabled(veth)).isPresent();
    }

    @Test
    void aDeviceListedTwiceIsAProblem() {
        assertThat(StartupChecks.check(List.of(veth, veth)))
                .anySatisfy(problem -> assertThat(problem).contains("listed twice"));
    }
}
