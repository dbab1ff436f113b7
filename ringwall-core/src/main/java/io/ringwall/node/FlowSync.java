package io.ringwall.node;

import io.ringwall.bucket.BucketMap;
import io.ringwall.conntrack.Conntrack;
import io.ringwall.conntrack.FlowRecord;
import io.ringwall.conntrack.FlowTable;
import io.ringwall.messaging.SendResult;
import io.ringwall.ring.TokenRing;

/**
 * Connection-state replication (SPEC §5.2–5.5, seeds 000 and 002): each member sends the flows it handles to the
 * owner and backups of their bucket (before the first bucket map: to every member), which keep them in their
 * standby store. Changes are coalesced per flow and flushed every {@link #FLUSH_INTERVAL_NS}; a member that joins,
 * or becomes the backup of a bucket this node owns, gets a paced bulk transfer of the flows it must hold, and a
 * full sync runs every {@link #FULL_SYNC_INTERVAL_NS} as a safety net. When a node gains a bucket it promotes
 * its standby flows of that bucket to the active store (BucketRole), so established connections continue.
 */
final class FlowSync implements ClusterRole {
    static final int CHANNEL_FLOWS = 2;
    /** Deltas are sent at least this often while flows change. */
    static final long FLUSH_INTERVAL_NS = 5_000_000L;
    /** Bound on records sent per flush interval (deltas and bulk together), so sync never starves the data plane. */
    static final int RECORDS_PER_TICK = 4096;
    /**
     * Records one flush call sends at most; the rest of the interval's budget goes in further calls
     * ({@link #SLICE_GAP_NS} apart), so the loop reads its sockets between slices. Why: one call used to send a whole
     * interval's records; on a node restarted seconds before (JIT cold) that took 5–8 ms right after it gained
     * every bucket of a drained node (~1,000 deltas plus the re-replication to the new backup, 87–115 datagrams),
     * and a token that arrived meanwhile waited — past the fast profile's 5 ms ack timeout, so the ring removed
     * the node that had just taken over and the drain became a failover (real nodes, drain gaps of 15–20 ms).
     */
    static final int RECORDS_PER_SLICE = 512;
    /**
     * Records per slice for {@link #TAKEOVER_SETTLE_NS} after this node gained buckets. Why: right after a takeover
     * (a drain moves every bucket at once) this node re-replicates the flows it gained to their new backup while the
     * moved connections' first packets arrive, with code the JIT has not seen much of. A 512-record slice took
     * 3–5 ms then (real nodes, 49–149 sendmsg), and a probe's echo waited behind each one: drain gaps of 9–19 ms
     * instead of 4. A small slice lets the loop read its sockets every few hundred microseconds; the ~1,000 flows of
     * a drained node still reach the new backup within about 10 ms (see {@link #SLICE_GAP_NS}).
     */
    static final int RECORDS_PER_SETTLING_SLICE = 64;
    static final long TAKEOVER_SETTLE_NS = 50_000_000L;
    /**
     * How long after a slice the next one is due: not at once, or a driver that serves due timers between its sockets
     * would run every slice of the interval before it read the socket a token waits in.
     */
    static final long SLICE_GAP_NS = 200_000L;
    static final long FULL_SYNC_INTERVAL_NS = 30_000_000_000L;
    /** A joining node that has not heard the end of every member's bulk transfer by then takes part anyway. */
    static final long JOIN_SYNC_TIMEOUT_NS = 5_000_000_000L;
    /** Why a bulk transfer started, the index of its counter in {@link #bulkStarts}. */
    static final int BULK_JOINED = 0;
    static final int BULK_NEW_BACKUP = 1;
    static final int BULK_OVERFLOW = 2;
    static final int BULK_FULL_SYNC = 3;
    static final int BULK_SEND_FAILURE = 4;
    /** The one-byte message that ends a bulk transfer (a batch starts with FlowRecord.FORMAT and has records). */
    private static final byte[] BULK_END = {'E'};

