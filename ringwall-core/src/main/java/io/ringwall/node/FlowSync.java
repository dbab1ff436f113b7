package io.ringwall.node;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.FlowRecord;
import io.ringwall.conntrack.FlowTable;
import io.ringwall.ring.TokenRing;

/**
 * Connection-state replication, first form (SPEC §5.3–5.5 with full replication, seed 002): every member
 * sends the flows it handles to every other member, which keep them in their standby store. Changes are
 * coalesced per flow and flushed every {@link #FLUSH_INTERVAL_NS}; a member that joins gets a paced bulk
 * transfer of all flows, and a full sync runs every {@link #FULL_SYNC_INTERVAL_NS} as a safety net. When a node
 * takes over VIPs it promotes its standby flows to the active store, so established connections continue.
 */
final class FlowSync implements ClusterRole {
    static final int CHANNEL_FLOWS = 2;
    /** Deltas are sent at least this often while flows change. */
    static final long FLUSH_INTERVAL_NS = 5_000_000L;
    /** Records per message (each {@link FlowRecord#BYTES} bytes). */
    static final int RECORDS_PER_MESSAGE = 48;
    /** Bound on records sent per tick (deltas and bulk together), so sync never starves the data plane. */
    static final int RECORDS_PER_TICK = 4096;
    static final long FULL_SYNC_INTERVAL_NS = 30_000_000_000L;
    /** A joining node that has not heard the end of every member's bulk transfer by then takes part anyway. */
    static final long JOIN_SYNC_TIMEOUT_NS = 5_000_000_000L;
    /** The one-byte message that ends a bulk transfer (records are multiples of FlowRecord.BYTES, never 1). */
    private static final byte[] BULK_END = {'E'};

    private final int self;
    private final int nodeCount;
    private final Conntrack conntrack;
    private final byte[] batch = new byte[RECORDS_PER_MESSAGE * FlowRecord.BYTES];
    /** The active-store slots of the records in {@link #batch}, for {@link SentFlows}. */
    private final int[] batchSlots = new int[RECORDS_PER_MESSAGE];
    private SentFlows sentFlows = (peer, messageId, slots, count) -> { };
    private ClusterMember member;
    private int knownMembers;
    private int batchRecords;
    private long nextFlushNs = Long.MIN_VALUE;
    private long nextFullSyncNs;
    /** Peers that get a bulk transfer, and where in the active store it has got to. */
    private int bulkPeers;
    private int bulkCursor;
    private long recordsSent;
    /** Members whose bulk transfer to us has ended (or that had nothing to send). */
    private int bulkReceivedFrom;
    private boolean synced;
    private long joinStartedNs = Long.MIN_VALUE;
    private long recordsImported;

    FlowSync(ClusterSettings settings, Conntrack conntrack) {
        this.self = settings.selfId();
        this.nodeCount = settings.members().size();
        this.conntrack = conntrack;
    }

    void attach(ClusterMember clusterMember) {
        this.member = clusterMember;
    }

    /** Told which flows each message carries, so a packet held for its flow can wait for that message's ack. */
    interface SentFlows {
        /** {@code slots[0..count)} went to {@code peer} in message {@code messageId} (negative: not queued). */
        void sent(int peer, long messageId, int[] slots, int count);
    }

    void onSent(SentFlows listener) {
        this.sentFlows = listener;
    }

    /** A packet waits for its flow's replication (SPEC §5.6): send at the next event, not after the coalescing delay. */
    void flushSoon(long nowNs) {
        if (nextFlushNs != Long.MIN_VALUE && nextFlushNs - nowNs > 0) { // MIN_VALUE: not started, flushes anyway
            nextFlushNs = nowNs;
        }
    }

    @Override
    public void afterRingEvent(long nowNs, TokenRing ring) {
        int members = ring.inRing() ? ring.members() & ~(1 << self) : 0;
        int joined = members & ~knownMembers;
        if (joined != 0) {
            startBulk(joined); // a (re)joining member gets everything we handle before it can take anything over
        }
        knownMembers = members;
        updateSynced(nowNs);
        if (nextFlushNs == Long.MIN_VALUE) {
            nextFlushNs = nowNs;
            nextFullSyncNs = nowNs + FULL_SYNC_INTERVAL_NS;
        }
        if (nowNs - nextFlushNs >= 0) {
            flush(nowNs);
        }
    }

