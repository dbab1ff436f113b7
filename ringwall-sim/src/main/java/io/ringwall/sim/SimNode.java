package io.ringwall.sim;

import io.ringwall.node.Effects;
import io.ringwall.node.NodeConfig;
import io.ringwall.node.NodeMachine;
import io.ringwall.time.Prng;
import io.ringwall.wire.NativeFrames;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Runs one real {@link NodeMachine} inside the simulation. Delivers frames at arrival time,
 * calls {@code onTick} at {@code nextDeadlineNs()} (re-queried after every call), copies every
 * frame the node sends, and injects faults: crash, restart, pause/resume and clock drift.
 * Partitions are link-downs (see {@link Partition}).
 */
public final class SimNode {
    /** Frames held for a paused node; beyond this they are dropped, like a full socket buffer. */
    public static final int PAUSED_QUEUE_MAX = 10_000;

    public enum Status { RUNNING, PAUSED, CRASHED }

    private final Simulation sim;
    private final NodeConfig config;
    private final NodeFactory factory;
    private final Prng prng;
    private final SimLink[] links;
    private final ArrayDeque<Runnable> pausedInbox = new ArrayDeque<>();
    /**
     * Each delivered frame is copied here, native like a real driver's receive buffer: a node built in a real node's
     * process (the cluster warm-up) then trains the JIT on the segment class the driver hands it (see NativeFrames).
     */
    private MemorySegment rxBuffer = NativeFrames.allocate(2048);
    private NodeMachine machine;
    private Status status = Status.RUNNING;
    /** Bumped on crash/restart and on every reschedule, so stale tick events and effects are ignored. */
    private long incarnation;
    private long tickGeneration;
    private long scheduledTickNs = Long.MAX_VALUE;
    private double clockDrift;
    private long framesIn, framesOut, framesDroppedWhileDown, logEvents, restarts;

    /** Attaches interface {@code i} of {@code config} to {@code segments[i]}; the MACs come from the config. */
    public SimNode(Simulation sim, NodeConfig config, NodeFactory factory, SimSegment[] segments, LinkProfile profile) {
        if (segments.length != config.interfaces().size()) {
            throw new IllegalArgumentException("one segment per interface expected");
        }
        this.sim = sim;
        this.config = config;
        this.factory = factory;
        this.prng = sim.forkPrng();
        this.links = new SimLink[segments.length];
        for (int i = 0; i < segments.length; i++) {
            int ifIndex = i;
            String endpointName = config.nodeName() + "/" + config.interfaces().get(i).name();
            links[i] = segments[i].attach(new FrameEndpoint() {
                @Override
                public String name() {
                    return endpointName;
                }

                @Override
                public void receive(long nowNs, byte[] frame) {
                    onFrameArrived(ifIndex, frame);
                }
            }, profile);
        }
        start();
    }

    public String name() {
        return config.nodeName();
    }

    public NodeConfig config() {
        return config;
    }

    public Status status() {
        return status;
    }

    public SimLink link(int ifIndex) {
        return links[ifIndex];
    }

    /** The node machine currently running, or null while crashed. */
    public NodeMachine machine() {
        return machine;
    }

    /** The node's own clock: simulated time scaled by (1 + drift). */
    public long nodeNowNs() {
        return (long) (sim.nowNs() * (1.0 + clockDrift));
    }

    /** e.g. 1e-4 makes this node's clock run 100 ppm fast. */
    public void setClockDrift(double drift) {
        if (!(drift > -0.5 && drift < 0.5)) {
            throw new IllegalArgumentException("drift out of range: " + drift);
        }
        clockDrift = drift;
        trace("drift", Double.toString(drift));
        rescheduleTick();
    }

    /** Loses all state at once and stops; frames to it are dropped until {@link #restart()}. */
    public void crash() {
        if (status == Status.CRASHED) {
            return;
        }
        status = Status.CRASHED;
        machine = null;
        pausedInbox.clear();
        incarnation++;
        scheduledTickNs = Long.MAX_VALUE;
        trace("crash", "");
    }

    /** A fresh machine from the factory, as after a process restart (a crashed node restarts clean). */
    public void restart() {
        if (status != Status.CRASHED) {
            crash();
        }
        restarts++;
        start();
        trace("restart", "");
    }

