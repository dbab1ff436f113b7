package io.ringwall.conntrack;

import static io.ringwall.conntrack.PacketFacts.TCP_ACK;
import static io.ringwall.conntrack.PacketFacts.TCP_SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The replication record format byte for byte (docs/cluster.md "Wire format"), and how the backup applies it. */
class FlowRecordTest {
    private static final ConntrackConfig CONFIG = ConntrackConfig.defaults().withCapacities(64, 64);
    private static final long T0 = 1_000_000_000L;
    private final Conntrack owner = new Conntrack(CONFIG);
    private final Conntrack backup = new Conntrack(CONFIG);
    private final FlowKey fromClient = new FlowKey();
    private final FlowKey fromServer = new FlowKey();
    private final PacketFacts udp = new PacketFacts();

    FlowRecordTest() {
        fromClient.setV4(17, 0x0A00_0001, 1000, 0x0A00_0002, 53);
        fromServer.setV4(17, 0x0A00_0002, 53, 0x0A00_0001, 1000);
        udp.protocol = 17;
        udp.length = 60;
    }

    private byte[] export(int slot, int kind, long nowNs) {
        byte[] buf = new byte[FlowRecord.MAX_BYTES];
        int n = owner.exportRecord(owner.active(), slot, kind, nowNs, buf, 0);
        assertThat(n).isPositive();
        return Arrays.copyOf(buf, n);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void udpCreationIsTwentyThreeBytesWithAgesInMillisecondsAndCountersAsVarints() {
        int s = owner.create(fromClient, udp, T0);
        assertThat(export(s, FlowRecord.KIND_FULL, T0 + 500_700_000L)).containsExactly(bytes(
                0x41,                    // FULL, IPv4, originator is A, unreplied, no NAT, UDP
                10,                      // UDP_UNREPLIED
                10, 0, 0, 1, 10, 0, 0, 2, 0x03, 0xE8, 0, 53, // 10.0.0.1:1000 <-> 10.0.0.2:53
                1,                       // version
                0xF4, 0x03,              // idle 500 ms (rounded down)
                0xF4, 0x03,              // lifetime 500 ms
                1, 0, 60, 0));           // packets orig/reply, bytes orig/reply
    }

    @Test
    void updateCarriesOnlyIdentityStateVersionAndIdleTime() {
        int s = owner.create(fromClient, udp, T0);
        owner.classify(fromServer, udp, T0 + 2_000_000L);
        assertThat(export(s, FlowRecord.KIND_UPDATE, T0 + 3_000_000L)).containsExactly(bytes(
                0x89,                    // UPDATE, IPv4, originator is A, replied, UDP
                11,                      // UDP_REPLIED
                10, 0, 0, 1, 10, 0, 0, 2, 0x03, 0xE8, 0, 53,
                2,                       // version
                1));                     // idle 1 ms
    }

    @Test
    void tcpSynLeavesTheUnseenReplyDirectionAtOneByte() {
        TcpTestFlow flow = new TcpTestFlow(owner);
        flow.client(TCP_SYN, 1000, 0, 65535, 0);
        byte[] r = export(flow.slot(), FlowRecord.KIND_FULL, flow.nowNs);
        assertThat(r[r.length - 1] & 0xFF).isEqualTo(0x80);
        assertThat(r.length).as("IPv4 TCP creation").isLessThanOrEqualTo(32);
    }

    @Test
    void updateOfAKnownFlowMovesStateAndWindowsButKeepsCountersOfTheFullRecord() {
        TcpTestFlow flow = new TcpTestFlow(owner);
        flow.client(TCP_SYN, 1000, 0, 65535, 0);
        byte[] created = export(flow.slot(), FlowRecord.KIND_FULL, flow.nowNs);
        int b = backup.importReplica(created, 0, created.length, flow.nowNs);
        flow.server(TCP_SYN | TCP_ACK, 5000, 1001, 65535, 0);
        flow.client(TCP_ACK, 1001, 5001, 65535, 0);
        byte[] update = export(flow.slot(), FlowRecord.KIND_UPDATE, flow.nowNs);
        assertThat(update.length).isLessThan(export(flow.slot(), FlowRecord.KIND_FULL, flow.nowNs).length);

        assertThat(backup.importReplica(update, 0, update.length, flow.nowNs)).isEqualTo(b);
        FlowTable a = owner.active();
        FlowTable t = backup.standby();
        int s = flow.slot();
        assertThat(t.tcpState(b)).isEqualTo(FlowState.TCP_ESTABLISHED);
        assertThat(t.version(b)).isEqualTo(a.version(s));
        assertThat(t.replied(b)).isTrue();
        for (boolean dir : new boolean[] {true, false}) {
            assertThat(t.windowEnd(b, dir)).isEqualTo(a.windowEnd(s, dir));
            assertThat(t.windowMaxEnd(b, dir)).isEqualTo(a.windowMaxEnd(s, dir));
            assertThat(t.windowMax(b, dir)).isEqualTo(a.windowMax(s, dir));
        }
        assertThat(t.packets(b, false)).as("counters are not part of an update").isZero();
        assertThat(backup.importReplica(update, 0, update.length, flow.nowNs)).isEqualTo(Conntrack.IMPORT_STALE);
        assertThat(backup.importReplica(created, 0, created.length, flow.nowNs)).isEqualTo(Conntrack.IMPORT_STALE);
        assertThat(t.tcpState(b)).isEqualTo(FlowState.TCP_ESTABLISHED);
    }

    @Test
    void updateOfAnUnknownFlowStillGivesTheBackupAFlowItCanTakeOver() {
        int s = owner.create(fromClient, udp, T0);
        owner.classify(fromServer, udp, T0 + 1_000_000L);
        byte[] update = export(s, FlowRecord.KIND_UPDATE, T0 + 1_000_000L);
        int b = backup.importReplica(update, 0, update.length, 50 * T0);
        assertThat(b).isNotNegative();
        assertThat(backup.standby().state(b)).isEqualTo(FlowState.UDP_REPLIED);
        assertThat(backup.promote(h -> true)).isEqualTo(1);
        assertThat(backup.classify(fromServer, udp, 50 * T0 + 1)).isEqualTo(CtVerdict.ESTABLISHED);
    }

    @Test
    void ipv6KeysAndWideVarintsRoundTrip() {
        FlowKey k = new FlowKey();
        k.setV6(17, 0x2001_0db8_0000_0000L, 0xFFFF_FFFF_FFFF_FFFFL, 65535, 0x2001_0db8_0000_0000L, 1, 1);
        int s = owner.create(k, udp, T0);
        owner.active().packets[s * 2] = Long.MAX_VALUE;
        owner.active().version[s] = 1L << 40;
        byte[] r = export(s, FlowRecord.KIND_FULL, T0 + 86_400_000_000_000L);
        int b = backup.importReplica(r, 0, r.length, 5 * T0);
        assertThat(b).isNotNegative();
        assertThat(backup.standby().lookup(k)).isEqualTo(b);
        assertThat(backup.standby().packets(b, true)).isEqualTo(Long.MAX_VALUE);
        assertThat(backup.standby().version(b)).isEqualTo(1L << 40);
        assertThat(5 * T0 - backup.standby().createdNs(b)).isEqualTo(86_400_000_000_000L);
    }

    @Test
    void batchStoresTheRecordsBeforeABadOneAndCountsTheRestOnce() {
        byte[] batch = new byte[1 + 3 * FlowRecord.MAX_BYTES];
        batch[0] = FlowRecord.FORMAT;
        int len = 1;
        for (int i = 0; i < 3; i++) {
            fromClient.setV4(17, 0x0A00_0001, 2000 + i, 0x0A00_0002, 53);
            int s = owner.create(fromClient, udp, T0);
            len += owner.exportRecord(owner.active(), s, FlowRecord.KIND_FULL, T0, batch, len);
        }
        assertThat(backup.importBatch(batch, len, T0)).isEqualTo(3);
        assertThat(new Conntrack(CONFIG).importBatch(batch, len - 1, T0)).as("last record truncated").isEqualTo(2);

        Conntrack other = new Conntrack(CONFIG);
        byte[] oldFormat = batch.clone();
        oldFormat[0] = 1;
        assertThat(other.importBatch(oldFormat, len, T0)).isZero();
        assertThat(other.importBatch(new byte[0], 0, T0)).isZero();
        assertThat(other.importBatch(null, 5, T0)).isZero();
        assertThat(other.counters().replicasMalformed()).isEqualTo(3);
        assertThat(other.standby().size()).isZero();
    }
}
