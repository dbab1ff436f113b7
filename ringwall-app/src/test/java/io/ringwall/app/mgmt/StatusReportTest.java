package io.ringwall.app.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.messaging.DropReason;
import io.ringwall.node.NodeDiagnostics;
import io.ringwall.node.NodeStatus;
import io.ringwall.node.SyncStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering for people (golden text), and the JSON form read back by the CLI. */
class StatusReportTest {
    @Test
    void reportShowsMembersQuorumVipTableLoadAndCounters() {
        assertThat(StatusReport.render(FakeBackend.STATUS)).isEqualTo("""
                node gw1 (member)
                ring epoch     42
                quorum         yes
                token rotation 12.3 ms
                members (3)    gw1, gw2, gw3

                VIP       INTERFACE  CURRENT  PREFERRED  FLAG
                10.1.0.1  wan        gw1      gw2        3 returns to preferred
                10.2.0.1  lan        gw3      -          0 free

                NODE  BYTES/S  PACKETS/S  FLOWS
                gw1   1250000  1100       37
                gw2   80000    95         4

                counters (gw1)  frames in 1000, frames out 990, forwarded 980, dropped 10, flows 41, ARP requests 3, neighbours from peers 2
                conntrack (gw1)  active 0, standby 0, created 0, expired 0, deleted 0, invalid 0 (no flow 0, out of window 0, bad transition 0), early dropped 0, insert failed 0
                """);
    }

    @Test
    void conntrackChannelAndSyncCountersAreShownAndSurviveJson() {
        var conntrack = new NodeDiagnostics.Conntrack(37, 80, 120, 1, 3, 4, 5, 6, 7, 8, 90, 10, 11, 12, 13, 14);
        var dropped = new java.util.LinkedHashMap<String, Long>();
        for (DropReason r : DropReason.values()) {
            dropped.put(NodeDiagnostics.Channel.reasonName(r), r == DropReason.BAD_TAG ? 3L : r == DropReason.REPLAYED ? 2L : 0L);
        }
        var removal = new NodeDiagnostics.Event("node=gw3 reason=no ack for token 82/1234 within 30.0 ms (sent 3 times,"
                + " removed after 30.4 ms)", 12_345);
        var channel = new NodeDiagnostics.Channel(1000, 990, 15, 1, 2, 40_000_000, dropped, 2, 1, 4, 0, removal,
                NodeDiagnostics.Event.NONE);
        var sync = new NodeDiagnostics.Sync(500, 20, 9, 450, 6, new SyncStats.BulkCauses(1, 2, 0, 3, 0));
        NodeStatus s = new NodeStatus("gw2", "member", 3, List.of("gw1", "gw2"), true, 0, List.of(), List.of(),
                new NodeStatus.Counters(0, 0, 0, 0, 0, 0, 0), NodeStatus.Defer.NONE, List.of(), NodeStatus.Buckets.NONE,
                List.of(), new NodeDiagnostics(conntrack, channel, sync));
        assertThat(StatusReport.render(s)).contains(
                "conntrack (gw2)  active 37, standby 80, created 120, expired 3, deleted 1, invalid 21 (no flow 6,"
                        + " out of window 7, bad transition 8), early dropped 4, insert failed 5\n"
                        + "replicas (gw2)  imported 90, stale 10, deleted by peers 11, malformed 12, refused (store full)"
                        + " 13, transfers failed (store full) 14\n"
                        + "cluster channel (gw2)  packets sent 1000, received 990, resent 15, messages failed 1, dropped 5"
                        + " (replayed 2, bad_tag 3), members removed 2, token regenerations 1\n"
                        + "last removal (gw2)  12.3 s ago: node=gw3 reason=no ack for token 82/1234 within 30.0 ms"
                        + " (sent 3 times, removed after 30.4 ms)\n"
                        + "sync (gw2)  records sent 500 in 20 batches, deletes sent 9, records imported 450, bulk transfers 6"
                        + " (joined 1, new backup 2, overflow 0, full sync 3, send failure 0)\n");
        assertThat(StatusJson.fromJson(StatusJson.toJson(s))).isEqualTo(s);
        assertThat(StatusJson.toJson(s).path("cluster_channel").path("dropped").path("bad_tag").asLong()).isEqualTo(3);
        assertThat(StatusJson.toJson(s).path("cluster_channel").path("ring").path("last_removal").path("age_ms")
                .asLong()).isEqualTo(12_345);
        assertThat(StatusJson.toJson(s).path("cluster_channel").path("ring").path("last_regeneration").isNull())
                .as("never regenerated: null").isTrue();
        assertThat(StatusReport.render(s)).as("no regeneration: no line").doesNotContain("last regeneration");
        assertThat(StatusReport.render(FakeBackend.STATUS)).as("no cluster channel: no channel or sync line")
                .doesNotContain("cluster channel").doesNotContain("sync (");
    }

