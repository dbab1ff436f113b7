package io.ringwall.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.vip.RingView;
import java.util.Arrays;
import java.util.HexFormat;
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
    void withoutAFreshNodeTimeThereIsNoOrder() {
        assertThat(new UpSince(0, 0).view()).isNull();
    }
}
