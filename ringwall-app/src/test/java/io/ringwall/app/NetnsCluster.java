package io.ringwall.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringwall.app.mgmt.StatusJson;
import io.ringwall.node.NodeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Three real nodes ({@code ringwall run}, each in its own namespace) sharing a client segment (wan), a server
 * segment (lan) and a cluster segment, all Linux bridges in a "switch" namespace; a client namespace and a server
 * namespace (UDP and TCP echo servers) at the ends. The {@link Layout} says which VIPs there are and how the
 * client and server route through them. Only these namespaces carry traffic; {@link #close} removes them.
 */
final class NetnsCluster implements AutoCloseable {
    static final int NODES = 3;
    static final String SERVER = "10.92.2.10";
    /** Connections held open through every fault (issue: 200 long-lived connections plus a bulk stream). */
    static final int CONNECTIONS = 200;
    private static final int FAULT_AFTER_MS = 2000;
    private static final String RULES = """
            policy drop
            accept state established,related
            accept in wan out lan
            accept proto icmp
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What differs between the cluster tests: a name prefix for namespaces and devices (so two tests never share
     * one), the VIP pools, the client's addresses (the first one carries the probe and the bulk stream) and the
     * {@code ip} commands that set up routing in the client and the server namespace.
     */
    record Layout(String prefix, List<String> wanVips, List<String> lanVips, List<String> clients,
                  List<String> clientRouting, List<String> serverRouting) {
    }

    private final Layout layout;
    private final Path dir;
    private final Process[] nodes = new Process[NODES];
    private final Path[] nodeLogs = new Path[NODES];
    private final List<Process> servers = new ArrayList<>();

    private NetnsCluster(Layout layout, Path dir) {
        this.layout = layout;
        this.dir = dir;
    }

    String sw() {
        return layout.prefix + "-sw";
    }

    String clientNs() {
        return layout.prefix + "-c";
    }

    String serverNs() {
        return layout.prefix + "-s";
    }

    String node(int k) {
        return layout.prefix + "-g" + k;
    }

    Process process(int k) {
        return nodes[k - 1];
    }

    /**
     * Builds the namespaces, starts the three nodes and the echo servers, and waits until the ring is whole; the
     * calling test is skipped without root, iproute2, python3 or ping.
     */
    static NetnsCluster start(Layout layout, Path dir) throws Exception {
        assumeTrue(Netns.available(), "needs root and iproute2");
        assumeTrue(Netns.hasTool("python3") && Netns.hasTool("ping"), "needs python3 and ping");
        NetnsCluster c = new NetnsCluster(layout, dir);
        c.removeNamespaces();
        c.build();
        c.writeConfig();
        for (int k = 1; k <= NODES; k++) {
            c.startNode(k, dir.resolve("gw" + k + ".log"));
        }
        c.servers.add(Netns.inNsProcess(c.serverNs(), "python3", "-c", NetnsTraffic.UDP_ECHO, SERVER)
                .redirectOutput(dir.resolve("echo.log").toFile()).start());
        c.servers.add(Netns.inNsProcess(c.serverNs(), "python3", "-c", NetnsTraffic.TCP_ECHO, SERVER)
                .redirectOutput(dir.resolve("tcp-echo.log").toFile()).start());
        // The three JVMs start at different speeds and the ring may re-form a few times while they come up:
        // wait (bounded) until every node reports the full quorate ring, the first VIP has an owner and ping passes.
        String vip = layout.wanVips.get(0);
        c.await("the cluster to settle", 60, () -> c.fullRingEverywhere() && c.owner(vip) > 0
                && Netns.inNs(c.clientNs(), 5, "ping", "-c", "1", "-W", "1", SERVER).exitCode() == 0);
        return c;
    }

    private void build() throws Exception {
        String p = layout.prefix;
        List<String> sh = new ArrayList<>(List.of("set -e", "ip netns add " + sw(), "ip netns add " + clientNs(),
                "ip netns add " + serverNs()));
        for (String br : List.of("brw", "brl", "brc")) {
            sh.add("ip -n " + sw() + " link add " + br + " type bridge");
            sh.add("ip -n " + sw() + " link set " + br + " up");
        }
        sh.add("ip link add " + p + "-c0 netns " + clientNs() + " type veth peer name " + p + "-swc netns " + sw());
        sh.add("ip link add " + p + "-s0 netns " + serverNs() + " type veth peer name " + p + "-sws netns " + sw());
        sh.add("ip -n " + sw() + " link set " + p + "-swc master brw up");
        sh.add("ip -n " + sw() + " link set " + p + "-sws master brl up");
        for (String client : layout.clients) {
            sh.add("ip -n " + clientNs() + " addr add " + client + "/24 dev " + p + "-c0");
        }
        sh.add("ip -n " + serverNs() + " addr add " + SERVER + "/24 dev " + p + "-s0");
        sh.add("ip -n " + clientNs() + " link set " + p + "-c0 up");
        sh.add("ip -n " + serverNs() + " link set " + p + "-s0 up");
        for (String r : layout.clientRouting) {
            sh.add("ip -n " + clientNs() + " " + r);
        }
        for (String r : layout.serverRouting) {
            sh.add("ip -n " + serverNs() + " " + r);
        }
        for (int k = 1; k <= NODES; k++) {
            String ns = node(k);
            sh.add("ip netns add " + ns);
            sh.add("ip netns exec " + ns + " sysctl -qw net.ipv4.ip_forward=0");
            for (String[] side : new String[][] {{"w", "brw"}, {"l", "brl"}, {"c", "brc"}}) {
                String dev = "g" + k + side[0];
                sh.add("ip link add " + dev + " netns " + ns + " type veth peer name " + p + "-" + k + side[0]
                        + " netns " + sw());
                sh.add("ip -n " + sw() + " link set " + p + "-" + k + side[0] + " master " + side[1] + " up");
                sh.add("ip -n " + ns + " link set " + dev + " up");
            }
            sh.add("ip -n " + ns + " link set lo up");
        }
        Netns.must(String.join("\n", sh));
    }

    private void writeConfig() throws Exception {
        StringBuilder toml = new StringBuilder("""
                [cluster]
                name = "netns"
                secret_file = "cluster.key"

                """);
        for (int k = 1; k <= NODES; k++) {
            toml.append("[[nodes]]\nname = \"gw").append(k).append("\"\n[nodes.devices]\n")
                    .append("wan = \"g").append(k).append("w\"\nlan = \"g").append(k).append("l\"\ncluster = \"g")
                    .append(k).append("c\"\n[nodes.addresses]\n")
                    .append("wan = \"10.92.1.").append(100 + k).append("\"\nlan = \"10.92.2.").append(100 + k)
                    .append("\"\ncluster = \"10.92.9.").append(k).append("\"\n\n");
        }
        toml.append("[[interfaces]]\nname = \"wan\"\nsubnet = \"10.92.1.0/24\"\nvips = ").append(tomlList(layout.wanVips))
                .append("\n\n[[interfaces]]\nname = \"lan\"\nsubnet = \"10.92.2.0/24\"\nvips = ")
                .append(tomlList(layout.lanVips)).append("""


                [[interfaces]]
                name = "cluster"
                subnet = "10.92.9.0/24"

                [filter]
                rules = "rules.conf"
                """);
        Files.writeString(dir.resolve("ringwall.toml"), toml);
        Files.writeString(dir.resolve("rules.conf"), RULES);
        Files.writeString(dir.resolve("cluster.key"), "netns-test-secret-0123456789abcdef\n");
    }

    private static String tomlList(List<String> values) {
        return "[\"" + String.join("\", \"", values) + "\"]";
    }

    /** Starts {@code ringwall run} for node {@code k} in its namespace, logging to {@code log}. */
    private void startNode(int k, Path log) throws Exception {
        nodes[k - 1] = Netns.startRingwall(node(k), dir.resolve("ringwall.toml"), "gw" + k, log, "-XX:+UseZGC",
                "-Xmx256m");
        nodeLogs[k - 1] = log;
    }

    /** Polls {@code done} every 200 ms for at most {@code seconds}; fails with every node's log if it never holds. */
    void await(String what, int seconds, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.call()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what + "; logs:\n"
                        + logs());
            }
            Thread.sleep(200);
        }
        Thread.sleep(1000); // settled: let a rotation or two pass before measuring
    }

    /** Every live node's latest ring line is the full, quorate ring. */
    boolean fullRingEverywhere() throws Exception {
        Pattern ring = Pattern.compile("ring epoch=\\d+ members=\\[([^\\]]*)\\] quorum=(true|false)");
        for (int k = 1; k <= NODES; k++) {
            Matcher m = ring.matcher(Files.readString(nodeLogs[k - 1]));
            String last = null;
            while (m.find()) {
                last = m.group(1) + "/" + m.group(2);
            }
            if (!"gw1, gw2, gw3/true".equals(last)) {
                return false;
            }
        }
        return true;
    }

    String logs() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int k = 1; k <= NODES; k++) {
            Path log = nodeLogs[k - 1];
            b.append("--- gw").append(k).append('\n').append(Files.exists(log) ? Files.readString(log) : "(none)");
        }
        return b.toString();
    }

    String log(int k) throws Exception {
        return Files.readString(nodeLogs[k - 1]);
    }

    /** The live node whose log last took {@code vip} over (and did not release it since); -1 if none. */
    int owner(String vip) throws Exception {
        Pattern event = Pattern.compile("vip-(takeover|release) vip=" + Pattern.quote(vip) + "\\b");
        for (int k = 1; k <= NODES; k++) {
            if (nodes[k - 1] == null || !nodes[k - 1].isAlive()) {
                continue;
            }
            String last = null;
            Matcher m = event.matcher(Files.readString(nodeLogs[k - 1]));
            while (m.find()) {
                last = m.group(1);
            }
            if ("takeover".equals(last)) {
                return k;
            }
        }
        return -1;
    }

    /** Runs a ringwall operator command (the CLI) against the management listener of node {@code k}. */
    Netns.Result operator(int k, String... args) throws Exception {
        return Netns.ringwall(node(k), 30, args);
    }

    /** {@code GET /v1/status} of node {@code k}, read as the CLI reads it; null if the node does not answer. */
    NodeStatus status(int k) throws Exception {
        Netns.Result r = Netns.inNs(node(k), 10, "python3", "-c", NetnsTraffic.STATUS_JSON);
        return r.exitCode() != 0 ? null : StatusJson.fromJson(JSON.readTree(r.output()));
    }

    /** All three links of node {@code k} {@code up} or {@code down}. */
    void setLinks(int k, String state) throws Exception {
        Netns.must("ip -n " + node(k) + " link set g" + k + "w " + state + "; ip -n " + node(k) + " link set g" + k
                + "l " + state + "; ip -n " + node(k) + " link set g" + k + "c " + state);
    }

    /** Every node's links up (a node whose links went down rejoins by itself). */
    void allLinksUp() throws Exception {
        for (int k = 1; k <= NODES; k++) {
            setLinks(k, "up");
        }
    }

    /** The node that operator commands about node {@code k} go through (k's own listener may be gone). */
    static int otherThan(int k) {
        return k % NODES + 1;
    }

    /** {@code ringwall close gwK} through another node's listener, as an operator drains a node: a fault to survive. */
    void drain(int k) {
        try {
            Netns.Result r = operator(otherThan(k), "close", "gw" + k);
            assertThat(r.exitCode()).as(r.output()).isZero();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void linksDown(int k) {
        try {
            setLinks(k, "down");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A node killed before starts again and must rejoin; a fault of one more node would otherwise leave a minority. */
    void restartDeadNodes() throws Exception {
        for (int k = 1; k <= NODES; k++) {
            if (!nodes[k - 1].isAlive()) {
                Path log = dir.resolve("gw" + k + "-restart-" + System.nanoTime() + ".log");
                startNode(k, log);
                int node = k;
                // a restarted node warms its forwarding path and cluster code up first: 10-20 s on this 2-core host
                // while the other two nodes carry the load (10 s here timed out when a build shared the machine)
                await("gw" + k + " to rejoin", 45, () -> log(node).contains("members=[gw1, gw2, gw3] quorum=true"));
            }
        }
    }

    /** Runs the UDP probe for {@code seconds}, applying {@code fault} after {@code faultAfterMs}; returns its JSON. */
    private String probeAround(double seconds, long faultAfterMs, Runnable fault) throws Exception {
        Process probe = Netns.inNsProcess(clientNs(), "python3", "-c", NetnsTraffic.PROBE, String.valueOf(seconds),
                layout.clients.get(0), SERVER).start();
        Thread.sleep(faultAfterMs);
        fault.run();
        assertThat(probe.waitFor((long) seconds + 20, TimeUnit.SECONDS)).isTrue();
        return new String(probe.getInputStream().readAllBytes()).trim();
    }

    static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (-?[0-9.]+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * Runs the load for about 8 s with {@code fault} applied after {@link #FAULT_AFTER_MS}: {@link #CONNECTIONS}
     * long-lived TCP connections (spread over the client's addresses) echoing every 100 ms, an iperf3 TCP stream
     * (rate-limited so the 2-core test host keeps up) and the 1 ms UDP probe. Asserts that every connection and
     * the stream survive; returns the probe JSON.
     */
    String survives(String label, Runnable fault) throws Exception {
        Process iperfServer = Netns.inNsProcess(serverNs(), "iperf3", "-s", "-1", "-B", SERVER)
                .redirectOutput(dir.resolve("iperf3-server-" + label.replaceAll("[^A-Za-z0-9]+", "-") + ".log").toFile()).start();
        try {
            Process tcp = Netns.inNsProcess(clientNs(), "python3", "-c", NetnsTraffic.TCP_CLIENTS,
                    String.valueOf(CONNECTIONS), "9", SERVER, String.join(",", layout.clients)).start();
            Thread.sleep(800); // connections established and replicated before the fault
            Process iperf = Netns.inNsProcess(clientNs(), "iperf3", "-c", SERVER, "-B", layout.clients.get(0), "-t",
                    "7", "-b", "200M", "--connect-timeout", "3000").start();
            String result = probeAround(6, FAULT_AFTER_MS - 200, fault);
            System.out.println("cluster netns: " + label + ": UDP probe " + result);
            assertThat(tcp.waitFor(45, TimeUnit.SECONDS)).isTrue();
            assertThat(iperf.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String tcpResult = new String(tcp.getInputStream().readAllBytes()).trim();
            String iperfOut = new String(iperf.getInputStream().readAllBytes());
            System.out.println("cluster netns: " + label + ": " + CONNECTIONS + " TCP connections " + tcpResult);
            System.out.println("cluster netns: " + label + ": iperf3 exit " + iperf.exitValue() + ", "
                    + iperfOut.lines().filter(l -> l.contains("receiver")).findFirst().orElse("no receiver summary"));
            assertThat(field(tcpResult, "survived")).as("every established TCP connection survives: " + tcpResult
                    + logs()).isEqualTo(CONNECTIONS);
            assertThat(iperf.exitValue()).as("the iperf3 stream survives: " + iperfOut + logs()).isZero();
            assertThat(iperfOut).contains("receiver");
            assertThat(field(result, "tail_ms")).as("the stream still flows at the end: " + result + logs())
                    .isLessThan(100);
            assertThat(field(result, "max_gap_ms")).as(result).isLessThan(2000);
            return result;
        } finally {
            iperfServer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        for (Process p : nodes) {
            Netns.stop(p);
        }
        for (Process p : servers) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (Netns.available()) {
            removeNamespaces();
        }
    }

    private void removeNamespaces() throws Exception {
        Netns.deleteNamespaces(sw(), clientNs(), serverNs(), node(1), node(2), node(3));
    }
}
