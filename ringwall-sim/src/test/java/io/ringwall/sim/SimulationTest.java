package io.ringwall.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimulationTest {
    @Test
    void eventsAtTheSameInstantRunInSchedulingOrder() {
        Simulation sim = new Simulation(1);
        List<String> order = new ArrayList<>();
        sim.schedule(100, () -> order.add("b"));
        sim.schedule(50, () -> order.add("a"));
        sim.schedule(100, () -> order.add("c"));
        sim.schedule(100, () -> sim.schedule(100, () -> order.add("d")));
        sim.runUntil(1_000);
        assertThat(order).containsExactly("a", "b", "c", "d");
        assertThat(sim.nowNs()).isEqualTo(1_000);
    }

    @Test
    void runStopsAtItsTimeBoundAndLeavesLaterEventsQueued() {
        Simulation sim = new Simulation(1);
        List<Long> times = new ArrayList<>();
        sim.every(10, 10, () -> times.add(sim.nowNs()));
        sim.runUntil(45);
        assertThat(times).containsExactly(10L, 20L, 30L, 40L);
        sim.runFor(20);
        assertThat(times).containsExactly(10L, 20L, 30L, 40L, 50L, 60L);
    }

    @Test
    void runawayScenarioStopsAtTheEventBound() {
        Simulation sim = new Simulation(1, 1_000);
        sim.every(0, 0, () -> true); // reschedules itself at the same instant forever
        sim.runUntil(1);
        assertThat(sim.budgetExhausted()).isTrue();
        assertThat(sim.eventsRun()).isEqualTo(1_000);
    }

    @Test
    void invariantsRunAfterEveryEventAndViolationsAreTraced() {
        Simulation sim = new Simulation(1);
        int[] counter = {0};
        sim.addInvariant(new Invariant() {
            @Override
            public String name() {
                return "counter-below-3";
            }

            @Override
            public void check(Simulation s, List<Violation> violations) {
                if (counter[0] == 3) {
                    violations.add(new Violation(s.nowNs(), name(), "counter reached 3"));
                }
            }
        });
        sim.every(5, 5, () -> ++counter[0] < 5);
        long hashBefore = sim.trace().hash();
        sim.runUntil(100);
        assertThat(sim.violations()).extracting(Violation::timeNs).containsExactly(15L);
        assertThat(sim.trace().hash()).isNotEqualTo(hashBefore);
    }
}
