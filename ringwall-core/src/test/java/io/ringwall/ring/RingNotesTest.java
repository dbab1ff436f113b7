package io.ringwall.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The log lines an operator reads after a removal or a regeneration (docs/cluster.md). */
class RingNotesTest {
    private static final long MS = 1_000_000L;
    private static final List<String> NAMES = List.of("gw1", "gw2", "gw3");

    @Test
    void aRemovalSaysWhenTheRemoversOwnTimerCameLate() {
        RemovalNote onTime = new RemovalNote(2, 82, 1234, 30_400_000L, 30 * MS, 3, 400_000L, 0);
        assertThat(onTime.describe("gw3")).isEqualTo(
                "node=gw3 reason=no ack for token 82/1234 within 30.0 ms (sent 3 times, removed after 30.4 ms)");
        RemovalNote late = new RemovalNote(2, 82, 1234, 42_500_000L, 30 * MS, 3, 12_500_000L, 0);
        assertThat(late.describe("gw3")).isEqualTo("node=gw3 reason=no ack for token 82/1234 within 30.0 ms (sent 3"
                + " times, removed after 42.5 ms, this node's timer ran 12.5 ms late)");
    }

    @Test
    void aRegenerationSaysWhyAndWhoDidNotAnswer() {
        RegenerationNote stuck = new RegenerationNote(96, 0b110, 5 * MS, 200_000L, 0, 0b001, true, 0);
        assertThat(stuck.describe(NAMES)).isEqualTo("epoch=96 members=[gw2, gw3] reason=gw1 accepted the token and"
                + " never passed it on; 911 round took 0.2 ms, no answer from [gw1]");
        RegenerationNote lost = new RegenerationNote(97, 0b011, 70_300_000L, 1_500_000L, -1, 0b100, true, 0);
        assertThat(lost.describe(NAMES)).isEqualTo("epoch=97 members=[gw1, gw2] reason=no token for 70.3 ms; 911"
                + " round took 1.5 ms, no answer from [gw3]");
        RegenerationNote start = new RegenerationNote(48, 0b111, 5 * MS, 300_000L, -1, 0, false, 0);
        assertThat(start.describe(NAMES)).isEqualTo("epoch=48 members=[gw1, gw2, gw3] reason=this node was in no ring"
                + " (starting, or removed); 911 round took 0.3 ms");
    }
}
