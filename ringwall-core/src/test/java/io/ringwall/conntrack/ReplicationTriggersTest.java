package io.ringwall.conntrack;

import static io.ringwall.conntrack.PacketFacts.TCP_ACK;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SPEC §5.3 triggers: window advance, deletion, re-creation with the same 5-tuple. */
class ReplicationTriggersTest {
    private static final ConntrackConfig CONFIG = ConntrackConfig.defaults().withCapacities(256, 256);

    private final Conntrack owner = new Conntrack(CONFIG);
    private final Conntrack backup = new Conntrack(CONFIG);
    private final TcpTestFlow flow = new TcpTestFlow(owner);
    private final byte[] batch = new byte[4096];

    /** Sends what the owner would flush: its dirty flows as FULL records, then its deletions; records sent. */
    private int sync() {
        int len = 1, records = 0;
        batch[0] = FlowRecord.FORMAT;
        for (int s; (s = owner.dirty().poll()) >= 0; ) {
            if (owner.active().used(s)) {
                len += owner.exportRecord(owner.active(), s, FlowRecord.KIND_FULL, flow.nowNs, batch, len);
                records++;
            }
        }
        for (int n; (n = owner.deleted().poll(batch, len)) > 0; ) {
            len += n;
            records++;
        }
        backup.importBatch(batch, len, flow.nowNs);
        return records;
    }

    @Test
    void dataAdvancingTheWindowByMoreThanAQuarterMarksTheFlowForSync() {
        flow.handshake();
        sync();
        int seq = flow.clientIsn + 1;
        for (int i = 0; i < 16; i++, seq += 1000) { // 16 000 bytes: under a quarter of the 65 535-byte window
            flow.client(TCP_ACK, seq, flow.serverIsn + 1, 65535, 1000);
        }
        assertThat(owner.dirty().size()).as("small advances are not synced one by one").isZero();
        flow.client(TCP_ACK, seq, flow.serverIsn + 1, 65535, 1000);
        assertThat(owner.dirty().size()).isEqualTo(1);
        long before = backup.counters().replicasImported();
        sync();
        assertThat(backup.counters().replicasImported()).as("the backup takes the newer window").isEqualTo(before + 1);
    }

    @Test
    void deletingAnActiveFlowRemovesItsReplicaOnTheBackup() {
        flow.handshake();
        sync();
        assertThat(backup.standby().size()).isEqualTo(1);
        owner.remove(flow.slot());
        assertThat(sync()).isEqualTo(1);
        assertThat(backup.standby().size()).isZero();
        assertThat(backup.counters().replicasDeleted()).isEqualTo(1);
    }

    @Test
    void expiryOfAnActiveFlowIsReplicatedAsADeletion() {
        flow.handshake();
        sync();
        flow.nowNs += 10L * 24 * 3600 * 1_000_000_000L; // past every idle timeout
        owner.expire(flow.nowNs, 1024);
        sync();
        assertThat(backup.standby().size()).isZero();
    }

    @Test
    void aFlowReopenedWithTheSameTupleReplacesTheOldReplicaInsteadOfBeingStale() {
        flow.handshake(); // SYN, SYN-ACK, ACK: the old flow's version moved past its first
        sync();
        owner.remove(flow.slot());
        flow.handshake(9000, 7000, 65535, 65535, -1, -1); // same 5-tuple, new connection
        sync();
        assertThat(backup.standby().size()).isEqualTo(1);
        int s = backup.standby().lookup(flow.fromClientKey);
        int end = TcpWindow.base(s, 0) + TcpWindow.END;
        assertThat(backup.standby().tcp[end]).as("the new connection's sequence space, not the old one's")
                .isEqualTo(owner.active().tcp[TcpWindow.base(flow.slot(), 0) + TcpWindow.END]).isEqualTo(9001);
        assertThat(backup.standby().version[s]).isEqualTo(owner.active().version[flow.slot()]);
    }

    @Test
    void aDeletionOlderThanTheReplicaLeavesTheReCreatedFlow() {
        flow.handshake();
        sync();
        byte[] oldDelete = new byte[FlowRecord.MAX_DELETE_BYTES + 1];
        oldDelete[0] = FlowRecord.FORMAT;
        owner.remove(flow.slot());
        int n = owner.deleted().poll(oldDelete, 1);
        flow.handshake(9000, 7000, 65535, 65535, -1, -1);
        sync(); // the re-created flow reaches the backup first
        backup.importBatch(oldDelete, 1 + n, flow.nowNs); // then the old deletion, late
        assertThat(backup.standby().size()).isEqualTo(1);
    }
}
