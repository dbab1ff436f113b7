package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.node.GatewayNode;
import io.ringwall.sim.SimNode;
import io.ringwall.wire.ArpPacket;
import io.ringwall.wire.EthernetFrame;
import io.ringwall.wire.ParseError;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node that was not run for a while says so once per stall, not once per ring event after it. */
class StallLogTest {
    private static final long PAUSE_NS = 400_000_000L;
    private final List<String> logs = Collections.synchronizedList(new ArrayList<>());

    /** gw1 is paused; with {@code othersCrash} the other two crash meanwhile, so gw1 wakes up to a ring of one. */
    private List<String> stallLines(boolean othersCrash) {
        Scenario paused = ClusterScenarios.cluster("one-pause", (ctx, topo) -> {
            SimNode victim = topo.gateways.get(0);
            ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS, victim::pause);
            if (othersCrash) {
                for (SimNode other : topo.gateways.subList(1, topo.gateways.size())) {
                    ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS + 10_000_000L, other::crash);
                }
            }
            ctx.simulation().schedule(ClusterScenarios.FAULT_AT_NS + PAUSE_NS, victim::resume);
        });
        new ScenarioRunner((c, fx, p) -> LogRecordingNodes.create(c, fx, p, logs), List.of(paused))
                .run("one-pause", 1);
        return logs.stream().filter(l -> l.startsWith("gw1") && l.contains("stall")).toList();
    }

    /**
     * The VIP owner is paused in the middle of its gratuitous ARP series (3 announcements 200 ms apart from its
     * takeover at about 10 ms) for longer than the quorum window. When it runs again it must not send the rest of
     * the series: the others have moved its VIPs meanwhile, and an announcement would point every host back at a
     * node that no longer forwards for them (until the next owner's own announcements, which never come if the
     * VIP stays where it is).
     */
    @Test
    void aPausedOwnerDoesNotAnnounceTheVipsItLostWhenItResumes() {
        long pauseAtNs = 100_000_000L;
        Scenario paused = ClusterScenarios.cluster("owner-pause", (ctx, topo) -> ctx.simulation().schedule(pauseAtNs, () -> {
            for (SimNode g : topo.gateways) {
                if (g.machine() instanceof GatewayNode node && node.ownsVip(0, ClusterTopology.CLIENT_VIP)) {
                    logs.add(g.name() + " paused-here");
                    g.pause();
                    ctx.simulation().schedule(pauseAtNs + PAUSE_NS, g::resume);
                }
            }
        }));
        LogRecordingNodes.FrameLabel garp = (frame, length) -> isGratuitousArp(frame, length) ? "garp" : null;
        LogRecordingNodes.run(paused, 1, garp, logs);

        String owner = logs.stream().filter(l -> l.endsWith(" paused-here")).findFirst().orElseThrow().split(" ")[0];
        List<String> ownerLines = logs.stream().filter(l -> l.startsWith(owner + " ")).toList();
        int pausedAt = indexOf(ownerLines, "paused-here");
        assertThat(ownerLines.subList(0, pausedAt)).as("the series was under way when the owner was paused")
                .contains(owner + " garp");
        List<String> afterPause = ownerLines.subList(pausedAt, ownerLines.size());
        assertThat(afterPause).as("the owner noticed its stall and gave its VIPs up")
                .anyMatch(l -> l.contains(" stall ")).anyMatch(l -> l.contains(" vip-release "));
        int retaken = indexOf(afterPause, "vip-takeover");
        assertThat(afterPause.subList(0, retaken < 0 ? afterPause.size() : retaken))
                .as("announcements after the pause, before any new takeover").doesNotContain(owner + " garp");
    }

    private static int indexOf(List<String> lines, String word) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" " + word)) {
                return i;
            }
        }
        return -1;
    }

    /** An ARP packet that announces its own address ({@link ArpPacket#isGratuitous}). */
    private static boolean isGratuitousArp(MemorySegment frame, int length) {
        EthernetFrame eth = new EthernetFrame();
        ArpPacket arp = new ArpPacket();
        return eth.wrap(frame, length) == ParseError.OK && eth.etherType() == EthernetFrame.ETHERTYPE_ARP
                && arp.wrap(frame, eth.payloadOffset(), length - eth.payloadOffset()) == ParseError.OK
                && arp.isGratuitous();
    }

    @Test
    void aPausedNodeLogsItsStallOnce() {
        List<String> stalls = stallLines(false);
        assertThat(stalls).hasSize(1);
        assertThat(stalls.getFirst()).contains("not run for").contains("VIPs suspended");
    }
}