    private final int self;
    private final int nodeCount;
    private final Conntrack conntrack;
    /** Scratch for one encoded record before it joins the batch. */
    private final byte[] record = new byte[FlowRecord.MAX_BYTES];
    /**
     * One batch per peer = one unfragmented message = one DATA packet: packet overhead is paid once per batch, and
     * a lost packet costs one retransmission of it rather than of a multi-packet message (sized in attach).
     */
    private byte[][] batch = new byte[0][];
    /** Per peer, the active-store slots of the records in its batch, for {@link SentFlows} (sized in attach). */
    private int[][] batchSlots = new int[0][];
    private SentFlows sentFlows = (peer, messageId, slots, count) -> { };
    private ClusterMember member;
    private int knownMembers;
    private int[] batchRecords = new int[0];
    /** Records in a peer's batch that carry a live flow (their slots are in {@link #batchSlots}). */
    private int[] batchFlows = new int[0];
    private int[] batchBytes = new int[0];
    /** Messages each peer's queue still has room for during this flush. */
    private int[] messagesLeft = new int[0];
    /** Where each flow's records go (SPEC §5.2): its bucket's owner and backups; null before the first map: everyone. */
    private BucketMap map;
    /** The map generation whose re-replication is under way, and the last one finished (-1: none). */
    private long replicationTarget = -1;
    private long replicatedGeneration = -1;
    /** Peers whose bulk-end marker is not acknowledged yet, and its message ids. */
    private int bulkEndPending;
    private final long[] bulkEndId = new long[BucketMap.MAX_NODES];
    private long messagesSent;
    private long nextFlushNs = Long.MIN_VALUE;
    /** Until when slices are small because this node gained buckets ({@link #RECORDS_PER_SETTLING_SLICE}). */
    private long settlingUntilNs = Long.MIN_VALUE;
    /** Start of the current flush interval and the records it may still send ({@link #RECORDS_PER_TICK}). */
    private long intervalStartNs = Long.MIN_VALUE;
    private int intervalBudget;
    /** Records the last slice did not use. */
    private int sliceLeft;
    private long nextFullSyncNs;
    /** Peers that get a bulk transfer, and where in the active store it has got to. */
    private int bulkPeers;
    private int bulkCursor;
    /**
     * The bulk transfer also carries the standby store (a joining peer is in it). A member that crashes in the middle
     * of its bulk transfer to a joining node takes the rest of its flows with it; the replicas the other members hold
     * are then the only copies, so each member's transfer to a joining node includes those of the buckets the joiner
     * must hold (SPEC §5.5: the joining node must have its state before it may take anything over).
     */
    private boolean bulkWithReplicas;
    private long recordsSent;
    /** Members whose bulk transfer to us has ended (or that had nothing to send). */
    private int bulkReceivedFrom;
    private boolean synced;
    private long joinStartedNs = Long.MIN_VALUE;
    private long recordsImported;
    /** Bulk transfers started, by cause ({@link #BULK_JOINED} ...). */
    private final long[] bulkStarts = new long[BULK_SEND_FAILURE + 1];
    private long deletesSent;

    FlowSync(ClusterSettings settings, Conntrack conntrack) {
        this.self = settings.selfId();
        this.nodeCount = settings.members().size();
        this.conntrack = conntrack;
    }

    void attach(ClusterMember clusterMember) {
        this.member = clusterMember;
        int bytes = clusterMember.maxUnfragmentedMessageBytes();
        this.batch = new byte[nodeCount][bytes];
        this.batchSlots = new int[nodeCount][bytes / FlowRecord.MIN_BYTES + 1];
        this.batchRecords = new int[nodeCount];
        this.batchFlows = new int[nodeCount];
        this.batchBytes = new int[nodeCount];
        this.messagesLeft = new int[nodeCount];
    }

    /** Told which flows each message carries, so a packet held for its flow can wait for that message's ack. */
    interface SentFlows {
        /** {@code slots[0..count)} went to {@code peer} in message {@code messageId} (negative: not queued). */
        void sent(int peer, long messageId, int[] slots, int count);
    }

    void onSent(SentFlows listener) {
        this.sentFlows = listener;
    }

    /** Sends every queued change now (before this node hands flows to another owner). */
    void flushNow(long nowNs) {
        if (member != null && nextFlushNs != Long.MIN_VALUE) {
            flush(nowNs);
        }
    }

