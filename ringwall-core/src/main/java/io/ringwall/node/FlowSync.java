package io.ringwall.node;

import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.FlowRecord;
import io.ringwall.conntrack.FlowTable;
import io.ringwall.messaging.SendResult;
import io.ringwall.ring.TokenRing;

/**
 * Connection-state replication, first form (SPEC §5.3–5.5 with full replication, seed 002): every member
 * sends the flows it handles to every other member, which keep them in their standby store. Changes are
 * coalesced per flow and flushed every {@link #FLUSH_INTERVAL_NS}; a member that joins gets a paced bulk
 * transfer of all flows (those this node handles and its replicas of the others'), and a full sync runs every
 * {@link #FULL_SYNC_INTERVAL_NS} as a safety net. When a node
 * takes over VIPs it promotes its standby flows to the active store, so established connections continue.
 */
final class FlowSync implements ClusterRole {
    static final int CHANNEL_FLOWS = 2;
    /** Deltas are sent at least this often while flows change. */
    static final long FLUSH_INTERVAL_NS = 5_000_000L;
    /** Bound on records sent per tick (deltas and bulk together), so sync never starves the data plane. */
    static final int RECORDS_PER_TICK = 4096;
    static final long FULL_SYNC_INTERVAL_NS = 30_000_000_000L;
    /** A joining node that has not heard the end of every member's bulk transfer by then takes part anyway. */
    static final long JOIN_SYNC_TIMEOUT_NS = 5_000_000_000L;
    /** The one-byte message that ends a bulk transfer (a batch starts with FlowRecord.FORMAT and has records). */
    private static final byte[] BULK_END = {'E'};

    private final int self;
    private final int nodeCount;
    private final Conntrack conntrack;
    /** Scratch for one encoded record before it joins the batch. */
    private final byte[] record = new byte[FlowRecord.MAX_BYTES];
    /**
     * One batch = one unfragmented message = one DATA packet: packet overhead is paid once per batch, and a
     * lost packet costs one retransmission of it rather than of a multi-packet message (sized in attach).
     */
    private byte[] batch = new byte[0];
    /** The active-store slots of the records in {@link #batch}, for {@link SentFlows} (sized in attach). */
    private int[] batchSlots = new int[0];
    private SentFlows sentFlows = (peer, messageId, slots, count) -> { };
    private ClusterMember member;
    private int knownMembers;
    private int batchRecords;
    /** Records in the batch that carry a live flow (their slots are in {@link #batchSlots}). */
    private int batchFlows;
    private int batchBytes;
    /** Messages the peers of the batch being built still have queue room for. */
    private int messagesLeft;
    private long messagesSent;
    private long bytesSent;
    private long nextFlushNs = Long.MIN_VALUE;
    private long nextFullSyncNs;
    /** Peers that get a bulk transfer, and where in the active store it has got to. */
    private int bulkPeers;
    private int bulkCursor;
    /**
     * The bulk transfer also carries the standby store (a joining peer is in it). A member that crashes in the middle
     * of its bulk transfer to a joining node takes the rest of its flows with it; the replicas the other members hold
     * are then the only copies, so each member's transfer to a joining node includes them (SPEC §5.5: the joining
     * node must have the whole connection state before it may take anything over).
     */
    private boolean bulkWithReplicas;
    private long recordsSent;
    /** Members whose bulk transfer to us has ended (or that had nothing to send). */
    private int bulkReceivedFrom;
    private boolean synced;
    private long joinStartedNs = Long.MIN_VALUE;
    private long recordsImported;
    private long bulkTransfers;
    private long deletesSent;

    FlowSync(ClusterSettings settings, Conntrack conntrack) {
        this.self = settings.selfId();
        this.nodeCount = settings.members().size();
        this.conntrack = conntrack;
    }

