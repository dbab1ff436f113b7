package io.ringwall.node;

import io.ringwall.dataplane.ForwardingPipeline;
import io.ringwall.ring.TokenRing;
import io.ringwall.wire.ByteArrays;
import java.util.function.BiConsumer;

/**
 * Shares the next hops this node has resolved (IPv4 → MAC) with the other members, so a node that takes over VIPs or
 * buckets forwards their next packets at once instead of resolving every next hop first. Measured with tcpdump on
 * real nodes during a drain: the new owner ARPed for the server and then for the client; each answer came within
 * 0.1 ms, yet the frames waiting for them left 3–7 ms after the takeover, a third of the probe's gap.
 * <p>The table goes to every other member when a MAC was learned or changed here, or the ring has a new epoch (a
 * member joined, a restarted one too, or the ring was regenerated), at most once per {@link #SHARE_INTERVAL_NS}. A
 * receiver learns an entry only if it lies on one of its own links, is none of its own addresses, and is not resolved
 * there already (its own answer wins; {@code DataplaneCounters.neighboursFromPeers} counts what it learned).
 * Entries ride the sealed cluster channel, so they are as trustworthy as the node's own ARP learning.
 * <p>Message (channel {@link #CHANNEL_NEIGHBOURS}): u16 count, then count × (u32 IPv4, u48 MAC), big-endian.
 */
final class NeighbourShareRole implements ClusterRole {
    static final int CHANNEL_NEIGHBOURS = 4;
    /** Most neighbours in one message (40 KB; the reliable layer splits it into packets). */
    static final int MAX_ENTRIES = 4096;
    static final long SHARE_INTERVAL_NS = 1_000_000_000L;
    private static final int HEADER_BYTES = Short.BYTES;
    private static final int ENTRY_BYTES = Integer.BYTES + 6;
    private static final long NEVER = -1;

    private final ForwardingPipeline pipeline;
    private final BiConsumer<String, String> log;
    private final int[] ips = new int[MAX_ENTRIES];
    private final long[] macs = new long[MAX_ENTRIES];
    private ClusterMember member;
    /** {@code macChanges} of the table last sent (-1: send again). */
    private long sharedChanges = -1;
    /** The ring epoch the table was last sent in (NEVER: not yet); a join (a restarted member too) mints a new one. */
    private long sharedEpoch = NEVER;
    private long lastShareNs;
    private boolean malformedLogged;

    NeighbourShareRole(ForwardingPipeline pipeline, BiConsumer<String, String> log) {
        this.pipeline = pipeline;
        this.log = log;
    }

    void attach(ClusterMember clusterMember) {
        this.member = clusterMember;
    }

    @Override
    public void afterRingEvent(long nowNs, TokenRing ring) {
        if (member == null || !ring.inRing()) {
            return;
        }
        long changes = pipeline.neighbours().macChanges();
        boolean news = changes != sharedChanges || ring.epoch() != sharedEpoch;
        boolean alone = Integer.bitCount(ring.members()) < 2;
        if (!news || alone || (sharedEpoch != NEVER && nowNs - lastShareNs < SHARE_INTERVAL_NS)) {
            return;
        }
        int n = pipeline.neighbours().resolved(ips, macs, nowNs);
        if (n == 0) {
            return;
        }
        member.sendReliableToRing(CHANNEL_NEIGHBOURS, encode(n));
        sharedChanges = changes;
        sharedEpoch = ring.epoch();
        lastShareNs = nowNs;
    }

    private byte[] encode(int n) {
        byte[] out = new byte[HEADER_BYTES + n * ENTRY_BYTES];
        ByteArrays.putShort(out, 0, n);
        for (int i = 0; i < n; i++) {
            int at = HEADER_BYTES + i * ENTRY_BYTES;
            ByteArrays.putInt(out, at, ips[i]);
            ByteArrays.putShort(out, at + Integer.BYTES, (int) (macs[i] >>> 32));
            ByteArrays.putInt(out, at + Integer.BYTES + Short.BYTES, (int) macs[i]);
        }
        return out;
    }

    @Override
    public void onMessage(long nowNs, int peer, int channel, byte[] message) {
        if (channel != CHANNEL_NEIGHBOURS || member == null) {
            return;
        }
        int count = message.length >= HEADER_BYTES ? ByteArrays.getShort(message, 0) : -1;
        if (count < 0 || count > MAX_ENTRIES || message.length != HEADER_BYTES + count * ENTRY_BYTES) {
            if (!malformedLogged) {
                malformedLogged = true;
                log.accept("neighbours-malformed", "from node " + peer + ": " + message.length
                        + " bytes; dropped (further ones are dropped without a log line)");
            }
            return;
        }
        if ((member.ring().members() & (1 << peer)) == 0) {
            return; // only a member of this node's ring speaks for the segments it shares with it
        }
        for (int i = 0; i < count; i++) {
            int at = HEADER_BYTES + i * ENTRY_BYTES;
            long mac = ((long) ByteArrays.getShort(message, at + Integer.BYTES) << 32)
                    | (ByteArrays.getInt(message, at + Integer.BYTES + Short.BYTES) & 0xFFFF_FFFFL);
            pipeline.learnNeighbourFromPeer(nowNs, ByteArrays.getInt(message, at), mac);
        }
    }

    @Override
    public void onSendFailure(long nowNs, int peer, long messageId, byte[] message) {
        sharedChanges = -1; // the next ring event after the interval sends the table again
    }
}
