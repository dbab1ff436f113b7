package io.ringwall.vip;

/** One node's load as carried on the train (seed 003's "Operational Data": NIC byte rate and friends). */
public record NodeLoad(long bytesPerSecond, long packetsPerSecond, long flows) {
    public static final NodeLoad IDLE = new NodeLoad(0, 0, 0);

    public NodeLoad {
        if (bytesPerSecond < 0 || packetsPerSecond < 0 || flows < 0) {
            throw new IllegalArgumentException("negative load");
        }
    }
}