    /**
     * A new bucket map is installed: records now go to each bucket's owner and backups only, and a peer that became
     * the backup of a bucket this node owns gets a bulk transfer of (only) the flows it must now hold, so
     * redundancy is restored (re-replication, SPEC §5.2; paced like every bulk transfer). A node that took over
     * buckets with this map sends small slices for a while ({@link #RECORDS_PER_SETTLING_SLICE}).
     */
    void bucketsChanged(long nowNs, BucketMap next) {
        BucketMap before = map;
        boolean comparable = before != null && before.buckets() == next.buckets();
        int needs = 0;
        boolean gained = false;
        for (int b = 0; b < next.buckets(); b++) {
            if (next.ownerOf(b) == self) {
                boolean had = comparable && before.ownerOf(b) == self;
                gained |= !had;
                needs |= next.backupsOf(b) & ~(had ? before.backupsOf(b) : 0);
            }
        }
        if (gained) {
            settlingUntilNs = nowNs + TAKEOVER_SETTLE_NS;
        }
        map = next;
        replicationTarget = next.generation();
        needs &= knownMembers & ~(1 << self);
        if (needs != 0) {
            startBulk(needs, BULK_NEW_BACKUP);
        }
    }

    /** The bucket-map generation whose re-replication this node has finished (-1: none seen). */
    long replicatedGeneration() {
        if ((bulkPeers & knownMembers) == 0 && (bulkEndPending & knownMembers) == 0) {
            replicatedGeneration = replicationTarget;
        }
        return replicatedGeneration;
    }

