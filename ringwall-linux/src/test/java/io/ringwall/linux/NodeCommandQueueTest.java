package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.NodeCommand;
import io.ringwall.node.NodeMachine;
import io.ringwall.node.NodeStatus;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The queue between management threads and the node: bounded, drained by the loop, snapshots rate-limited. */
class NodeCommandQueueTest {
    /** Records what the loop hands it; answers commands with their own description. */
    static class RecordingNode implements NodeMachine {
        final List<NodeCommand> commands = new ArrayList<>();
        final List<Thread> commandThreads = new ArrayList<>();
        int statusCalls;

        @Override
        public void onFrame(long nowNs, int ifIndex, MemorySegment frame, int length, int offloadFlags) {
        }

        @Override
        public void onTick(long nowNs) {
        }

        @Override
        public long nextDeadlineNs() {
            return Long.MAX_VALUE;
        }

        @Override
        public void onCommand(long nowNs, NodeCommand command, NodeCommand.Reply reply) {
            commands.add(command);
            commandThreads.add(Thread.currentThread());
            reply.done(new NodeCommand.Result(true, "did " + command));
        }

        @Override
        public NodeStatus status(long nowNs) {
            statusCalls++;
            return new NodeStatus("gw1", "alone", statusCalls, List.of("gw1"), true, nowNs, List.of(), List.of(),
                    new NodeStatus.Counters(0, 0, 0, 0, 0, 0, 0));
        }
    }

    @Test
    void servedCommandCompletesWithTheNodesResult() throws Exception {
        NodeCommandQueue queue = new NodeCommandQueue();
        RecordingNode node = new RecordingNode();
        CompletableFuture<NodeCommand.Result> result = queue.submit(new NodeCommand.Close("gw2"));
        assertThat(result).isNotDone();
        queue.serve(node, 0);
        assertThat(node.commands).containsExactly(new NodeCommand.Close("gw2"));
        assertThat(result.get().ok()).isTrue();
        assertThat(result.get().message()).contains("Close[node=gw2]");
    }

    @Test
    void fullQueueRefusesAsBusy() {
        NodeCommandQueue queue = new NodeCommandQueue();
        for (int i = 0; i < NodeCommandQueue.CAPACITY; i++) {
            assertThat(queue.submit(new NodeCommand.Open("gw" + i))).isNotDone();
        }
        CompletableFuture<NodeCommand.Result> refused = queue.submit(new NodeCommand.Open("one-too-many"));
        assertThat(refused).isCompletedExceptionally();
        assertThat(causeOf(refused)).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("busy");
    }

    @Test
    void aServedCommandFreesItsPlaceInTheBound() throws Exception {
        NodeCommandQueue queue = new NodeCommandQueue();
        for (int i = 0; i < NodeCommandQueue.CAPACITY; i++) {
            queue.submit(new NodeCommand.Open("gw" + i));
        }
        queue.serve(new RecordingNode(), 0);
        CompletableFuture<NodeCommand.Result> next = queue.submit(new NodeCommand.Open("next"));
        assertThat(next).isNotDone();
        for (int i = 0; i < NodeCommandQueue.CAPACITY; i += NodeCommandQueue.MAX_COMMANDS_PER_CYCLE) {
            queue.serve(new RecordingNode(), 0);
        }
        assertThat(next.get().message()).contains("next");
    }

