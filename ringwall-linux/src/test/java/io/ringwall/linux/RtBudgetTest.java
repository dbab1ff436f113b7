package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A real-time loop under full load leaves the CPU often enough that the kernel never throttles it. */
class RtBudgetTest {
    /** The kernel's default: real-time threads may use 950 ms of every second per CPU. */
    private static final double KERNEL_RT_SHARE = 0.95;

    @Test
    void aLoopThatNeverWaitsSleepsOftenEnoughToStayInsideTheRealTimeBudget() {
        RtBudget budget = new RtBudget();
        long now = 0;
        long slept = 0;
        int breathers = 0;
        long second = 1_000_000_000L;
        while (now < second) {
            long before = now;
            now += 1_000; // ppoll found frames at once
            long breather = budget.afterPoll(before, now);
            slept += breather;
            breathers += breather > 0 ? 1 : 0;
            now += breather + 9_000; // then 9 us of forwarding
        }
        double busyShare = 1.0 - (double) slept / now;
        assertThat(busyShare).isLessThan(KERNEL_RT_SHARE - 0.02).isGreaterThan(0.85);
        assertThat(breathers).isGreaterThan(800);
    }

    @Test
    void aLoopThatWaitsInPollNeverTakesABreather() {
        RtBudget budget = new RtBudget();
        long now = 0;
        for (int i = 0; i < 100_000; i++) {
            long before = now;
            now += RtBudget.SLEPT_NS; // ppoll slept until a frame came
            assertThat(budget.afterPoll(before, now)).as("no breather after a wait").isZero();
            now += 900_000; // almost a whole busy limit of work, then a wait again
        }
    }

    @Test
    void theBreatherComesOnlyAfterAWholeBusyLimitWithoutAWait() {
        RtBudget budget = new RtBudget();
        assertThat(budget.afterPoll(0, 50_000)).isZero(); // waited: busy from 50 us on
        assertThat(budget.afterPoll(60_000, 61_000)).isZero();
        assertThat(budget.afterPoll(1_040_000, 1_041_000)).isZero(); // 991 us busy
        assertThat(budget.afterPoll(1_049_000, 1_050_000)).isEqualTo(RtBudget.BREATHER_NS); // 1 ms busy
        assertThat(budget.afterPoll(1_150_000, 1_151_000)).isZero(); // the count starts again after the breather
    }
}
