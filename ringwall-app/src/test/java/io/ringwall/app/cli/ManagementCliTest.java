package io.ringwall.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.app.Main;
import io.ringwall.app.mgmt.ManagementBackend;
import io.ringwall.app.mgmt.ManagementServer;
import io.ringwall.app.mgmt.HostPort;
import io.ringwall.app.mgmt.StatusReport;
import io.ringwall.node.NodeCommand;
import io.ringwall.node.NodeStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI against a real listener over a fixed node: what it prints and how it exits. */
class ManagementCliTest {
    private static final NodeStatus STATUS = new NodeStatus("gw1", "alone", 0, List.of("gw1"), true, 0,
            List.of(new NodeStatus.Vip("10.1.0.1", "wan", "gw1", "-", 0)), List.of(),
            new NodeStatus.Counters(5, 4, 3, 1, 2, 0, 0));
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private ManagementServer server;
    private volatile NodeCommand.Result answer = new NodeCommand.Result(true, "moved");

    @BeforeEach
    void start() throws Exception {
        server = ManagementServer.start(new HostPort("127.0.0.1", freePort()), new ManagementBackend() {
            @Override
            public NodeStatus status() {
                return STATUS;
            }

            @Override
            public CompletableFuture<NodeCommand.Result> submit(NodeCommand command) {
                return CompletableFuture.completedFuture(answer);
            }
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String node() {
        return "127.0.0.1:" + server.address().getPort();
    }

    @Test
    void statusPrintsTheReport() {
        assertThat(run("status", "--node", node())).isZero();
        assertThat(out.toString()).isEqualTo(StatusReport.render(STATUS));
    }

    @Test
    void statusJsonPrintsTheApiFields() {
        assertThat(run("status", "--node", node(), "--json")).isZero();
        assertThat(out.toString()).contains("\"token_rotation_ms\"").contains("\"frames_in\" : 5");
    }

    @Test
    void unreachableNodeExitsOneWithAClearMessage() throws Exception {
        String closed = "127.0.0.1:" + freePort();
        assertThat(run("status", "--node", closed)).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the ringwall node at " + closed + ": connection refused");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void vipsPrintsTheVipTable() {
        assertThat(run("vips", "--node", node())).isZero();
        assertThat(out.toString()).isEqualTo(StatusReport.vipTable(STATUS));
    }

    @Test
    void carriedOutCommandExitsZero() {
        assertThat(run("move", "10.1.0.1", "gw2", "--node", node())).isZero();
        assertThat(out.toString()).isEqualTo("carried out: moved\n");
    }

    @Test
    void refusedCommandExitsOneAndSaysWhy() {
        answer = new NodeCommand.Result(false, "this node does not take commands");
        assertThat(run("close", "gw2", "--node", node())).isEqualTo(1);
        assertThat(err.toString()).contains("NOT carried out (HTTP 409): this node does not take commands");
    }

    @Test
    void badVipIsReportedAsNotCarriedOut() {
        assertThat(run("prefer", "10.1.0.999", "gw2", "--node", node())).isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 400").contains("not a VIP address");
    }

    @Test
    void malformedNodeAddressIsAUsageError() {
        assertThat(run("open", "gw2", "--node", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("HOST:PORT");
    }
}
