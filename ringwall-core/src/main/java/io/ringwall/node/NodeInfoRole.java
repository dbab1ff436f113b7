package io.ringwall.node;

import io.ringwall.ring.Carriage;
import io.ringwall.ring.TokenRing;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The node-info carriage (SPEC §4: per-node monitor status and configuration version). Each member, while it
 * holds the token, writes its own entry: its configuration digest ({@link ConfigDigest}) and its monitor status.
 * A member whose digest differs from this node's is reported (log once per change, and in the status): the
 * nodes run different files, and nothing is merged or adopted automatically — an operator has to fix the files.
 */
final class NodeInfoRole implements ClusterRole {
    static final int CARRIAGE_NODE_INFO = 6;
    /** Monitor status "ok". Placeholder: the health monitors of SPEC §8 do not exist yet, so every node reports ok. */
    static final int MONITOR_OK = 0;
    /** Entry: node id (1 byte), monitor status (1 byte), configuration digest (8 bytes). */
    private static final int ENTRY_BYTES = 2 + Long.BYTES;
    private static final int MAX_NODES = 16;

    private final ClusterSettings settings;
    private final Effects effects;
    private final long digest;
    /** Latest entry per node from the train; reported[n] says whether digests[n] is valid. */
    private final long[] digests = new long[MAX_NODES];
    private final int[] monitors = new int[MAX_NODES];
    private final boolean[] reported = new boolean[MAX_NODES];
    /** The digest of node n last logged as a mismatch (so each change is logged once); valid when logged[n]. */
    private final long[] loggedDigest = new long[MAX_NODES];
    private final boolean[] logged = new boolean[MAX_NODES];
    private List<Carriage> lastTrain;
    private long lastOfferSequence = -1;

    NodeInfoRole(ClusterSettings settings, NodeConfig config, Effects effects) {
        this.settings = settings;
        this.effects = effects;
        this.digest = ConfigDigest.of(config, settings);
    }

    @Override
    public void afterRingEvent(long nowNs, TokenRing ring) {
        if (ring.train() != lastTrain) { // the train is immutable: a new list is a new train
            lastTrain = ring.train();
            read(ring);
        }
        if (ring.isHolder() && ring.sequence() != lastOfferSequence) {
            lastOfferSequence = ring.sequence();
            writeOwnEntry(ring);
        }
    }

    private void read(TokenRing ring) {
        for (Carriage c : ring.train()) {
            if (c.type() == CARRIAGE_NODE_INFO) {
                java.util.Arrays.fill(reported, false);
                ByteBuffer b = ByteBuffer.wrap(c.payload());
                while (b.remaining() >= ENTRY_BYTES) {
                    int node = b.get() & 0xFF;
                    int monitor = b.get() & 0xFF;
                    long d = b.getLong();
                    if (node < settings.members().size()) {
                        reported[node] = true;
                        monitors[node] = monitor;
                        digests[node] = d;
                    }
                }
                checkMismatches(ring.members());
            }
        }
    }

    private void checkMismatches(int members) {
        for (int n = 0; n < settings.members().size(); n++) {
            boolean differs = reported[n] && (members & (1 << n)) != 0 && digests[n] != digest;
            if (differs && (!logged[n] || loggedDigest[n] != digests[n])) {
                logged[n] = true;
                loggedDigest[n] = digests[n];
                effects.log("config-mismatch", "config mismatch: node " + settings.members().get(n).name()
                        + " has config digest " + hex(digests[n]) + ", this node " + hex(digest)
                        + " (the nodes run different cluster files; nothing is merged)");
            } else if (!differs && logged[n] && reported[n] && digests[n] == digest) {
                logged[n] = false;
                effects.log("config-match", "node " + settings.members().get(n).name() + " now has this node's config digest "
                        + hex(digest));
            }
        }
    }

    /** The holder puts its own entry on the train and drops the entries of nodes no longer in the ring. */
    private void writeOwnEntry(TokenRing ring) {
        int self = settings.selfId();
        int keep = ring.members();
        boolean current = reported[self] && digests[self] == digest && monitors[self] == MONITOR_OK;
        boolean stale = false;
        for (int n = 0; n < settings.members().size(); n++) {
            stale |= reported[n] && (keep & (1 << n)) == 0;
        }
        if (current && !stale) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(ENTRY_BYTES * settings.members().size());
        for (int n = 0; n < settings.members().size(); n++) {
            if (n == self) {
                out.put((byte) n).put((byte) MONITOR_OK).putLong(digest);
            } else if (reported[n] && (keep & (1 << n)) != 0) {
                out.put((byte) n).put((byte) monitors[n]).putLong(digests[n]);
            }
        }
        ring.offerCarriageUpdate(CARRIAGE_NODE_INFO, java.util.Arrays.copyOf(out.array(), out.position()));
    }

    /** Ring members whose configuration digest differs from this node's (for the status). */
    List<NodeStatus.ConfigMismatch> mismatches(int members) {
        List<NodeStatus.ConfigMismatch> out = new ArrayList<>();
        for (int n = 0; n < settings.members().size(); n++) {
            if (reported[n] && (members & (1 << n)) != 0 && digests[n] != digest) {
                out.add(new NodeStatus.ConfigMismatch(settings.members().get(n).name(), hex(digests[n]), hex(digest)));
            }
        }
        return out;
    }

    long digest() {
        return digest;
    }

    static String hex(long d) {
        return HexFormat.of().toHexDigits(d);
    }
}