    /**
     * A node is synced once every other member of its ring has sent it the end of a bulk transfer: until then it
     * must not take over VIPs (it would not know the connections that come with them).
     */
    private void updateSynced(long nowNs) {
        if (synced) {
            return;
        }
        if (joinStartedNs == Long.MIN_VALUE) {
            joinStartedNs = nowNs;
        }
        if ((knownMembers & ~bulkReceivedFrom) == 0 || nowNs - joinStartedNs > JOIN_SYNC_TIMEOUT_NS) {
            synced = true;
        }
    }

    boolean synced() {
        return synced;
    }

    private void startBulk(int peers) {
        bulkPeers |= peers;
        bulkCursor = 0;
    }

    private void flush(long nowNs) {
        nextFlushNs = nowNs + FLUSH_INTERVAL_NS;
        if (knownMembers == 0) {
            while (conntrack.dirty().poll() >= 0) {
                // nobody to tell: the queue only has to stay bounded
            }
            return;
        }
        if (conntrack.dirty().takeOverflow() || nowNs - nextFullSyncNs >= 0) {
            nextFullSyncNs = nowNs + FULL_SYNC_INTERVAL_NS;
            startBulk(knownMembers);
        }
        FlowTable active = conntrack.active();
        int budget = RECORDS_PER_TICK;
        for (int slot; budget > 0 && (slot = conntrack.dirty().poll()) >= 0; ) {
            if (active.used(slot)) {
                add(nowNs, slot, knownMembers);
                budget--;
            }
        }
        send(knownMembers);
        if (bulkPeers != 0) {
            int peers = bulkPeers & knownMembers;
            while (budget > 0 && bulkCursor < active.capacity()) {
                if (active.used(bulkCursor)) {
                    add(nowNs, bulkCursor, peers);
                    budget--;
                }
                bulkCursor++;
            }
            send(peers);
            if (bulkCursor >= active.capacity()) {
                for (int peer = 0; peer < nodeCount; peer++) {
                    if ((peers & (1 << peer)) != 0) {
                        member.sendReliable(peer, CHANNEL_FLOWS, true, BULK_END);
                    }
                }
                bulkPeers = 0;
            }
        }
    }

    private void add(long nowNs, int slot, int peers) {
        int n = conntrack.exportRecord(conntrack.active(), slot, nowNs, batch, batchRecords * FlowRecord.BYTES);
        if (n == FlowRecord.BYTES) {
            batchSlots[batchRecords] = slot;
            batchRecords++;
            if (batchRecords == RECORDS_PER_MESSAGE) {
                send(peers);
            }
        }
    }

    private void send(int peers) {
        if (batchRecords == 0) {
            return;
        }
        byte[] message = java.util.Arrays.copyOf(batch, batchRecords * FlowRecord.BYTES);
        for (int peer = 0; peer < nodeCount; peer++) {
            if ((peers & (1 << peer)) != 0) {
                long id = member.sendReliable(peer, CHANNEL_FLOWS, true, message); // ordered: the end marker comes last
                sentFlows.sent(peer, id, batchSlots, batchRecords);
            }
        }
        recordsSent += batchRecords;
        batchRecords = 0;
    }

    @Override
    public void onMessage(long nowNs, int peer, int channel, byte[] message) {
        if (channel != CHANNEL_FLOWS) {
            return;
        }
        if (message.length == 1 && message[0] == BULK_END[0]) {
            bulkReceivedFrom |= 1 << peer;
            updateSynced(nowNs);
            return;
        }
        for (int off = 0; off + FlowRecord.BYTES <= message.length; off += FlowRecord.BYTES) {
            if (conntrack.importReplica(message, off, FlowRecord.BYTES, nowNs) >= 0) {
                recordsImported++;
            }
        }
    }

    @Override
    public void onSendFailure(long nowNs, int peer, long messageId, byte[] message) {
        if (message.length % FlowRecord.BYTES == 0) {
            startBulk(1 << peer); // what it missed comes again with a bulk transfer once it answers
        }
    }

    @Override
    public long nextDeadlineNs() {
        long next = conntrack.dirty().size() > 0 || bulkPeers != 0 ? nextFlushNs : Long.MAX_VALUE;
        return synced || joinStartedNs == Long.MIN_VALUE ? next : Math.min(next, joinStartedNs + JOIN_SYNC_TIMEOUT_NS + 1);
    }

    long recordsSent() {
        return recordsSent;
    }

    long recordsImported() {
        return recordsImported;
    }
}
