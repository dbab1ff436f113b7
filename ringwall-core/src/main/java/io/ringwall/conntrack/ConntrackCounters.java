package io.ringwall.conntrack;

/**
 * Connection-tracking counters. Written only by the data-plane loop that owns the {@link Conntrack};
 * other threads should read them through a snapshot taken by that loop.
 */
public final class ConntrackCounters {
    private final FlowTable active;
    private final FlowTable standby;

    long created;
    long deleted;
    long reopened;
    long expiredActive;
    long expiredStandby;
    long earlyDropped;
    long insertFailed;
    long invalidNoFlow;
    long invalidOutOfWindow;
    long invalidBadTransition;
    long replicasImported;
    long replicasStale;
    /** Standby replicas removed by a peer's deletion record. */
    long replicasDeleted;
    long replicasMalformed;
    long replicasRefusedFull;
    long promoted;
    long demoted;
    long transferFailedFull;
    long forwardedOnReplica;

    ConntrackCounters(FlowTable active, FlowTable standby) {
        this.active = active;
        this.standby = standby;
    }

    public long created() { return created; }
    /** Removed explicitly ({@link Conntrack#remove}) or because a SYN reopened a closed flow. */
    public long deleted() { return deleted; }
    public long reopened() { return reopened; }
    public long expiredActive() { return expiredActive; }
    public long expiredStandby() { return expiredStandby; }
    public long expired() { return expiredActive + expiredStandby; }
    public long earlyDropped() { return earlyDropped; }
    /** Creations refused because the active store was full and nothing could be early-dropped. */
    public long insertFailed() { return insertFailed; }
    /** Packets with no flow that may not start one (e.g. a bare ACK). */
    public long invalidNoFlow() { return invalidNoFlow; }
    public long invalidOutOfWindow() { return invalidOutOfWindow; }
    /** TCP flags impossible in the flow's state, or a non-echo ICMP on an echo flow. */
    public long invalidBadTransition() { return invalidBadTransition; }
    public long invalid() { return invalidNoFlow + invalidOutOfWindow + invalidBadTransition; }
    public long replicasImported() { return replicasImported; }
    /** Replicas ignored because the standby store already held the same or a newer version. */
    public long replicasStale() { return replicasStale; }
    public long replicasDeleted() { return replicasDeleted; }
    public long replicasMalformed() { return replicasMalformed; }
    public long replicasRefusedFull() { return replicasRefusedFull; }
    public long promoted() { return promoted; }
    public long demoted() { return demoted; }
    /** Promotions/demotions that found the target store full (the entry stays where it was). */
    public long transferFailedFull() { return transferFailedFull; }
    /** Packets of a bucket another member owns, passed on here and let through on this node's replica of the flow. */
    public long forwardedOnReplica() { return forwardedOnReplica; }
    public int activeCount() { return active.size(); }
    public int standbyCount() { return standby.size(); }

    @Override
    public String toString() {
        return "conntrack active=" + activeCount() + " standby=" + standbyCount() + " created=" + created
                + " deleted=" + deleted + " expired=" + expired() + " early_drop=" + earlyDropped
                + " insert_failed=" + insertFailed + " invalid(no_flow=" + invalidNoFlow + " window=" + invalidOutOfWindow
                + " transition=" + invalidBadTransition + ") replicas(imported=" + replicasImported + " stale="
                + replicasStale + " deleted=" + replicasDeleted + " malformed=" + replicasMalformed + " full=" + replicasRefusedFull + ") promoted="
                + promoted + " demoted=" + demoted + " forwarded_on_replica=" + forwardedOnReplica;
    }
}