    @Test
    void aloneNodeWithoutQuorumOrLoadsSaysSo() {
        NodeStatus s = new NodeStatus("gw1", "no-quorum", 0, List.of("gw1"), false, 0, List.of(), List.of(),
                new NodeStatus.Counters(0, 0, 0, 0, 0, 0, 0));
        assertThat(StatusReport.render(s))
                .contains("quorum         NO\n")
                .contains("token rotation unknown\n")
                .contains("no VIPs configured\n")
                .contains("no load reports yet\n");
    }

    @Test
    void reportShowsDeferCountersOfANodeThatDefers() {
        NodeStatus s = new NodeStatus("gw1", "member", 1, List.of("gw1", "gw2"), true, 0, List.of(), List.of(),
                new NodeStatus.Counters(0, 0, 0, 0, 0, 0, 0), new NodeStatus.Defer(12, 10, 1, 1, 0), List.of());
        assertThat(StatusReport.render(s)).contains(
                "defer (gw1)  deferred 12, released by ack 10, by timeout 1, unsynced (queue full) 1, held 0\n");
        assertThat(StatusJson.fromJson(StatusJson.toJson(s))).isEqualTo(s);
        assertThat(StatusJson.toJson(s).path("defer").path("released_by_ack").asLong()).isEqualTo(10);
    }

    @Test
    void jsonReadsBackToTheSameStatus() {
        assertThat(StatusJson.fromJson(StatusJson.toJson(FakeBackend.STATUS))).isEqualTo(FakeBackend.STATUS);
    }

    @Test
    void jsonWithMissingFieldsStillReads() throws Exception {
        NodeStatus s = StatusJson.fromJson(StatusJson.MAPPER.readTree("{\"node\":\"gw1\",\"vips\":[{\"vip\":\"10.1.0.1\"}]}"));
        assertThat(s.node()).isEqualTo("gw1");
        assertThat(s.mode()).isEqualTo("?");
        assertThat(s.vips()).containsExactly(new NodeStatus.Vip("10.1.0.1", "?", "?", "?", 0));
    }

    @Test
    void theMembersUpSinceOrderIsShownAndSurvivesJson() {
        NodeStatus s = new NodeStatus("gw1", "member", 3, List.of("gw1", "gw2", "gw3"), true, 0, List.of(), List.of(),
                new NodeStatus.Counters(0, 0, 0, 0, 0, 0, 0), NodeStatus.Defer.NONE, List.of(), NodeStatus.Buckets.NONE,
                List.of(new NodeStatus.Up("gw1", "seasoned"), new NodeStatus.Up("gw2", "fresh since token 1234"),
                        new NodeStatus.Up("gw3", "unknown")));
        assertThat(StatusReport.render(s)).contains("members (3)    gw1, gw2, gw3\n"
                + "up since       gw1 seasoned, gw2 fresh since token 1234, gw3 unknown\n\n");
        assertThat(StatusJson.fromJson(StatusJson.toJson(s))).isEqualTo(s);
        assertThat(StatusReport.render(FakeBackend.STATUS)).as("not known: no line").doesNotContain("up since");
    }

