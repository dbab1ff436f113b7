package io.ringwall.conntrack;

import java.util.function.IntPredicate;

/**
 * Connection tracking for one node: the {@code active} store (flows this node handles; the only one searched
 * per packet) and the {@code standby} store (replicas of flows handled by other nodes).
 * Single writer (the data-plane loop); no allocation per packet.
 */
public final class Conntrack {
    /** Slots examined per early drop, like netfilter's bounded early_drop scan. */
    public static final int EARLY_DROP_CANDIDATES = 64;
    public static final int IMPORT_MALFORMED = -1;
    public static final int IMPORT_STALE = -2;
    public static final int IMPORT_FULL = -3;

    private static final int PROTO_ICMP = 1;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int PROTO_ICMPV6 = 58;

    private final FlowTable active;
    private final FlowTable standby;
    private final long[] timeoutNs;
    private final ConntrackCounters counters;
    private final FlowKey scratch = new FlowKey();
    /** Decoded fields of the replica being imported (reused: no allocation per record). */
    private final FlowRecord incoming = new FlowRecord();
    private int lastSlot = -1;
    private boolean lastFromOriginator = true;

    private final DirtyFlows dirty;
    private final DeletedFlows deleted;
    /**
     * Highest flow version this node has assigned or imported (a Lamport clock): a new flow takes the next one, so
     * a flow re-created with the same 5-tuple, here or on any node that saw the old one, outranks the old replica.
     */
    private long versionClock;
    /** Per active slot and direction, td_end when the flow was last queued for sync (window-advance trigger). */
    private final int[] syncedEnd;
    /** Deletion records queued at most (a burst of expiries beyond this falls back to a full sync). */
    static final int MAX_QUEUED_DELETES = 1 << 16;

    public Conntrack(ConntrackConfig config) {
        active = new FlowTable("active", config.activeCapacity());
        standby = new FlowTable("standby", config.standbyCapacity());
        timeoutNs = config.timeoutsByState();
        counters = new ConntrackCounters(active, standby);
        dirty = new DirtyFlows(config.activeCapacity());
        deleted = new DeletedFlows(Math.min(config.activeCapacity(), MAX_QUEUED_DELETES));
        syncedEnd = new int[config.activeCapacity() * 2];
    }

    /**
     * Marks the flow in active slot {@code slot} (just created) as not replicated: a {@code sync off} rule (SPEC
     * §5.6). Its creation, changes and deletion stay on this node, and bulk and full syncs skip it.
     */
    public void keepLocal(int slot) {
        if (active.used(slot) && !active.local(slot)) {
            active.setLocal(slot); // already queued as dirty by create: the replication role skips local slots
        }
    }

    /** Active flows changed since the last sync (for replication). */
    public DirtyFlows dirty() {
        return dirty;
    }

    /** Active flows removed since the last sync, as deletion records (for replication). */
    public DeletedFlows deleted() {
        return deleted;
    }

    /** Removes an active flow and queues its deletion for the peers. */
    private void removeActive(int slot) {
        if (active.used(slot)) {
            versionClock = Math.max(versionClock, active.version[slot] + 1); // the deletion's version, below any re-creation
            if (!active.local(slot)) { // peers never had a sync-off flow
                deleted.add(active, slot);
            }
            active.remove(slot);
        }
    }

    public FlowTable active() { return active; }

    /** True once peers were sent the active flow's full record (later changes may then travel as updates). */
    public boolean announced(int slot) { return active.announced(slot); }
    public void markAnnounced(int slot) { active.setAnnounced(slot); }
    public FlowTable standby() { return standby; }
    public ConntrackCounters counters() { return counters; }
    /** Slot of the flow the last {@link #classify} found (or {@link #create} made); -1 if none. */
    public int lastSlot() { return lastSlot; }
    public boolean lastFromOriginator() { return lastFromOriginator; }

    /**
     * Existing flow: tracks the packet and returns ESTABLISHED, or INVALID (nothing changes).
     * No flow: NEW if the packet may start one, else INVALID; changes nothing (except reaping a flow that
     * already timed out, or dropping a closed TCP flow a fresh SYN reopens).
     */
    public int classify(FlowKey key, PacketFacts facts, long nowNs) {
        return classify(key, facts, nowNs, false);
    }

