package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadDelayTest {
    private static final long MS = 1_000_000L;

    @Test
    void framesReadPromptlyAreNotReported() {
        ReadDelay d = new ReadDelay(List.of("g1w", "g1l", "g1c"));
        d.frame(2, 2 * MS);
        d.frame(0, 0);
        assertThat(d.end(10 * MS)).isNull();
        assertThat(d.lateFrames()).isZero();
    }

    @Test
    void theLongestWaitOfACycleIsReportedWithItsPortAndHowManyWaited() {
        ReadDelay d = new ReadDelay(List.of("g1w", "g1l", "g1c"));
        d.frame(0, 4 * MS);
        d.frame(2, 7_400_000L);
        d.frame(1, MS);
        assertThat(d.end(10 * MS)).isEqualTo(
                "a frame on g1c waited 7.40 ms in the kernel before the loop read it (2 frames of this cycle waited 3.00 ms"
                        + " or more)");
        assertThat(d.lateFrames()).isEqualTo(2);
        assertThat(d.end(11 * MS)).as("a new cycle starts empty").isNull();
    }

    @Test
    void atMostFourLinesASecondAndThenHowManyWereLeftOut() {
        ReadDelay d = new ReadDelay(List.of("g1c"));
        for (int cycle = 0; cycle < 4; cycle++) {
            d.frame(0, 5 * MS);
            assertThat(d.end(cycle * MS)).isNotNull();
        }
        d.frame(0, 5 * MS);
        assertThat(d.end(5 * MS)).isNull();
        d.frame(0, 6 * MS);
        assertThat(d.end(1_100 * MS)).endsWith("; 1 such cycle not reported before");
    }
}
