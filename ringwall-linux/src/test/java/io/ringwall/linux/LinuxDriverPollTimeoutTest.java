package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinuxDriverPollTimeoutTest {
    @Test
    void noDeadlineWaitsTheMaximumSoStopIsSeen() {
        assertThat(LinuxDriver.pollWaitNs(5, Long.MAX_VALUE)).isEqualTo(LinuxDriver.MAX_POLL_WAIT_MS * 1_000_000L);
    }

    @Test
    void nearDeadlineWaitsExactlyToItInNanoseconds() {
        assertThat(LinuxDriver.pollWaitNs(1_000, 1_000 + 1_500_000)).isEqualTo(1_500_000);
    }

    @Test
    void farDeadlineIsCappedAndPassedDeadlineDoesNotWait() {
        assertThat(LinuxDriver.pollWaitNs(0, 10_000_000_000L)).isEqualTo(LinuxDriver.MAX_POLL_WAIT_MS * 1_000_000L);
        assertThat(LinuxDriver.pollWaitNs(Long.MAX_VALUE - 5, Long.MAX_VALUE - 10)).isZero();
    }
}
