package io.ringwall.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** `sync strict` through a three-node cluster in the simulator (SPEC §5.6). */
class DeferScenarioTest {
    private static final long MS = 1_000_000L;

    @Test
    void firstPacketOfEachNewConnectionWaitsForBothBackupsAcks() {
        DeferLatency.Result r = DeferLatency.run(1, DeferLatency.STRICT_RULES, 10, false);
        assertThat(r.connectNs()).as("every connection opens").hasSize(10);
        assertThat(r.defer().deferred()).isEqualTo(10);
        assertThat(r.defer().releasedByAck()).isEqualTo(10);
        assertThat(r.defer().releasedByTimeout()).isZero();
        assertThat(r.defer().held()).isZero();
        // an ack round trip: the held flow is flushed at once, not after the 5 ms coalescing interval
        assertThat(r.medianNs()).isLessThan(2 * MS);
    }

    @Test
    void backupThatNeverAcknowledgesDelaysTheFirstPacketByTheTimeoutOnly() {
        DeferLatency.Result r = DeferLatency.run(1, DeferLatency.STRICT_RULES, 1, true);
        assertThat(r.connectNs()).as("the connection opens anyway").hasSize(1);
        assertThat(r.defer().releasedByTimeout()).isEqualTo(1);
        assertThat(r.connectNs().getFirst()).isBetween(20 * MS, 25 * MS);
    }

    @Test
    void ruleWithoutSyncStrictHoldsNothing() {
        DeferLatency.Result r = DeferLatency.run(1, DeferLatency.ASYNC_RULES, 10, false);
        assertThat(r.connectNs()).hasSize(10);
        assertThat(r.defer().deferred()).isZero();
        assertThat(r.medianNs()).isLessThan(1 * MS);
    }

    @Test
    void clusterDefaultStrictDefersTcpFlowsOfRulesWithoutASyncOption() {
        DeferLatency.Result r = DeferLatency.run(1, DeferLatency.ASYNC_RULES, 10, false, true);
        assertThat(r.connectNs()).hasSize(10);
        assertThat(r.defer().deferred()).isEqualTo(10);
        assertThat(r.defer().releasedByAck()).isEqualTo(10);
    }

    @Test
    void syncOffFlowsAreNotReplicatedWhileOtherFlowsAre() {
        DeferLatency.Result off = DeferLatency.run(1, DeferLatency.OFF_RULES, 5, false);
        assertThat(off.connectNs()).as("sync off flows still pass").hasSize(5);
        assertThat(off.standbyFlows()).as("no peer holds a replica of a sync off flow").isZero();
        DeferLatency.Result async = DeferLatency.run(1, DeferLatency.ASYNC_RULES, 5, false);
        // backup_count 1 (the default): each async flow has exactly one replica, on its bucket's backup
        assertThat(async.standbyFlows()).as("the bucket's backup holds every async flow").isEqualTo(5);
    }

    @Test
    void deferAddsAboutOneClusterRoundTripToTheHandshake() {
        String json = DeferLatency.measure(1, 50);
        System.out.println(json);
        assertThat(json).contains("\"defer_median_ms\":");
    }
}