    /**
     * {@link #classify} for a packet this node handles although its bucket map names another member the owner (a
     * member whose map is older passed it here, or the owner cannot be reached). With no active flow but a live
     * replica in the standby store, the packet belongs to a connection this node handed over a moment ago (the
     * member that passed it has not installed the map that made it the owner yet), or will take over: it is
     * ESTABLISHED on the replica's word and counted ({@link ConntrackCounters#forwardedOnReplica}). The replica is not
     * changed, its owner's next record is the authority, and {@link #lastSlot} stays -1. Why: a frame that crosses a
     * hand-over this way found no active flow and was dropped as INVALID (a TCP segment, NEW and then the policy's
     * for UDP), so the connection lost a packet in the very moment the hand-over promises to lose none.
     */
    public int classifyNotOwned(FlowKey key, PacketFacts facts, long nowNs) {
        return classify(key, facts, nowNs, true);
    }

    private int classify(FlowKey key, PacketFacts facts, long nowNs, boolean replicaWillDo) {
        lastSlot = -1;
        lastFromOriginator = true;
        int slot = active.lookup(key);
        if (slot >= 0 && expired(active, slot, nowNs)) {
            removeActive(slot);
            counters.expiredActive++;
            slot = -1;
        }
        if (slot < 0) {
            if (replicaWillDo) {
                int replica = standby.lookup(key);
                if (replica >= 0 && !expired(standby, replica, nowNs)) {
                    counters.forwardedOnReplica++;
                    return CtVerdict.ESTABLISHED;
                }
            }
            return noFlowVerdict(key, facts);
        }
        boolean fromOriginator = key.swapped() == active.originSwapped(slot);
        lastSlot = slot;
        lastFromOriginator = fromOriginator;
        int result = track(active, slot, fromOriginator ? FlowTable.DIR_ORIGINAL : FlowTable.DIR_REPLY, facts);
        switch (result) {
            case TcpWindow.OK, TcpWindow.STATE_CHANGED -> {
                account(active, slot, fromOriginator, facts, nowNs, result == TcpWindow.STATE_CHANGED);
                return CtVerdict.ESTABLISHED;
            }
            case TcpWindow.REOPEN -> {
                removeActive(slot);
                counters.deleted++;
                counters.reopened++;
                lastSlot = -1;
                lastFromOriginator = true;
                return noFlowVerdict(key, facts);
            }
            case TcpWindow.INVALID_WINDOW -> counters.invalidOutOfWindow++;
            default -> counters.invalidBadTransition++;
        }
        return CtVerdict.INVALID;
    }

    private int noFlowVerdict(FlowKey key, PacketFacts facts) {
        if (mayStartFlow(key.protocol(), facts)) {
            return CtVerdict.NEW;
        }
        counters.invalidNoFlow++;
        return CtVerdict.INVALID;
    }

    private static boolean mayStartFlow(int protocol, PacketFacts f) {
        return switch (protocol) {
            case PROTO_TCP -> (f.tcpFlags & (PacketFacts.TCP_SYN | PacketFacts.TCP_ACK | PacketFacts.TCP_RST
                    | PacketFacts.TCP_FIN)) == PacketFacts.TCP_SYN;
            case PROTO_UDP -> true;
            case PROTO_ICMP -> f.icmpType == PacketFacts.ICMP_ECHO_REQUEST;
            case PROTO_ICMPV6 -> f.icmpType == PacketFacts.ICMPV6_ECHO_REQUEST;
            default -> false;
        };
    }

    /**
     * After the filter accepted a NEW packet: inserts the flow into the active store (early-dropping the oldest
     * unreplied flow among {@link #EARLY_DROP_CANDIDATES} if full), tracks the first packet; slot or -1.
     */
    public int create(FlowKey key, PacketFacts facts, long nowNs) {
        int protocol = key.protocol();
        if (!mayStartFlow(protocol, facts)) {
            return -1;
        }
        int existing = active.lookup(key);
        if (existing >= 0) {
            lastSlot = existing;
            lastFromOriginator = key.swapped() == active.originSwapped(existing);
            return existing;
        }
        int initial = switch (protocol) {
            case PROTO_TCP -> FlowState.TCP_NONE;
            case PROTO_UDP -> FlowState.UDP_UNREPLIED;
            default -> FlowState.ICMP_UNREPLIED;
        };
        int slot = insertWithEarlyDrop(active, key, key.swapped(), initial);
        if (slot < 0) {
            counters.insertFailed++;
            return -1;
        }
        counters.created++;
        active.createdNs[slot] = nowNs;
        track(active, slot, FlowTable.DIR_ORIGINAL, facts);
        active.version[slot] = ++versionClock;
        markWindowsSynced(slot);
        dirty.mark(slot);
        account(active, slot, true, facts, nowNs, false);
        lastSlot = slot;
        lastFromOriginator = true;
        return slot;
    }

