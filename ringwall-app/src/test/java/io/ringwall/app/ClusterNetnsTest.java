package io.ringwall.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active/standby on real namespaces ({@link NetnsCluster}): one VIP per side, so one node handles everything.
 * Through the VIP run 200 long-lived TCP connections, an iperf3 TCP stream and a 1 ms UDP probe. The VIP owner
 * is killed with SIGKILL; then the next owner loses all its links at once; then the next owner is drained
 * ({@code ringwall close}). Every connection and the stream must survive each fault with no reset; the test
 * prints the measured gaps.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterNetnsTest {
    private static final String VIP = "10.92.1.1";
    private static final NetnsCluster.Layout LAYOUT = new NetnsCluster.Layout("rwk", List.of(VIP),
            List.of("10.92.2.1"), List.of("10.92.1.10"), List.of("route add default via " + VIP),
            List.of("route add default via 10.92.2.1"));

    @TempDir
    static Path dir;
    private static NetnsCluster cluster;

    @BeforeAll
    static void buildAndStart() throws Exception {
        cluster = NetnsCluster.start(LAYOUT, dir);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int owner() throws Exception {
        return cluster.owner(VIP);
    }

    /** Waits (at most 30 s) for the full ring on every node and a VIP owner. */
    private static void awaitFullRingAndOwner() throws Exception {
        cluster.await("the full ring and a VIP owner", 30, () -> cluster.fullRingEverywhere() && owner() > 0);
    }

    @Test
    @Order(1)
    void clusterFormsAndOneNodeOwnsTheVip() throws Exception {
        int owner = owner();
        assertThat(owner).as(cluster.logs()).isPositive();
        Netns.Result ping = Netns.inNs(cluster.clientNs(), 15, "ping", "-c", "3", "-i", "0.2", "-W", "2",
                NetnsCluster.SERVER);
        assertThat(ping.exitCode()).as(ping.output()).isZero();
        for (int k = 1; k <= NetnsCluster.NODES; k++) {
            assertThat(cluster.log(k)).contains("members=[gw1, gw2, gw3] quorum=true");
        }
    }

    @Test
    @Order(2)
    void statusFromAnyNodeShowsTheWholeCluster() throws Exception {
        int other = NetnsCluster.otherThan(owner()); // a node that does not own the VIP
        Netns.Result r = cluster.operator(other, "status");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("gw1", "gw2", "gw3", VIP, "10.92.2.1");
        assertThat(r.output()).contains("gw" + owner());
        assertThat(r.output()).as("active/standby: the VIP owner owns every bucket")
                .contains("owned: ").contains("gw" + owner() + " 1024");
        System.out.println("cluster netns: ringwall status on gw" + other + ":\n" + r.output());
    }

    @Test
    @Order(3)
    void connectionsAndStreamSurviveKillMinusNineOfTheVipOwner() throws Exception {
        assumeTrue(Netns.hasTool("iperf3"), "needs iperf3");
        int owner = owner();
        cluster.survives("kill -9 of gw" + owner, () -> cluster.process(owner).destroyForcibly());
        assertThat(owner()).as(cluster.logs()).isPositive().isNotEqualTo(owner);
    }

    @Test
    @Order(4)
    void connectionsAndStreamSurviveAllLinksOfTheOwnerGoingDown() throws Exception {
        assumeTrue(Netns.hasTool("iperf3"), "needs iperf3");
        cluster.restartDeadNodes();
        awaitFullRingAndOwner();
        int owner = owner();
        assertThat(owner).isPositive();
        cluster.survives("all links of gw" + owner + " down", () -> cluster.linksDown(owner));
    }

    @Test
    @Order(5)
    void connectionsAndStreamSurviveADrain() throws Exception {
        assumeTrue(Netns.hasTool("iperf3"), "needs iperf3");
        // the node whose links went down comes back: links up, and it rejoins by itself
        cluster.allLinksUp();
        awaitFullRingAndOwner();
        int owner = owner();
        assertThat(owner).as(cluster.logs()).isPositive();
        cluster.survives("drain of gw" + owner, () -> cluster.drain(owner));
        assertThat(owner()).as(cluster.logs()).isPositive().isNotEqualTo(owner);
        Netns.Result reopened = cluster.operator(NetnsCluster.otherThan(owner), "open", "gw" + owner);
        assertThat(reopened.exitCode()).as(reopened.output()).isZero();
    }
}
