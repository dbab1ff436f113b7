package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinuxDriverPollTimeoutTest {
    @Test
    void noDeadlineWaitsTheMaximumSoStopIsSeen() {
        assertThat(LinuxDriver.pollTimeoutMs(5, Long.MAX_VALUE)).isEqualTo(LinuxDriver.MAX_POLL_WAIT_MS);
    }

    @Test
    void nearDeadlineRoundsUpSoTheTickIsNotEarly() {
        assertThat(LinuxDriver.pollTimeoutMs(1_000, 1_000 + 1_500_000)).isEqualTo(2);
    }

    @Test
    void farDeadlineIsCappedAndPassedDeadlineDoesNotWait() {
        assertThat(LinuxDriver.pollTimeoutMs(0, 10_000_000_000L)).isEqualTo(LinuxDriver.MAX_POLL_WAIT_MS);
        assertThat(LinuxDriver.pollTimeoutMs(Long.MAX_VALUE - 5, Long.MAX_VALUE - 10)).isZero();
    }
}