    private int insertWithEarlyDrop(FlowTable table, FlowKey key, boolean originSwapped, int state) {
        int slot = table.insert(key, originSwapped, state);
        if (slot < 0 && earlyDrop(table)) {
            slot = table.insert(key, originSwapped, state);
        }
        return slot;
    }

    /** Removes the oldest flow that never saw a reply among a bounded window of slots; false if none. */
    private boolean earlyDrop(FlowTable t) {
        int cap = t.capacity();
        int n = Math.min(cap, EARLY_DROP_CANDIDATES);
        int pos = t.dropCursor;
        int victim = -1;
        for (int i = 0; i < n; i++) {
            int s = pos;
            pos = pos + 1 == cap ? 0 : pos + 1;
            if (t.used(s) && !t.replied(s) && (victim < 0 || t.lastSeenNs[s] - t.lastSeenNs[victim] < 0)) {
                victim = s;
            }
        }
        t.dropCursor = pos;
        if (victim < 0) {
            return false;
        }
        if (t == active) {
            removeActive(victim);
        } else {
            t.remove(victim);
        }
        counters.earlyDropped++;
        return true;
    }

    private int track(FlowTable t, int slot, int dir, PacketFacts f) {
        int protocol = t.protocol(slot);
        if (protocol == PROTO_TCP) {
            return TcpWindow.track(t, slot, dir, f);
        }
        if (protocol == PROTO_UDP) {
            if (dir == FlowTable.DIR_REPLY && t.state(slot) == FlowState.UDP_UNREPLIED) {
                t.setState(slot, FlowState.UDP_REPLIED);
                return TcpWindow.STATE_CHANGED;
            }
            return TcpWindow.OK;
        }
        boolean v6 = protocol == PROTO_ICMPV6;
        int expected = dir == FlowTable.DIR_ORIGINAL
                ? (v6 ? PacketFacts.ICMPV6_ECHO_REQUEST : PacketFacts.ICMP_ECHO_REQUEST)
                : (v6 ? PacketFacts.ICMPV6_ECHO_REPLY : PacketFacts.ICMP_ECHO_REPLY);
        if (f.icmpType != expected) {
            return TcpWindow.INVALID_TRANSITION;
        }
        if (dir == FlowTable.DIR_REPLY && t.state(slot) == FlowState.ICMP_UNREPLIED) {
            t.setState(slot, FlowState.ICMP_REPLIED);
            return TcpWindow.STATE_CHANGED;
        }
        return TcpWindow.OK;
    }

    /** Counters, last-seen, replied flag; the version moves when replicated meaning changes (state, replied). */
    private void account(FlowTable t, int slot, boolean fromOriginator, PacketFacts f, long nowNs, boolean changed) {
        int i = slot * 2 + (fromOriginator ? 0 : 1);
        t.packets[i]++;
        t.bytes[i] += f.length;
        t.lastSeenNs[slot] = nowNs;
        if (!fromOriginator && !t.replied(slot)) {
            t.setReplied(slot);
            changed = true;
        }
        if (t == active && !changed && t.protocol(slot) == PROTO_TCP) {
            changed = windowAdvanced(slot, fromOriginator ? 0 : 1);
        }
        if (changed) {
            t.version[slot]++;
            if (t == active) {
                versionClock = Math.max(versionClock, t.version[slot]);
                markWindowsSynced(slot);
                if (!t.local(slot)) {
                    dirty.mark(slot);
                }
            }
        }
    }

    /**
     * True once a direction's td_end has moved more than a quarter of its largest window since the flow was last
     * queued (SPEC §5.3): a backup whose window lags further could refuse the connection's segments after a
     * takeover, while syncing every advance would send a record per packet.
     */
    private boolean windowAdvanced(int slot, int dir) {
        int i = TcpWindow.base(slot, dir);
        int advance = active.tcp[i + TcpWindow.END] - syncedEnd[slot * 2 + dir]; // sequence arithmetic: wraps
        return advance > Math.max(1, active.tcp[i + TcpWindow.MAX_WIN] >>> 2);
    }

