package io.ringwall.node;

import io.ringwall.dataplane.DeferQueue;
import io.ringwall.ring.TokenRing;

/**
 * Connects the defer queue (SPEC §5.6) to the cluster: the peers that must acknowledge a flow are the holders of its
 * bucket among the other members of this node's ring (the pipeline names them when it holds the packet; members
 * that leave stop being waited for), which flows each replication message carries comes from
 * {@link FlowSync}, and the message layer's per-message acknowledgements release the packets.
 * A failed message releases nothing (the held packets wait for their timeout: a failure says the peer is
 * unreachable, not that it left), and the node asks the queue for its deadlines itself.
 */
final class FlowDefer implements ClusterRole, FlowSync.SentFlows {
    private final int self;
    private final DeferQueue queue;
    private int peers = -1;

    FlowDefer(int self, DeferQueue queue) {
        this.self = self;
        this.queue = queue;
    }

    @Override
    public void afterRingEvent(long nowNs, TokenRing ring) {
        int now = ring.inRing() ? ring.members() & ~(1 << self) : 0;
        if (now != peers) {
            peers = now; // a peer that left will never acknowledge: its held packets stop waiting for it
            queue.setPeers(now);
        }
    }

    @Override
    public void sent(int peer, long messageId, int[] slots, int count) {
        queue.sent(peer, messageId, slots, count);
    }

    @Override
    public void onDelivered(long nowNs, int peer, long messageId) {
        queue.delivered(peer, messageId);
    }
}
