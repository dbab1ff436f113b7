package io.ringwall.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.ring.RingCodec;
import io.ringwall.ring.RingConfig;
import io.ringwall.ring.RingMessage;
import io.ringwall.ring.TokenRing;
import io.ringwall.time.Prng;
import io.ringwall.vip.RingView;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpSinceTest {
    @Test
    void entriesEncodeToTheDocumentedBytes() {
        long[] since = new long[16];
        Arrays.fill(since, RingView.UNKNOWN);
        since[0] = RingView.SEASONED;
        since[2] = 0x1234;
        assertThat(HexFormat.of().formatHex(UpSince.encode(since)))
                .isEqualTo("00" + "8000000000000000" + "02" + "0000000000001234");
    }

    @Test
    void readTakesWholeEntriesAndSkipsUnknownNodes() {
        UpSince u = new UpSince(1, 60_000_000_000L);
        byte[] p = HexFormat.of().parseHex("00" + "8000000000000000" + "14" + "0000000000000001" + "02" + "0000000000001234"
                + "03ffff");
        u.read(p);
        long[] view = u.view();
        assertThat(view[0]).isEqualTo(RingView.SEASONED);
        assertThat(view[2]).isEqualTo(0x1234);
        assertThat(view[1]).as("no entry").isEqualTo(RingView.UNKNOWN);
        assertThat(view[3]).as("a cut-off entry is ignored").isEqualTo(RingView.UNKNOWN);
    }

    @Test
    void theStatusListsTheRingMembersInWords() {
        UpSince u = new UpSince(1, 60_000_000_000L);
        u.read(HexFormat.of().parseHex("00" + "8000000000000000" + "02" + "0000000000001234" + "03" + "0000000000000007"));
        List<ClusterSettings.Member> names = List.of(new ClusterSettings.Member(0, "gw1", List.of()),
                new ClusterSettings.Member(1, "gw2", List.of()), new ClusterSettings.Member(2, "gw3", List.of()),
                new ClusterSettings.Member(3, "gw4", List.of()));
        assertThat(u.of(0b0111, names)).as("gw4 is not a member").containsExactly(
                new NodeStatus.Up("gw1", "seasoned"), new NodeStatus.Up("gw2", "unknown"),
                new NodeStatus.Up("gw3", "fresh since token 4660"));
        assertThat(u.describe(0b0111, names)).isEqualTo("gw1 seasoned, gw2 unknown, gw3 fresh since token 4660");
    }

    @Test
    void withoutAFreshNodeTimeThereIsNoOrder() {
        assertThat(new UpSince(0, 0).view()).isNull();
    }

    /**
     * Seen on real nodes: a restarted node came up alone first (its own ring, sequence near 0) and then joined; had it
     * taken its first visit's sequence there, it would have ranked as up longer than every node of the ring it joined
     * (a drain went to a node restarted 4 s before and became a failover).
     */
    @Test
    void aVisitAloneDoesNotDateTheStartOnlyTheFirstVisitInARingWithOthers() {
        TokenRing ring = new TokenRing(1, RingConfig.defaults(3), (to, m, len, all) -> { }, new Prng(3));
        ring.start(0);
        long now = 0;
        for (int i = 0; i < 100 && !(ring.isHolder() && ring.members() == 0b010); i++) {
            now = Math.max(now + 1, ring.nextDeadlineNs());
            ring.onTick(now);
        }
        assertThat(ring.isHolder()).as("alone and holding").isTrue();
        UpSince u = new UpSince(1, 60_000_000_000L);
        assertThat(u.update(now, 0, ring)).isFalse();
        assertThat(u.view()[1]).as("no entry while alone").isEqualTo(RingView.UNKNOWN);

        byte[] buf = new byte[RingCodec.MAX_MESSAGE_BYTES];
        int len = RingCodec.encode(new RingMessage.Token(0, 0x7F0, 5000, 0b111, 1, List.of()), buf);
        ring.onMessage(now + 1_000_000, 0, buf, len);
        assertThat(ring.isHolder()).isTrue();
        u.update(now + 1_000_000, 0, ring);
        assertThat(u.view()[1]).isEqualTo(5000);
    }
}