    private void markWindowsSynced(int slot) {
        syncedEnd[slot * 2] = active.tcp[TcpWindow.base(slot, 0) + TcpWindow.END];
        syncedEnd[slot * 2 + 1] = active.tcp[TcpWindow.base(slot, 1) + TcpWindow.END];
    }

    private boolean expired(FlowTable t, int slot, long nowNs) {
        return nowNs - t.lastSeenNs[slot] >= timeoutNs[t.state(slot)];
    }

    /** Idle timeout currently applying to the slot (depends on its state). */
    public long timeoutNs(FlowTable t, int slot) {
        return timeoutNs[t.state(slot)];
    }

    /** ICMP error quoting a packet: the active slot of the quoted packet's flow, or -1. */
    public int lookupRelated(FlowKey innerKey) {
        return active.lookup(innerKey);
    }

    public void remove(int slot) {
        if (slot >= 0 && slot < active.capacity() && active.used(slot)) {
            removeActive(slot);
            counters.deleted++;
            if (slot == lastSlot) {
                lastSlot = -1;
            }
        }
    }

    /** Widens window checks of an active TCP flow for its next segments so stale replicated windows re-learn. */
    public void markTakenOver(int slot) {
        if (slot >= 0 && slot < active.capacity() && active.used(slot) && active.protocol(slot) == PROTO_TCP) {
            TcpWindow.markTakenOver(active, slot);
        }
    }

    /**
     * Widens the window checks of every active TCP flow (as {@link #markTakenOver}); returns how many. For a node
     * back from outside its cluster, whose flows may have moved on elsewhere. Control plane: O(active flows).
     */
    public int relearnActiveWindows() {
        int marked = 0;
        for (int s = active.nextUsed(0); s < active.capacity(); s = active.nextUsed(s + 1)) {
            if (active.protocol(s) == PROTO_TCP) {
                TcpWindow.markTakenOver(active, s);
                marked++;
            }
        }
        return marked;
    }

    /** Segments still to be accepted with widened checks in one direction (diagnostics/tests). */
    public int looseSegmentsLeft(int slot, boolean dirOriginal) {
        return TcpWindow.looseSegmentsLeft(active, slot, dirOriginal ? 0 : 1);
    }

    /**
     * Incremental expiry: examines at most {@code maxWork} slots in total (half of them in the standby store),
     * continuing where the previous call stopped; returns the number of flows removed.
     */
    public int expire(long nowNs, int maxWork) {
        int standbyWork = maxWork / 2;
        int removed = expireIn(active, nowNs, maxWork - standbyWork); // deletions queued for the peers
        int fromStandby = expireIn(standby, nowNs, standbyWork);
        counters.expiredActive += removed;
        counters.expiredStandby += fromStandby;
        return removed + fromStandby;
    }

    private int expireIn(FlowTable t, long nowNs, int work) {
        if (t.size() == 0) {
            return 0; // an idle node's tables: nothing to visit (the sweep walks cold memory)
        }
        int cap = t.capacity();
        int pos = t.expiryCursor;
        int removed = 0;
        for (int i = 0; i < Math.min(work, cap); i++) {
            if (t.used(pos) && expired(t, pos, nowNs)) {
                if (t == active) {
                    removeActive(pos);
                } else {
                    t.remove(pos);
                }
                removed++;
            }
            pos = pos + 1 == cap ? 0 : pos + 1;
        }
        t.expiryCursor = pos;
        return removed;
    }

    /**
     * Writes a flow's replication record of {@code kind} ({@link FlowRecord#KIND_FULL} or
     * {@link FlowRecord#KIND_UPDATE}); returns its length, or -1 (free slot, or fewer than
     * {@link FlowRecord#MAX_BYTES} bytes left at {@code off}).
     */
    public int exportRecord(FlowTable table, int slot, int kind, long nowNs, byte[] dst, int off) {
        return FlowRecord.encode(table, slot, kind, nowNs, dst, off);
    }

    /**
     * Imports a batch: {@link FlowRecord#FORMAT} followed by records. Returns how many records were stored. An
     * unknown format or a malformed record counts as malformed once and ends the batch (records have no length
     * prefix, so nothing after a bad one can be trusted). Never throws on bad bytes.
     */
    public int importBatch(byte[] src, int len, long nowNs) {
        if (src == null || len < 1 || len > src.length || src[0] != FlowRecord.FORMAT) {
            counters.replicasMalformed++;
            return 0;
        }
        int stored = 0;
        for (int off = 1; off < len; off += incoming.length) {
            int r = importAt(src, off, len, false, nowNs);
            if (r == IMPORT_MALFORMED) {
                break;
            }
            stored += r >= 0 ? 1 : 0;
        }
        return stored;
    }