    /** Stops processing without losing state (a long GC pause, a stopped VM); frames queue up. */
    public void pause() {
        if (status == Status.RUNNING) {
            status = Status.PAUSED;
            trace("pause", "");
        }
    }

    /** Delivers everything queued while paused, late, in arrival order, then catches up on timers. */
    public void resume() {
        if (status != Status.PAUSED) {
            return;
        }
        status = Status.RUNNING;
        trace("resume", "queued=" + pausedInbox.size());
        // A process waking up runs its overdue timers before it reads the packets that queued up meanwhile.
        if (machine.nextDeadlineNs() - nodeNowNs() <= 0) {
            machine.onTick(nodeNowNs());
        }
        while (!pausedInbox.isEmpty() && status == Status.RUNNING) {
            pausedInbox.removeFirst().run();
        }
        scheduledTickNs = Long.MAX_VALUE;
        rescheduleTick();
    }

    private void start() {
        incarnation++;
        status = Status.RUNNING;
        long myIncarnation = incarnation;
        machine = factory.create(config, new Effects() {
            @Override
            public void sendFrame(int ifIndex, MemorySegment frame, int length, int offloadFlags) {
                if (myIncarnation == incarnation && ifIndex >= 0 && ifIndex < links.length) {
                    framesOut++;
                    byte[] copy = NativeFrames.toArray(frame, 0, length);
                    links[ifIndex].transmit(copy, length);
                }
            }

            @Override
            public void log(String event, String detail) {
                if (myIncarnation == incarnation) {
                    logEvents++;
                    trace("log:" + event, detail);
                }
            }
        }, prng.fork());
        scheduledTickNs = Long.MAX_VALUE;
        rescheduleTick();
    }

    private void onFrameArrived(int ifIndex, byte[] frame) {
        switch (status) {
            case CRASHED -> {
                framesDroppedWhileDown++;
                sim.trace().record(sim.nowNs(), name(), "drop-crashed", frame, frame.length);
            }
            case PAUSED -> {
                if (pausedInbox.size() < PAUSED_QUEUE_MAX) {
                    pausedInbox.addLast(() -> deliver(ifIndex, frame));
                } else {
                    framesDroppedWhileDown++;
                    sim.trace().record(sim.nowNs(), name(), "drop-paused-full", frame, frame.length);
                }
            }
            case RUNNING -> deliver(ifIndex, frame);
        }
    }

    private void deliver(int ifIndex, byte[] frame) {
        framesIn++;
        rxBuffer = NativeFrames.fill(rxBuffer, frame);
        machine.onFrame(nodeNowNs(), ifIndex, rxBuffer, frame.length, 0);
        rescheduleTick();
    }

    private void rescheduleTick() {
        if (status != Status.RUNNING) {
            return;
        }
        long deadline = machine.nextDeadlineNs();
        long atSimNs = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : toSimTime(deadline);
        if (atSimNs == scheduledTickNs) {
            return;
        }
        scheduledTickNs = atSimNs;
        long generation = ++tickGeneration;
        if (atSimNs == Long.MAX_VALUE) {
            return;
        }
        long myIncarnation = incarnation;
        sim.schedule(atSimNs, () -> {
            if (generation != tickGeneration || myIncarnation != incarnation || status != Status.RUNNING) {
                return;
            }
            scheduledTickNs = Long.MAX_VALUE;
            machine.onTick(nodeNowNs());
            rescheduleTick();
        });
    }

    /** The first simulated instant at which this node's clock reads at least {@code nodeDeadlineNs}. */
    private long toSimTime(long nodeDeadlineNs) {
        long now = sim.nowNs();
        if (nodeDeadlineNs <= nodeNowNs()) {
            return now + 1; // overdue: tick at the next instant, never in a loop at the same instant
        }
        long t = (long) Math.ceil(nodeDeadlineNs / (1.0 + clockDrift));
        while ((long) (t * (1.0 + clockDrift)) < nodeDeadlineNs) {
            t++;
        }
        return Math.max(t, now + 1);
    }

    private void trace(String event, String detail) {
        sim.trace().record(sim.nowNs(), name(), event, detail);
    }

    public long framesIn() {
        return framesIn;
    }

    public long framesOut() {
        return framesOut;
    }

    public long framesDroppedWhileDown() {
        return framesDroppedWhileDown;
    }

    public long logEvents() {
        return logEvents;
    }

    public long restarts() {
        return restarts;
    }
}