    @Test
    void concurrentSubmittersLoseNoCommandAndNeverExceedTheBound() throws Exception {
        NodeCommandQueue queue = new NodeCommandQueue();
        RecordingNode node = new RecordingNode();
        int submitters = 4;
        int each = 2_000;
        List<CompletableFuture<NodeCommand.Result>> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < submitters; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    CompletableFuture<NodeCommand.Result> f = queue.submit(new NodeCommand.Open(id + "-" + i));
                    if (f.isCompletedExceptionally()) {
                        busy.incrementAndGet();
                    } else {
                        accepted.add(f);
                    }
                }
            }));
        }
        long deadline = System.nanoTime() + 20_000_000_000L; // a bound on the test, not a performance claim
        while (threads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
            queue.serve(node, 0);
        }
        for (int i = 0; i <= NodeCommandQueue.CAPACITY / NodeCommandQueue.MAX_COMMANDS_PER_CYCLE; i++) {
            queue.serve(node, 0);
        }
        assertThat(accepted.size() + busy.get()).isEqualTo(submitters * each);
        assertThat(node.commands).hasSize(accepted.size());
        assertThat(accepted).allSatisfy(f -> assertThat(f).isCompleted());
        // every accepted command was served; the bound let the queue refill afterwards
        for (int i = 0; i < NodeCommandQueue.CAPACITY; i++) {
            assertThat(queue.submit(new NodeCommand.Open("after" + i))).isNotDone();
        }
        assertThat(queue.submit(new NodeCommand.Open("over"))).isCompletedExceptionally();
    }

    @Test
    void oneCycleServesABoundedNumberOfCommands() {
        NodeCommandQueue queue = new NodeCommandQueue();
        RecordingNode node = new RecordingNode();
        for (int i = 0; i < NodeCommandQueue.MAX_COMMANDS_PER_CYCLE + 3; i++) {
            queue.submit(new NodeCommand.Open("gw" + i));
        }
        queue.serve(node, 0);
        assertThat(node.commands).hasSize(NodeCommandQueue.MAX_COMMANDS_PER_CYCLE);
        queue.serve(node, 1);
        assertThat(node.commands).hasSize(NodeCommandQueue.MAX_COMMANDS_PER_CYCLE + 3);
    }

    @Test
    void nodeFailureBecomesANegativeResult() throws Exception {
        NodeCommandQueue queue = new NodeCommandQueue();
        RecordingNode node = new RecordingNode() {
            @Override
            public void onCommand(long nowNs, NodeCommand command, NodeCommand.Reply reply) {
                throw new IllegalStateException("boom");
            }
        };
        CompletableFuture<NodeCommand.Result> result = queue.submit(new NodeCommand.Open("gw2"));
        queue.serve(node, 0);
        assertThat(result.get().ok()).isFalse();
        assertThat(result.get().message()).contains("boom");
    }

    @Test
    void statusIsPublishedOnTheFirstCycleAndThenOnlyWhenAskedFor() {
        NodeCommandQueue queue = new NodeCommandQueue();
        RecordingNode node = new RecordingNode();
        assertThat(queue.latestStatus()).isNull();
        long t0 = 5_000_000_000L;
        queue.serve(node, t0);
        assertThat(queue.latestStatus().tokenRotationNs()).isEqualTo(t0);
        for (int i = 1; i <= 50; i++) {
            queue.serve(node, t0 + i * NodeCommandQueue.STATUS_INTERVAL_NS);
        }
        assertThat(node.statusCalls).isEqualTo(1);
    }

    @Test
    void aReaderGetsASnapshotTakenAfterItAsked() throws Exception {
        NodeCommandQueue queue = new NodeCommandQueue();
        RecordingNode node = new RecordingNode();
        long t0 = 5_000_000_000L;
        queue.serve(node, t0);
        CompletableFuture<NodeStatus> read = CompletableFuture.supplyAsync(() -> queue.freshStatus(20_000_000_000L));
        long nowNs = t0;
        long deadline = System.nanoTime() + 20_000_000_000L; // a bound on the test, not a performance claim
        while (!read.isDone() && System.nanoTime() - deadline < 0) {
            nowNs += NodeCommandQueue.STATUS_INTERVAL_NS;
            queue.serve(node, nowNs);
            Thread.sleep(1);
        }
        assertThat(read.get().tokenRotationNs()).isGreaterThan(t0);
        assertThat(node.statusCalls).isEqualTo(2);
    }

    @Test
    void askingOftenTakesAtMostOneSnapshotPerInterval() {
        NodeCommandQueue queue = new NodeCommandQueue();
        RecordingNode node = new RecordingNode();
        long t0 = 5_000_000_000L;
        queue.serve(node, t0);
        queue.freshStatus(0);
        queue.serve(node, t0 + NodeCommandQueue.STATUS_INTERVAL_NS - 1);
        assertThat(node.statusCalls).isEqualTo(1);
        queue.serve(node, t0 + NodeCommandQueue.STATUS_INTERVAL_NS);
        assertThat(node.statusCalls).isEqualTo(2);
        queue.serve(node, t0 + 2 * NodeCommandQueue.STATUS_INTERVAL_NS);
        assertThat(node.statusCalls).isEqualTo(2);
    }

    @Test
    void aReaderOfAStoppedOrSilentLoopGetsTheLastSnapshotAfterItsWait() {
        NodeCommandQueue queue = new NodeCommandQueue();
        assertThat(queue.freshStatus(1_000_000L)).isNull();
        RecordingNode node = new RecordingNode();
        queue.serve(node, 7);
        assertThat(queue.freshStatus(1_000_000L).tokenRotationNs()).isEqualTo(7);
        queue.stop();
        assertThat(queue.freshStatus(60_000_000_000L).tokenRotationNs()).isEqualTo(7); // returns at once
    }

    @Test
    void stoppingAnswersWaitingCommandsAndRefusesNewOnes() {
        NodeCommandQueue queue = new NodeCommandQueue();
        CompletableFuture<NodeCommand.Result> waiting = queue.submit(new NodeCommand.Open("gw2"));
        queue.stop();
        assertThat(causeOf(waiting)).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("stopped");
        assertThat(causeOf(queue.submit(new NodeCommand.Open("gw3")))).hasMessageContaining("not running");
    }

    static Throwable causeOf(CompletableFuture<?> future) {
        try {
            future.get();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected the future to fail");
    }
}