    /**
     * Stores one replica record occupying exactly {@code src[off, off+len)} into the standby store (newer
     * versions replace older ones). Returns the standby slot, or {@link #IMPORT_MALFORMED}, {@link #IMPORT_STALE},
     * {@link #IMPORT_FULL}. Never throws on bad bytes.
     */
    public int importReplica(byte[] src, int off, int len, long nowNs) {
        if (src == null || off < 0 || len < 0 || off > src.length - len) {
            counters.replicasMalformed++;
            return IMPORT_MALFORMED;
        }
        return importAt(src, off, off + len, true, nowNs);
    }

    /** {@code exact}: the record must end at {@code end} (trailing bytes mean it is not the record framed). */
    private int importAt(byte[] src, int off, int end, boolean exact, long nowNs) {
        if (!incoming.decode(src, off, end, nowNs, scratch) || (exact && incoming.length != end - off)) {
            counters.replicasMalformed++;
            return IMPORT_MALFORMED;
        }
        versionClock = Math.max(versionClock, incoming.version);
        int existing = standby.lookup(scratch);
        if (incoming.kind == FlowRecord.KIND_DELETE) {
            if (existing < 0 || standby.version[existing] - incoming.version >= 0) {
                counters.replicasStale++; // unknown here, or re-created since: the newer flow stays
                return IMPORT_STALE;
            }
            standby.remove(existing);
            counters.replicasDeleted++;
            return existing;
        }
        if (existing >= 0) {
            if (standby.version[existing] - incoming.version >= 0) {
                counters.replicasStale++;
                return IMPORT_STALE;
            }
            if (incoming.kind == FlowRecord.KIND_UPDATE && standby.originSwapped(existing) == scratch.swapped) {
                // counters, lifetime and NAT stay as the last full record left them
                standby.setState(existing, incoming.state);
                if (incoming.replied) {
                    standby.setReplied(existing);
                }
                standby.version[existing] = incoming.version;
                standby.lastSeenNs[existing] = nowNs - incoming.idleNs;
                incoming.applyWindows(standby, existing);
                counters.replicasImported++;
                return existing;
            }
            standby.remove(existing);
        }
        // an update of a flow we never heard of (e.g. stored while this store was full) still carries all that
        // a takeover needs: keep it rather than lose the connection
        int slot = insertWithEarlyDrop(standby, scratch, scratch.swapped, incoming.state);
        if (slot < 0) {
            counters.replicasRefusedFull++;
            return IMPORT_FULL;
        }
        incoming.applyAll(nowNs, standby, slot);
        counters.replicasImported++;
        return slot;
    }

    /**
     * Moves standby entries whose symmetric hash matches (e.g. {@code h -> owned.get(h % 1024)}) into the active
     * store and widens their TCP windows (replicas lag by up to one sync interval). An entry whose key is already
     * active is dropped from standby; one that does not fit stays in standby. Control plane: O(standby capacity).
     */
    public int promote(IntPredicate symmetricHashFilter) {
        int moved = transfer(standby, active, symmetricHashFilter, true);
        counters.promoted += moved;
        return moved;
    }

    /** Moves matching active entries to standby (this node stops handling them); replaces older standby copies. */
    public int demote(IntPredicate symmetricHashFilter) {
        int moved = transfer(active, standby, symmetricHashFilter, false);
        counters.demoted += moved;
        return moved;
    }

    private int transfer(FlowTable from, FlowTable to, IntPredicate filter, boolean takeover) {
        int moved = 0;
        for (int s = from.nextUsed(0); s < from.capacity(); s = from.nextUsed(s + 1)) {
            if (!filter.test(from.hash[s])) {
                continue;
            }
            from.keyOf(s, scratch);
            int there = to.lookup(scratch);
            if (there >= 0) {
                if (takeover) { // the local active flow is authoritative
                    from.remove(s);
                    continue;
                }
                to.remove(there);
            }
            int slot = to.insertCopy(from, s, scratch);
            if (slot < 0) {
                counters.transferFailedFull++;
                continue;
            }
            from.remove(s);
            if (takeover) {
                markTakenOver(slot);
            }
            moved++;
        }
        return moved;
    }
}