    /** The peers that must hold the flow with this symmetric hash: its bucket's owner and backups, never this node. */
    private int peersFor(int hash) {
        if (map == null) {
            return knownMembers;
        }
        return map.holdersOf(map.bucketOf(hash)) & knownMembers & ~(1 << self);
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
            startBulk(joined, BULK_JOINED); // a (re)joining member gets what it must hold before it can take anything over
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

    /** A transfer to a member that (re)joined also carries the replicas it must hold ({@link #bulkWithReplicas}). */
    private void startBulk(int peers, int cause) {
        bulkWithReplicas |= cause == BULK_JOINED;
        bulkStarts[cause]++;
        bulkPeers |= peers;
        bulkCursor = 0;
    }

    private void flush(long nowNs) {
        if (intervalStartNs == Long.MIN_VALUE || nowNs - intervalStartNs >= FLUSH_INTERVAL_NS) {
            intervalStartNs = nowNs;
            intervalBudget = RECORDS_PER_TICK;
        }
        boolean settling = settlingUntilNs != Long.MIN_VALUE && settlingUntilNs - nowNs > 0;
        int sliceRecords = settling ? RECORDS_PER_SETTLING_SLICE : RECORDS_PER_SLICE;
        int slice = Math.min(sliceRecords, intervalBudget);
        // flows that go to none of the bulk's peers cost a visit each: bounded too, so a pass over a large store
        // whose flows belong elsewhere is spread over several slices instead of stalling the ring
        boolean cut = flushSlice(nowNs, slice, 4 * sliceRecords);
        intervalBudget -= slice - sliceLeft;
        if (!cut) {
            nextFlushNs = nowNs + FLUSH_INTERVAL_NS; // all sent (or the peers' windows are full): the next interval
        } else if (intervalBudget > 0) {
            nextFlushNs = nowNs + SLICE_GAP_NS; // more to send in this interval: the next slice after the sockets
        } else {
            nextFlushNs = intervalStartNs + FLUSH_INTERVAL_NS; // the interval's budget is spent
        }
    }

    /**
     * Sends at most {@code budget} records, looking at most at {@code visits} flows of a bulk transfer (leaving the
     * unused records in {@link #sliceLeft}); returns whether it stopped
     * at the slice's bounds with more to send, rather than with nothing left or no room in the peers' windows.
     */
    private boolean flushSlice(long nowNs, int budget, int visits) {
        if (knownMembers == 0) {
            while (conntrack.dirty().poll() >= 0) {
                // nobody to tell: the queue only has to stay bounded
            }
            while (conntrack.deleted().poll(record, 0) > 0) {
                // likewise: a node that joins later gets a bulk transfer, which only carries live flows
            }
            sliceLeft = budget;
            return false;
        }
        boolean overflow = conntrack.dirty().takeOverflow() | conntrack.deleted().takeOverflow();
        if (overflow || nowNs - nextFullSyncNs >= 0) {
            nextFullSyncNs = nowNs + FULL_SYNC_INTERVAL_NS;
            startBulk(knownMembers, overflow ? BULK_OVERFLOW : BULK_FULL_SYNC);
        }
        FlowTable active = conntrack.active();
        resetRoom(knownMembers);
        for (int slot; budget > 0 && canAdd(knownMembers) && (slot = conntrack.dirty().poll()) >= 0; ) {
            if (active.used(slot) && !active.local(slot)) { // sync-off flows stay on this node
                // a peer in the middle of a bulk transfer may not know the flow yet: send all of it then
                boolean known = conntrack.announced(slot) && bulkPeers == 0;
                int peers = peersFor(active.hashOf(slot));
                if (peers != 0) {
                    add(nowNs, slot, known ? FlowRecord.KIND_UPDATE : FlowRecord.KIND_FULL, peers, true);
                }
                budget--;
            }
        }
        // deletions after the changes: a flow removed and re-created in one interval is deleted at its old version
        // only, the new one outranks it (versions decide, not arrival order). They go to every member: a deletion
        // carries no bucket, and a node that holds no replica only counts it.
        for (int n; budget > 0 && canAdd(knownMembers) && (n = conntrack.deleted().poll(record, 0)) > 0; budget--) {
            appendAll(n, -1, knownMembers);
            deletesSent++;
        }
        sendAll(knownMembers);
        boolean visitsCut = false;
        int peers = bulkPeers & knownMembers;
        if (bulkPeers != 0 && peers == 0) {
            bulkPeers = 0; // every peer it was for has left the ring: it gets a fresh one when it returns
            bulkWithReplicas = false;
        } else if (bulkPeers != 0) {
            FlowTable standby = conntrack.standby();
            // the cursor walks the active store, then (for a joining peer) the standby store
            int end = active.capacity() + (bulkWithReplicas ? standby.capacity() : 0);
            bulkCursor = nextBulkSlot(bulkCursor, active, standby, end);
            while (budget > 0 && visits-- > 0 && canAdd(peers) && bulkCursor < end) {
                if (bulkCursor < active.capacity()) {
                    if (!active.local(bulkCursor)) {
                        int to = peersFor(active.hashOf(bulkCursor)) & peers;
                        if (to != 0) {
                            add(nowNs, bulkCursor, FlowRecord.KIND_FULL, to, false);
                            budget--;
                        }
                    }
                } else {
                    int slot = bulkCursor - active.capacity();
                    int to = peersFor(standby.hashOf(slot)) & peers;
                    int n = to == 0 ? 0 : conntrack.exportRecord(standby, slot, FlowRecord.KIND_FULL, nowNs, record, 0);
                    if (n > 0) { // a replica as it is: its version is the owner's, the receiver keeps the newest
                        appendAll(n, -1, to); // -1: not one of our active flows, nothing waits for its ack
                        budget--;
                    }
                }
                bulkCursor = nextBulkSlot(bulkCursor + 1, active, standby, end);
            }
            sendAll(peers);
            if (bulkCursor >= end && minRoom(peers) > 0) {
                for (int peer = 0; peer < nodeCount; peer++) {
                    if ((peers & (1 << peer)) != 0) {
                        bulkEndId[peer] = member.sendReliable(peer, CHANNEL_FLOWS, true, BULK_END);
                        bulkEndPending |= 1 << peer;
                    }
                }
                bulkPeers = 0;
                bulkWithReplicas = false;
            }
            visitsCut = visits <= 0 && bulkCursor < end && canAdd(peers);
        }
        sliceLeft = budget;
        return budget == 0 || visitsCut;
    }

    /** The first used slot at or after {@code cursor} in the bulk's walk (active store, then standby), or end. */
    private static int nextBulkSlot(int cursor, FlowTable active, FlowTable standby, int end) {
        if (cursor < active.capacity()) {
            cursor = active.nextUsed(cursor);
            if (cursor < active.capacity()) {
                return cursor;
            }
        }
        return cursor >= end ? end : Math.min(end, active.capacity() + standby.nextUsed(cursor - active.capacity()));
    }

    private void resetRoom(int peers) {
        for (int peer = 0; peer < nodeCount; peer++) {
            messagesLeft[peer] = (peers & (1 << peer)) != 0 ? member.sendRoom(peer) : 0;
        }
    }

    /**
     * True if one more record can be placed for every peer in {@code peers} without building a batch that cannot be
     * sent: the message layer's queue is bounded, and a record taken from the dirty queue must not be lost for
     * want of room.
     */
    private boolean canAdd(int peers) {
        for (int m = peers; m != 0; m &= m - 1) {
            int peer = Integer.numberOfTrailingZeros(m);
            boolean ok = batchBytes[peer] == 0 ? messagesLeft[peer] >= 1
                    : batch[peer].length - batchBytes[peer] >= FlowRecord.MAX_BYTES || messagesLeft[peer] >= 2;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code complete}: these are all the peers that should hold the flow (not a bulk transfer's subset). */
    private void add(long nowNs, int slot, int kind, int peers, boolean complete) {
        int n = conntrack.exportRecord(conntrack.active(), slot, kind, nowNs, record, 0);
        if (n <= 0) {
            return;
        }
        appendAll(n, slot, peers);
        if (kind == FlowRecord.KIND_FULL && complete) {
            conntrack.markAnnounced(slot);
        }
    }

    private void appendAll(int n, int slot, int peers) {
        for (int m = peers; m != 0; m &= m - 1) {
            append(Integer.numberOfTrailingZeros(m), n, slot);
        }
        recordsSent++;
    }

    /** Adds {@code record[0, n)} to {@code peer}'s batch; {@code slot} is the flow's active slot, or -1 for a deletion. */
    private void append(int peer, int n, int slot) {
        byte[] b = batch[peer];
        if (batchBytes[peer] + n > b.length || batchRecords[peer] == batchSlots[peer].length) {
            send(peer);
        }
        if (batchBytes[peer] == 0) {
            b[0] = FlowRecord.FORMAT;
            batchBytes[peer] = 1;
        }
        System.arraycopy(record, 0, b, batchBytes[peer], n);
        batchBytes[peer] += n;
        if (slot >= 0) {
            batchSlots[peer][batchFlows[peer]++] = slot;
        }
        batchRecords[peer]++;
    }

    private void sendAll(int peers) {
        for (int m = peers; m != 0; m &= m - 1) {
            send(Integer.numberOfTrailingZeros(m));
        }
    }

    private void send(int peer) {
        if (batchRecords[peer] == 0) {
            return;
        }
        // copied: the message layer keeps the message until it is acknowledged; one copy per packet-sized batch
        byte[] message = java.util.Arrays.copyOf(batch[peer], batchBytes[peer]);
        long id = member.sendReliable(peer, CHANNEL_FLOWS, true, message); // ordered: the end marker comes last
        sentFlows.sent(peer, id, batchSlots[peer], batchFlows[peer]);
        if (id == SendResult.QUEUE_FULL) {
            startBulk(1 << peer, BULK_SEND_FAILURE); // canAdd keeps this from happening; should it, a bulk transfer repairs it
        }
        messagesLeft[peer]--;
        messagesSent++;
        batchRecords[peer] = 0;
        batchFlows[peer] = 0;
        batchBytes[peer] = 0;
    }

    /** Room in the message queue of every peer in {@code peers}. */
    private int minRoom(int peers) {
        int room = Integer.MAX_VALUE;
        for (int peer = 0; peer < nodeCount; peer++) {
            if ((peers & (1 << peer)) != 0) {
                room = Math.min(room, member.sendRoom(peer));
            }
        }
        return room == Integer.MAX_VALUE ? 0 : room;
    }

    /** Whether {@code messageId} is the unacknowledged end marker of this node's bulk transfer to {@code peer}. */
    private boolean isPendingBulkEnd(int peer, long messageId) {
        return (bulkEndPending & (1 << peer)) != 0 && bulkEndId[peer] == messageId;
    }

    @Override
    public void onDelivered(long nowNs, int peer, long messageId) {
        if (isPendingBulkEnd(peer, messageId)) {
            bulkEndPending &= ~(1 << peer);
        }
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
        if ((message.length > 1 && message[0] == FlowRecord.FORMAT) || isPendingBulkEnd(peer, messageId)) {
            bulkEndPending &= ~(1 << peer);
            startBulk(1 << peer, BULK_SEND_FAILURE); // what it missed comes again with a bulk transfer once it answers
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

    /** Batches sent (one per peer: each peer gets only its buckets' records). */
    long messagesSent() {
        return messagesSent;
    }

    long recordsImported() {
        return recordsImported;
    }

    /** Bulk transfers started for {@code cause} ({@link #BULK_JOINED} ...). */
    long bulkTransfers(int cause) {
        return bulkStarts[cause];
    }

    long deletesSent() {
        return deletesSent;
    }
}
