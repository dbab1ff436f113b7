package io.ringwall.conntrack;

import static io.ringwall.conntrack.PacketFacts.TCP_ACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class TwoStoresTest {
    private static final int BUCKETS = 1024;
    private static final ConntrackConfig CONFIG = ConntrackConfig.defaults().withCapacities(256, 256);
    private final byte[] record = new byte[FlowRecord.MAX_BYTES + 10];
    private static final int FULL = FlowRecord.KIND_FULL;

    @Test
    void exportedRecordImportsAsAnIdenticalFlow() {
        Conntrack owner = new Conntrack(CONFIG);
        TcpTestFlow flow = new TcpTestFlow(owner);
        flow.handshake(1000, 5000, 65535, 65535, 7, 7);
        flow.client(TCP_ACK, 1001, 5001, 512, 700);
        int s = flow.slot();
        FlowTable a = owner.active();
        int n = owner.exportRecord(a, s, FULL, flow.nowNs, record, 3);
        assertThat(n).isPositive();

        Conntrack backup = new Conntrack(CONFIG);
        long later = 777_000_000_000L;
        int r = backup.importReplica(record, 3, n, later);
        assertThat(r).isNotNegative();
        FlowTable b = backup.standby();
        assertThat(backup.active().size()).isZero();
        assertThat(b.lookup(flow.fromServerKey)).isEqualTo(r);
        assertThat(b.tcpState(r)).isEqualTo(a.tcpState(s));
        assertThat(b.version(r)).isEqualTo(a.version(s));
        assertThat(b.replied(r)).isTrue();
        assertThat(later - b.lastSeenNs(r)).isEqualTo(flow.nowNs - a.lastSeenNs(s));
        assertThat(later - b.createdNs(r)).isEqualTo(flow.nowNs - a.createdNs(s));
        for (boolean dir : new boolean[] {true, false}) {
            assertThat(b.packets(r, dir)).isEqualTo(a.packets(s, dir));
            assertThat(b.bytes(r, dir)).isEqualTo(a.bytes(s, dir));
            assertThat(b.windowEnd(r, dir)).isEqualTo(a.windowEnd(s, dir));
            assertThat(b.windowMaxEnd(r, dir)).isEqualTo(a.windowMaxEnd(s, dir));
            assertThat(b.windowMax(r, dir)).isEqualTo(a.windowMax(s, dir));
            assertThat(b.windowScale(r, dir)).isEqualTo(7);
        }
        // the describe line differs only in the store name
        assertThat(b.describe(r).replace("standby", "active")).isEqualTo(a.describe(s));
    }

    @Test
    void olderOrEqualVersionsDoNotReplaceAReplicaButNewerOnesDo() {
        Conntrack owner = new Conntrack(CONFIG);
        TcpTestFlow flow = new TcpTestFlow(owner);
        flow.client(PacketFacts.TCP_SYN, 1000, 0, 65535, 0);
        byte[] v1 = export(owner, flow.slot(), flow.nowNs);
        flow.server(PacketFacts.TCP_SYN | TCP_ACK, 5000, 1001, 65535, 0);
        byte[] v2 = export(owner, flow.slot(), flow.nowNs);
        assertThat(owner.active().version(flow.slot())).isGreaterThan(1);

        Conntrack backup = new Conntrack(CONFIG);
        int slot = backup.importReplica(v2, 0, v2.length, 0);
        assertThat(backup.importReplica(v1, 0, v1.length, 0)).isEqualTo(Conntrack.IMPORT_STALE);
        assertThat(backup.importReplica(v2, 0, v2.length, 0)).isEqualTo(Conntrack.IMPORT_STALE);
        assertThat(backup.standby().tcpState(slot)).isEqualTo(FlowState.TCP_SYN_RECV);
        assertThat(backup.counters().replicasStale()).isEqualTo(2);

        Conntrack other = new Conntrack(CONFIG);
        other.importReplica(v1, 0, v1.length, 0);
        int newer = other.importReplica(v2, 0, v2.length, 0);
        assertThat(other.standby().tcpState(newer)).isEqualTo(FlowState.TCP_SYN_RECV);
        assertThat(other.standby().size()).isEqualTo(1);
    }

    @Test
    void malformedRecordsAreRejectedWithoutThrowing() {
        Conntrack owner = new Conntrack(CONFIG);
        TcpTestFlow flow = new TcpTestFlow(owner);
        flow.handshake();
        byte[] good = export(owner, flow.slot(), flow.nowNs);
        Conntrack backup = new Conntrack(CONFIG);
        assertThat(backup.importReplica(good, 0, good.length - 1, 0)).isEqualTo(Conntrack.IMPORT_MALFORMED);
        assertThat(backup.importReplica(good, 5, good.length - 5, 0)).isEqualTo(Conntrack.IMPORT_MALFORMED);
        assertThat(backup.importReplica(null, 0, good.length, 0)).isEqualTo(Conntrack.IMPORT_MALFORMED);
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThat(backup.importReplica(longer, 0, longer.length, 0)).as("trailing byte").isEqualTo(Conntrack.IMPORT_MALFORMED);
        byte[][] corrupt = {
            withByte(good, 0, 0x00 | (good[0] & 0x3F)),   // kind 0
            withByte(good, 0, 0xC0 | (good[0] & 0x3F)),   // kind 3
            withByte(good, 0, good[0] | 0x04),            // NAT flag without the NAT tuple
            withByte(good, 1, 10),                         // UDP state on a TCP flow
            withByte(good, 1, 0xFF),
        };
        for (int i = 0; i < corrupt.length; i++) {
            assertThat(backup.importReplica(corrupt[i], 0, corrupt[i].length, 0)).as("case %d", i)
                    .isEqualTo(Conntrack.IMPORT_MALFORMED);
        }
        byte[] swappedEndpoints = good.clone(); // B before A: not a normalized key (IPv4: bytes 2-5 and 6-9)
        System.arraycopy(good, 2, swappedEndpoints, 6, 4);
        System.arraycopy(good, 6, swappedEndpoints, 2, 4);
        assertThat(backup.importReplica(swappedEndpoints, 0, good.length, 0)).isEqualTo(Conntrack.IMPORT_MALFORMED);
        assertThat(backup.standby().size()).isZero();
        assertThat(backup.counters().replicasMalformed()).isEqualTo(4 + corrupt.length + 1);
    }

    private static byte[] withByte(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    /** The slot's full record, exactly as long as it is. */
    static byte[] export(Conntrack owner, int slot, long nowNs) {
        byte[] buf = new byte[FlowRecord.MAX_BYTES];
        int n = owner.exportRecord(owner.active(), slot, FlowRecord.KIND_FULL, nowNs, buf, 0);
        assertThat(n).isPositive();
        return java.util.Arrays.copyOf(buf, n);
    }

    @Test
    void promotionByBucketMovesExactlyTheMatchingStandbyEntries() {
        Conntrack owner = new Conntrack(CONFIG);
        Conntrack backup = new Conntrack(CONFIG);
        FlowKey k = new FlowKey();
        PacketFacts udp = new PacketFacts();
        udp.protocol = 17;
        for (int i = 0; i < 200; i++) {
            k.setV4(17, 0x0A00_0001, 1000 + i, 0x0A00_0002, 53);
            int s = owner.create(k, udp, 0);
            byte[] r = export(owner, s, 0);
            assertThat(backup.importReplica(r, 0, r.length, 0)).isNotNegative();
        }
        BitSet owned = new BitSet(BUCKETS);
        owned.set(0, BUCKETS / 2);
        int expected = 0;
        for (int i = 0; i < 200; i++) {
            k.setV4(17, 0x0A00_0001, 1000 + i, 0x0A00_0002, 53);
            expected += owned.get(k.symmetricHash() % BUCKETS) ? 1 : 0;
        }
        assertThat(expected).isBetween(1, 199);

        int moved = backup.promote(h -> owned.get(h % BUCKETS));
        assertThat(moved).isEqualTo(expected);
        assertThat(backup.active().size()).isEqualTo(expected);
        assertThat(backup.standby().size()).isEqualTo(200 - expected);
        for (int i = 0; i < 200; i++) {
            k.setV4(17, 0x0A00_0002, 53, 0x0A00_0001, 1000 + i); // reply direction
            boolean mine = owned.get(k.symmetricHash() % BUCKETS);
            assertThat(backup.active().lookup(k) >= 0).isEqualTo(mine);
            assertThat(backup.standby().lookup(k) >= 0).isEqualTo(!mine);
            if (mine) {
                assertThat(backup.classify(k, udp, 1)).isEqualTo(CtVerdict.ESTABLISHED);
                assertThat(backup.lastFromOriginator()).isFalse();
            }
        }

        int demoted = backup.demote(h -> true);
        assertThat(demoted).isEqualTo(expected);
        assertThat(backup.active().size()).isZero();
        assertThat(backup.standby().size()).isEqualTo(200);
        assertThat(backup.counters().promoted()).isEqualTo(expected);
    }

    /** A node cut off from its cluster kept a flow that carried on through another node: it re-learns, not drops. */
    @Test
    void aKeptFlowWhoseConnectionMovedOnElsewhereRelearnsItsWindowsWhenAsked() {
        Conntrack kept = new Conntrack(CONFIG);
        TcpTestFlow flow = new TcpTestFlow(kept);
        flow.handshake(1000, 5000, 8192, 8192, -1, -1);
        FlowKey udp = new FlowKey();
        udp.setV4(17, TcpTestFlow.CLIENT_IP, 5353, TcpTestFlow.SERVER_IP, 53);
        PacketFacts datagram = new PacketFacts();
        datagram.protocol = 17;
        datagram.length = 40;
        assertThat(kept.create(udp, datagram, flow.nowNs)).isNotNegative(); // a UDP flow: nothing to re-learn
        int c = 1001 + 100_000; // 100 KB went by through another node meanwhile
        int srv = 5001;
        assertThat(flow.client(TCP_ACK, c, srv, 8192, 1000)).as("stale window").isEqualTo(CtVerdict.INVALID);

        assertThat(kept.relearnActiveWindows()).isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            assertThat(flow.client(TCP_ACK, c, srv, 8192, 1000)).as("segment %d", i).isEqualTo(CtVerdict.ESTABLISHED);
            c += 1000;
            assertThat(flow.server(TCP_ACK, srv, c, 8192, 0)).as("ack %d", i).isEqualTo(CtVerdict.ESTABLISHED);
        }
    }

    @Test
    void takenOverFlowWithStaleWindowsPassesAndRelearns() {
        Conntrack owner = new Conntrack(CONFIG);
        TcpTestFlow flow = new TcpTestFlow(owner);
        flow.handshake(1000, 5000, 8192, 8192, -1, -1);
        byte[] stale = export(owner, flow.slot(), flow.nowNs);
        int c = 1001;
        int srv = 5001;
        for (int i = 0; i < 100; i++) { // 100 KB go by after the last sync
            assertThat(flow.client(TCP_ACK, c, srv, 8192, 1000)).isEqualTo(CtVerdict.ESTABLISHED);
            c += 1000;
            assertThat(flow.server(TCP_ACK, srv, c, 8192, 0)).isEqualTo(CtVerdict.ESTABLISHED);
        }

        Conntrack heir = new Conntrack(CONFIG);
        heir.importReplica(stale, 0, stale.length, flow.nowNs);
        assertThat(heir.promote(h -> true)).isEqualTo(1);
        TcpTestFlow after = new TcpTestFlow(heir);
        after.nowNs = flow.nowNs;
        int slot = after.slot();
        FlowTable t = heir.active();
        int staleMaxEnd = t.windowMaxEnd(slot, true);
        assertThat(c - staleMaxEnd).as("the plain check (seq <= maxend) would reject").isPositive();
        assertThat(heir.looseSegmentsLeft(slot, true)).isEqualTo(TcpWindow.TAKEOVER_LOOSE_SEGMENTS);

        for (int i = 0; i < 50; i++) {
            assertThat(after.client(TCP_ACK, c, srv, 8192, 1000)).as("segment %d", i).isEqualTo(CtVerdict.ESTABLISHED);
            c += 1000;
            assertThat(after.server(TCP_ACK, srv, c, 8192, 0)).as("ack %d", i).isEqualTo(CtVerdict.ESTABLISHED);
        }
        assertThat(heir.looseSegmentsLeft(slot, true)).isZero();
        assertThat(heir.looseSegmentsLeft(slot, false)).isZero();
        assertThat(t.windowEnd(slot, true)).isEqualTo(c);
        assertThat(t.tcpState(slot)).isEqualTo(FlowState.TCP_ESTABLISHED);
        // checks are strict again once re-learned
        assertThat(after.client(TCP_ACK, c + 1_000_000, srv, 8192, 1000)).isEqualTo(CtVerdict.INVALID);
        assertThat(after.server(TCP_ACK, srv, c + 5, 8192, 0)).isEqualTo(CtVerdict.INVALID);
    }
}