    void attach(ClusterMember clusterMember) {
        this.member = clusterMember;
        this.batch = new byte[clusterMember.maxUnfragmentedMessageBytes()];
        this.batchSlots = new int[batch.length / FlowRecord.MIN_BYTES + 1];
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
            startBulk(joined, true); // a (re)joining member gets everything we know before it can take anything over
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
        startBulk(peers, false);
    }

    private void startBulk(int peers, boolean withReplicas) {
        bulkTransfers++;
        bulkPeers |= peers;
        bulkWithReplicas |= withReplicas;
        bulkCursor = 0;
    }

    private void flush(long nowNs) {
        nextFlushNs = nowNs + FLUSH_INTERVAL_NS;
        if (knownMembers == 0) {
            while (conntrack.dirty().poll() >= 0) {
                // nobody to tell: the queue only has to stay bounded
            }
            while (conntrack.deleted().poll(record, 0) > 0) {
                // likewise: a node that joins later gets a bulk transfer, which only carries live flows
            }
            return;
        }
        if (conntrack.dirty().takeOverflow() | conntrack.deleted().takeOverflow() || nowNs - nextFullSyncNs >= 0) {
            nextFullSyncNs = nowNs + FULL_SYNC_INTERVAL_NS;
            startBulk(knownMembers);
        }
        FlowTable active = conntrack.active();
        int budget = RECORDS_PER_TICK;
        messagesLeft = room(knownMembers);
        for (int slot; budget > 0 && canAdd() && (slot = conntrack.dirty().poll()) >= 0; ) {
            if (active.used(slot) && !active.local(slot)) { // sync-off flows stay on this node
                // a peer in the middle of a bulk transfer may not know the flow yet: send all of it then
                boolean known = conntrack.announced(slot) && bulkPeers == 0;
                add(nowNs, slot, known ? FlowRecord.KIND_UPDATE : FlowRecord.KIND_FULL, knownMembers);
                budget--;
            }
        }
        // deletions after the changes: a flow removed and re-created in one interval is deleted at its old version
        // only, the new one outranks it (versions decide, not arrival order)
        for (int n; budget > 0 && canAdd() && (n = conntrack.deleted().poll(record, 0)) > 0; budget--) {
            append(n, -1, knownMembers);
            deletesSent++;
        }
        send(knownMembers);
        if (bulkPeers != 0) {
            int peers = bulkPeers & knownMembers;
            if (peers == 0) {
                bulkPeers = 0; // every peer it was for has left the ring: it gets a fresh one when it returns
                bulkWithReplicas = false;
                return;
            }
            messagesLeft = room(peers);
            FlowTable standby = conntrack.standby();
            // the cursor walks the active store, then (for a joining peer) the standby store
            int end = active.capacity() + (bulkWithReplicas ? standby.capacity() : 0);
            while (budget > 0 && canAdd() && bulkCursor < end) {
                if (bulkCursor < active.capacity()) {
                    if (active.used(bulkCursor) && !active.local(bulkCursor)) {
                        add(nowNs, bulkCursor, FlowRecord.KIND_FULL, peers);
                        budget--;
                    }
                } else if (standby.used(bulkCursor - active.capacity())) {
                    addReplica(nowNs, bulkCursor - active.capacity(), peers);
                    budget--;
                }
                bulkCursor++;
            }
            send(peers);
            if (bulkCursor >= end && room(peers) > 0) {
                for (int peer = 0; peer < nodeCount; peer++) {
                    if ((peers & (1 << peer)) != 0) {
                        member.sendReliable(peer, CHANNEL_FLOWS, true, BULK_END);
                    }
                }
                bulkPeers = 0;
                bulkWithReplicas = false;
            }
        }
    }

    /** A replica from the standby store, as it is (its version is the owner's: the receiver keeps the newest). */
    private void addReplica(long nowNs, int slot, int peers) {
        int n = conntrack.exportRecord(conntrack.standby(), slot, FlowRecord.KIND_FULL, nowNs, record, 0);
        if (n > 0) {
            append(n, -1, peers); // -1: not one of our active flows, nothing waits for its acknowledgement
        }
    }