    @Test
    void configMismatchIsShownAndSurvivesJson() {
        NodeStatus s = new NodeStatus("gw1", "member", 3, List.of("gw1", "gw2"), true, 0, List.of(), List.of(),
                new NodeStatus.Counters(0, 0, 0, 0, 0, 0, 0), NodeStatus.Defer.NONE,
                List.of(new NodeStatus.ConfigMismatch("gw2", "00000000000000aa", "00000000000000bb")));
        assertThat(StatusReport.render(s))
                .contains("CONFIG MISMATCH: node gw2 has config digest 00000000000000aa, this node 00000000000000bb\n");
        assertThat(StatusJson.fromJson(StatusJson.toJson(s))).isEqualTo(s);
        assertThat(StatusReport.render(FakeBackend.STATUS)).doesNotContain("MISMATCH");
    }

    @Test
    void bucketMapOwnersAndCountersAreShownAndSurviveJson() {
        NodeStatus s = new NodeStatus("gw2", "member", 3, List.of("gw1", "gw2", "gw3"), true, 0, List.of(), List.of(),
                new NodeStatus.Counters(0, 0, 0, 0, 0, 0, 0), NodeStatus.Defer.NONE, List.of(),
                new NodeStatus.Buckets(7, 1024, 1, List.of(new NodeStatus.Owned("gw1", 340, 7),
                        new NodeStatus.Owned("gw2", 342, 7), new NodeStatus.Owned("gw3", 342, 6)), 5000, 2, 1, 120, 4,
                        9, new NodeStatus.Encapsulation(30, 12, 1, 2, 3)));
        assertThat(StatusReport.render(s)).contains(
                "buckets        1024 (map generation 7, 1 backup each), owned: gw1 340 gw2 342 gw3 342\n"
                        + "redundancy     RE-REPLICATING (gw3 still copying flows to new backups)\n"
                        + "buckets (gw2)  passed on 5000, owner unreachable 2, loops avoided 1, promoted 120, handed over 4,"
                        + " forwarded on replica 9\n"
                        + "encapsulated (gw2)  sent 30, received 12, parts dropped 1, incomplete 2, too large 3\n");
        assertThat(StatusJson.fromJson(StatusJson.toJson(s))).isEqualTo(s);
        assertThat(StatusJson.toJson(s).path("buckets").path("owners").get(2).path("owned").asInt()).isEqualTo(342);
        assertThat(StatusReport.render(FakeBackend.STATUS)).as("no map yet: no bucket lines").doesNotContain("buckets");
    }

    @Test
    void redundancyIsRestoredOnceEveryOwnerReportedThisGenerationReplicated() {
        var owners = List.of(new NodeStatus.Owned("gw1", 512, 9), new NodeStatus.Owned("gw2", 512, 9),
                new NodeStatus.Owned("gw3", 0, -1));
        NodeStatus.Buckets b = new NodeStatus.Buckets(9, 1024, 1, owners, 0, 0, 0, 0, 0, 0, NodeStatus.Encapsulation.NONE);
        assertThat(b.redundant()).as("a member without buckets has nothing to re-replicate").isTrue();
        assertThat(new NodeStatus.Buckets(10, 1024, 1, owners, 0, 0, 0, 0, 0, 0, NodeStatus.Encapsulation.NONE).redundant())
                .isFalse();
        assertThat(NodeStatus.Buckets.NONE.redundant()).isFalse();
        assertThat(StatusJson.toJson(new NodeStatus("gw1", "member", 3, List.of("gw1"), true, 0, List.of(), List.of(),
                new NodeStatus.Counters(0, 0, 0, 0, 0, 0, 0), NodeStatus.Defer.NONE, List.of(), b)).path("buckets")
                .path("redundant").asBoolean()).isTrue();
    }
}
