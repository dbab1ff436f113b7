package io.ringwall.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringwall.node.NodeStatus;
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
 * Active/active on real namespaces ({@link NetnsCluster}, SPEC §5.1): three VIP groups, one preferred on each
 * node, so all three own flow buckets. The client has three addresses, each using another node's wan VIP as its
 * gateway; the server answers each of them through yet another node's lan VIP — so the two directions of most
 * connections arrive at different nodes and must be passed to their bucket's owner. 200 long-lived TCP
 * connections, an iperf3 stream and a 1 ms UDP probe run through it while the busiest node (most packets/s on
 * the train) is killed with SIGKILL, then (restarted) loses all its links, then is drained: every connection and
 * the stream must survive each fault.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActiveActiveNetnsTest {
    private static final List<String> WAN_VIPS = List.of("10.92.1.1", "10.92.1.2", "10.92.1.3");
    private static final List<String> LAN_VIPS = List.of("10.92.2.1", "10.92.2.2", "10.92.2.3");
    private static final List<String> CLIENTS = List.of("10.92.1.11", "10.92.1.12", "10.92.1.13");
    /** Client k leaves through wan VIP k; the server answers it through lan VIP k+1 (asymmetric on purpose). */
    private static final NetnsCluster.Layout LAYOUT = new NetnsCluster.Layout("rwa", WAN_VIPS, LAN_VIPS, CLIENTS,
            List.of("route add default via 10.92.1.1",
                    "rule add from 10.92.1.11 table 11", "route add default via 10.92.1.1 dev rwa-c0 table 11",
                    "rule add from 10.92.1.12 table 12", "route add default via 10.92.1.2 dev rwa-c0 table 12",
                    "rule add from 10.92.1.13 table 13", "route add default via 10.92.1.3 dev rwa-c0 table 13"),
            List.of("route add default via 10.92.2.1", "route add 10.92.1.11/32 via 10.92.2.2",
                    "route add 10.92.1.12/32 via 10.92.2.3", "route add 10.92.1.13/32 via 10.92.2.1"));

    @TempDir
    static Path dir;
    private static NetnsCluster cluster;

    @BeforeAll
    static void buildAndStart() throws Exception {
        cluster = NetnsCluster.start(LAYOUT, dir);
        // the k-th VIP group prefers gw k: it returns there whenever gw k is in the ring (flag 3)
        for (int k = 1; k <= NetnsCluster.NODES; k++) {
            Netns.Result r = cluster.operator(1, "prefer", WAN_VIPS.get(k - 1), "gw" + k);
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
        awaitActiveActive();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A live node's status, or null if none answers. */
    private static NodeStatus anyStatus() throws Exception {
        for (int k = 1; k <= NetnsCluster.NODES; k++) {
            if (cluster.process(k).isAlive()) {
                NodeStatus s = cluster.status(k);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /**
     * Settled active/active: full ring, every VIP on the node its group prefers, all three nodes own buckets and
     * every owner finished re-replicating (so each bucket has its backup before the next fault).
     */
    private static boolean activeActive() throws Exception {
        if (!cluster.fullRingEverywhere()) {
            return false;
        }
        for (int k = 1; k <= NetnsCluster.NODES; k++) {
            if (cluster.owner(WAN_VIPS.get(k - 1)) != k || cluster.owner(LAN_VIPS.get(k - 1)) != k) {
                return false;
            }
        }
        NodeStatus s = anyStatus();
        return s != null && s.buckets().redundant()
                && s.buckets().owners().stream().allMatch(o -> o.buckets() > 0);
    }

    private static void awaitActiveActive() throws Exception {
        cluster.await("active/active: each VIP group on its node, buckets on all three, redundancy restored", 60,
                ActiveActiveNetnsTest::activeActive);
    }

    /** The node with the most packets per second as the train reports them (ties: the lowest number). */
    private static int busiest() {
        try {
            NodeStatus s = anyStatus();
            int best = 1;
            long most = -1;
            for (NodeStatus.Load l : s.loads()) {
                int k = Integer.parseInt(l.node().substring(2));
                if (l.packetsPerSecond() > most && cluster.process(k).isAlive()) {
                    most = l.packetsPerSecond();
                    best = k;
                }
            }
            System.out.println("cluster netns: busiest node gw" + best + " (" + most + " packets/s), loads "
                    + s.loads());
            return best;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(1)
    void bucketsAreSpreadOverAllThreeNodesAndBothDirectionsReachTheOwner() throws Exception {
        Netns.Result ping = Netns.inNs(cluster.clientNs(), 15, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-I",
                CLIENTS.get(1), NetnsCluster.SERVER);
        assertThat(ping.exitCode()).as(ping.output()).isZero();
        Netns.Result r = cluster.operator(2, "status");
        assertThat(r.exitCode()).as(r.output()).isZero();
        System.out.println("cluster netns: active/active ringwall status on gw2:\n" + r.output());
        NodeStatus s = cluster.status(2);
        assertThat(s.buckets().owners()).hasSize(3).allSatisfy(o -> assertThat(o.buckets()).isBetween(200, 500));
        assertThat(s.buckets().redundant()).isTrue();
    }

    @Test
    @Order(2)
    void connectionsAndStreamSurviveKillMinusNineOfTheBusiestNode() throws Exception {
        assumeTrue(Netns.hasTool("iperf3"), "needs iperf3");
        int[] killed = new int[1];
        cluster.survives("active/active kill -9 of the busiest node", () -> {
            killed[0] = busiest();
            cluster.process(killed[0]).destroyForcibly();
        });
        long passedOn = 0;
        for (int k = 1; k <= NetnsCluster.NODES; k++) {
            NodeStatus s = k == killed[0] ? null : cluster.status(k);
            passedOn += s == null ? 0 : s.buckets().passedOn();
        }
        assertThat(passedOn).as("frames were passed to their bucket's owner").isPositive();
    }

    @Test
    @Order(3)
    void connectionsAndStreamSurviveAllLinksOfTheBusiestNodeGoingDown() throws Exception {
        assumeTrue(Netns.hasTool("iperf3"), "needs iperf3");
        cluster.restartDeadNodes();
        awaitActiveActive();
        cluster.survives("active/active all links of the busiest node down", () -> cluster.linksDown(busiest()));
    }

    @Test
    @Order(4)
    void connectionsAndStreamSurviveADrainOfTheBusiestNode() throws Exception {
        assumeTrue(Netns.hasTool("iperf3"), "needs iperf3");
        cluster.allLinksUp();
        awaitActiveActive();
        int[] drained = new int[1];
        cluster.survives("active/active drain of the busiest node", () -> {
            drained[0] = busiest();
            cluster.drain(drained[0]);
        });
        NodeStatus after = cluster.status(NetnsCluster.otherThan(drained[0]));
        assertThat(after.buckets().owners()).as("the drained node handed every bucket over")
                .filteredOn(o -> o.node().equals("gw" + drained[0])).allSatisfy(o -> assertThat(o.buckets()).isZero());
    }
}