    /**
     * True if one more record can be placed without building a batch that cannot be sent: the message layer's
     * queue is bounded, and a record taken from the dirty queue must not be lost for want of room.
     */
    private boolean canAdd() {
        if (batchBytes == 0) {
            return messagesLeft >= 1;
        }
        return batch.length - batchBytes >= FlowRecord.MAX_BYTES || messagesLeft >= 2;
    }

    private void add(long nowNs, int slot, int kind, int peers) {
        int n = conntrack.exportRecord(conntrack.active(), slot, kind, nowNs, record, 0);
        if (n <= 0) {
            return;
        }
        append(n, slot, peers);
        if (kind == FlowRecord.KIND_FULL && peers == knownMembers) {
            conntrack.markAnnounced(slot);
        }
    }

    /** Adds {@code record[0, n)} to the batch; {@code slot} is the flow's active slot, or -1 for a deletion or a replica. */
    private void append(int n, int slot, int peers) {
        if (batchBytes + n > batch.length || batchRecords == batchSlots.length) {
            send(peers);
        }
        if (batchBytes == 0) {
            batch[0] = FlowRecord.FORMAT;
            batchBytes = 1;
        }
        System.arraycopy(record, 0, batch, batchBytes, n);
        batchBytes += n;
        if (slot >= 0) {
            batchSlots[batchFlows++] = slot;
        }
        batchRecords++;
    }

    private void send(int peers) {
        if (batchRecords == 0) {
            return;
        }
        // copied: the message layer keeps the message until it is acknowledged; one copy per packet-sized batch
        byte[] message = java.util.Arrays.copyOf(batch, batchBytes);
        for (int peer = 0; peer < nodeCount; peer++) {
            if ((peers & (1 << peer)) != 0) {
                long id = member.sendReliable(peer, CHANNEL_FLOWS, true, message); // ordered: the end marker comes last
                sentFlows.sent(peer, id, batchSlots, batchFlows);
                if (id == SendResult.QUEUE_FULL) {
                    startBulk(1 << peer); // canAdd keeps this from happening; should it, a bulk transfer repairs it
                }
            }
        }
        messagesLeft--;
        messagesSent++;
        bytesSent += batchBytes;
        recordsSent += batchRecords;
        batchRecords = 0;
        batchFlows = 0;
        batchBytes = 0;
    }

    /** Room in the message queue of every peer in {@code peers}. */
    private int room(int peers) {
        int room = Integer.MAX_VALUE;
        for (int peer = 0; peer < nodeCount; peer++) {
            if ((peers & (1 << peer)) != 0) {
                room = Math.min(room, member.sendRoom(peer));
            }
        }
        return room == Integer.MAX_VALUE ? 0 : room;
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
        recordsImported += conntrack.importBatch(message, message.length, nowNs); // bad input is counted there
    }

    @Override
    public void onSendFailure(long nowNs, int peer, long messageId, byte[] message) {
        if (message.length > 1 && message[0] == FlowRecord.FORMAT) {
            startBulk(1 << peer); // what it missed comes again with a bulk transfer once it answers
        }
    }

    @Override
    public long nextDeadlineNs() {
        long next = conntrack.dirty().size() > 0 || conntrack.deleted().size() > 0 || bulkPeers != 0 ? nextFlushNs : Long.MAX_VALUE;
        return synced || joinStartedNs == Long.MIN_VALUE ? next : Math.min(next, joinStartedNs + JOIN_SYNC_TIMEOUT_NS + 1);
    }

    long recordsSent() {
        return recordsSent;
    }

    /** Batches sent (counted once however many peers got them) and their bytes before sealing. */
    long messagesSent() {
        return messagesSent;
    }

    long bytesSent() {
        return bytesSent;
    }

    long recordsImported() {
        return recordsImported;
    }

    long bulkTransfers() {
        return bulkTransfers;
    }

    long deletesSent() {
        return deletesSent;
    }
}
