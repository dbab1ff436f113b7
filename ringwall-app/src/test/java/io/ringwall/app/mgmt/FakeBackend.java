package io.ringwall.app.mgmt;

import io.ringwall.node.NodeCommand;
import io.ringwall.node.NodeStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A node stand-in: a fixed status, and commands answered by a test-chosen function (recorded in order). */
final class FakeBackend implements ManagementBackend {
    static final NodeStatus STATUS = new NodeStatus("gw1", "member", 42, List.of("gw1", "gw2", "gw3"), true,
            12_345_678L,
            List.of(new NodeStatus.Vip("10.1.0.1", "wan", "gw1", "gw2", 3),
                    new NodeStatus.Vip("10.2.0.1", "lan", "gw3", "-", 0)),
            List.of(new NodeStatus.Load("gw1", 1_250_000, 1_100, 37),
                    new NodeStatus.Load("gw2", 80_000, 95, 4)),
            new NodeStatus.Counters(1000, 990, 980, 10, 41, 3, 2));

    volatile NodeStatus status = STATUS;
    final List<NodeCommand> submitted = new CopyOnWriteArrayList<>();
    volatile Function<NodeCommand, CompletableFuture<NodeCommand.Result>> answer =
            c -> CompletableFuture.completedFuture(new NodeCommand.Result(true, "done: " + c));

    @Override
    public NodeStatus status() {
        return status;
    }

    @Override
    public CompletableFuture<NodeCommand.Result> submit(NodeCommand command) {
        submitted.add(command);
        return answer.apply(command);
    }
}
