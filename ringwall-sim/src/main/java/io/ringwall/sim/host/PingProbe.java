package io.ringwall.sim.host;

/** One echo request a host sent, and what came back (reply time or an ICMP error, or nothing). */
public final class PingProbe {
    private final int dstIp;
    private final int ttl;
    private final int identifier;
    private final int sequence;
    private final long sentNs;
    private long replyNs = -1;
    private IcmpError error;

    PingProbe(int dstIp, int ttl, int identifier, int sequence, long sentNs) {
        this.dstIp = dstIp;
        this.ttl = ttl;
        this.identifier = identifier;
        this.sequence = sequence;
        this.sentNs = sentNs;
    }

    void replied(long nowNs) {
        if (replyNs < 0) {
            replyNs = nowNs;
        }
    }

    void failed(IcmpError e) {
        if (error == null) {
            error = e;
        }
    }

    public int dstIp() {
        return dstIp;
    }

    public int ttl() {
        return ttl;
    }

    public int identifier() {
        return identifier;
    }

    public int sequence() {
        return sequence;
    }

    public long sentNs() {
        return sentNs;
    }

    public boolean answered() {
        return replyNs >= 0;
    }

    /** Round-trip time, or -1 if no reply arrived. */
    public long rttNs() {
        return replyNs < 0 ? -1 : replyNs - sentNs;
    }

    /** The ICMP error this probe drew (e.g. time exceeded for a small TTL), or null. */
    public IcmpError error() {
        return error;
    }
}
