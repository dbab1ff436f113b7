package io.ringwall.node;

import io.ringwall.ring.TokenRing;
import java.util.List;

/** Several roles behind one {@link ClusterRole}: each sees every ring event and every message. */
final class ClusterRoles implements ClusterRole {
    private final List<ClusterRole> roles;

    ClusterRoles(List<ClusterRole> roles) {
        this.roles = List.copyOf(roles);
    }

    @Override
    public void afterRingEvent(long nowNs, TokenRing ring) {
        for (ClusterRole r : roles) {
            r.afterRingEvent(nowNs, ring);
        }
    }

    @Override
    public void onMessage(long nowNs, int peer, int channel, byte[] message) {
        for (ClusterRole r : roles) {
            r.onMessage(nowNs, peer, channel, message);
        }
    }

    @Override
    public void onSendFailure(long nowNs, int peer, long messageId, byte[] message) {
        for (ClusterRole r : roles) {
            r.onSendFailure(nowNs, peer, messageId, message);
        }
    }

    @Override
    public void onDelivered(long nowNs, int peer, long messageId) {
        for (ClusterRole r : roles) {
            r.onDelivered(nowNs, peer, messageId);
        }
    }

    @Override
    public boolean mayJoin(TokenRing ring, int node) {
        for (ClusterRole r : roles) {
            if (!r.mayJoin(ring, node)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long nextDeadlineNs() {
        long next = Long.MAX_VALUE;
        for (ClusterRole r : roles) {
            next = Math.min(next, r.nextDeadlineNs());
        }
        return next;
    }
}
