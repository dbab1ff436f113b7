package io.ringwall.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FlowDistributionTest {
    private final FlowDistribution distribution = new FlowDistribution(0, new int[][] {{1, 2, 3}}, 16);

    @Test
    void sharedOnlyWhenMoreThanOneNodeHandlesBuckets() {
        assertThat(distribution.shared()).as("no map").isFalse();
        int[] owners = new int[8];
        int[] holders = new int[8];
        Arrays.fill(owners, 1);
        Arrays.fill(holders, 0b011);
        distribution.install(8, owners, holders);
        assertThat(distribution.shared()).as("active/standby on node 1").isFalse();
        owners[5] = 0;
        distribution.install(8, owners, holders);
        assertThat(distribution.shared()).as("node 0 handles bucket 5, node 1 the rest").isTrue();
        distribution.clear();
        assertThat(distribution.shared()).isFalse();
    }
}
