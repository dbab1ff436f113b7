package io.ringwall.dataplane;

/**
 * Which cluster node handles each flow bucket, as the data plane sees it (SPEC §5.1): a packet whose bucket
 * another node owns is passed to that node on the segment it arrived on, by rewriting the destination MAC to the
 * owner's own address there, or, when the owner cannot be reached there, encapsulated over the cluster link
 * ({@link FrameTunnel}). Written by the cluster roles, read per packet; single-threaded like the pipeline.
 */
public final class FlowDistribution {
    /** The packet is handled here. */
    public static final int HERE = -1;
    private static final int MAX_BUCKETS = 1 << 16;

    private final int self;
    /** Per interface and node: the node's own address on that interface's subnet (0: none). */
    private final int[][] peerAddress;
    /** Per interface and node: the node's MAC there as last seen in its ARP (0: not seen), to know its frames. */
    private final long[][] peerMac;
    /** Per interface and node: the cluster link says the node cannot be reached on that interface's segment. */
    private final boolean[][] segmentDown;
    private int buckets;
    /** Per bucket: the node to pass it to, or HERE. */
    private final byte[] handler;
    /** Per bucket: the other nodes that hold its flows (owner and backups, never this node). */
    private final short[] replicas;
    private long redirected;
    private long handledForPeerUnreachable;
    private long redirectLoopsAvoided;
    /** Whether the installed map has buckets on more than one node (active/active): frames may be passed on. */
    private boolean shared;

    public FlowDistribution(int self, int[][] peerAddressByInterfaceAndNode, int maxBuckets) {
        if (maxBuckets < 1 || maxBuckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("buckets must be 1.." + MAX_BUCKETS);
        }
        this.self = self;
        this.peerAddress = new int[peerAddressByInterfaceAndNode.length][];
        for (int i = 0; i < peerAddress.length; i++) {
            peerAddress[i] = peerAddressByInterfaceAndNode[i].clone();
        }
        this.peerMac = new long[peerAddress.length][peerAddress.length == 0 ? 0 : peerAddress[0].length];
        this.segmentDown = new boolean[peerAddress.length][peerAddress.length == 0 ? 0 : peerAddress[0].length];
        this.handler = new byte[maxBuckets];
        this.replicas = new short[maxBuckets];
    }

    /**
     * Installs a map: {@code owners[b]} is bucket b's owner (node id), or -1 for none (then it is handled here);
     * {@code holders[b]} the node mask of every node holding its flows (owner and backups).
     */
    public void install(int bucketCount, int[] owners, int[] holders) {
        if (bucketCount < 1 || bucketCount > handler.length) {
            throw new IllegalArgumentException("bucket count outside 1.." + handler.length);
        }
        for (int b = 0; b < bucketCount; b++) {
            handler[b] = (byte) (owners[b] == self || owners[b] < 0 ? HERE : owners[b]);
            replicas[b] = (short) (holders[b] & ~(1 << self));
        }
        shared = false;
        for (int b = 1; b < bucketCount && !shared; b++) {
            shared = handler[b] != handler[0];
        }
        buckets = bucketCount;
    }

    /** Back to handling every packet here (no quorate map). */
    public void clear() {
        buckets = 0;
        shared = false;
    }

    /**
     * Whether flows are handled by more than one node under the installed map (active/active, or a hand-over in
     * progress): only then may frames be passed between nodes.
     */
    public boolean shared() {
        return shared;
    }

    /** The node that handles flows of this symmetric hash, or {@link #HERE}. */
    public int handlerOf(int symmetricHash) {
        return buckets == 0 ? HERE : handler[Integer.remainderUnsigned(symmetricHash, buckets)];
    }

    /** The other nodes that must hold flows of this symmetric hash (-1: every peer, no map yet). */
    public int replicasOf(int symmetricHash) {
        return buckets == 0 ? -1 : replicas[Integer.remainderUnsigned(symmetricHash, buckets)] & 0xFFFF;
    }

    /** {@code node}'s address on the subnet of {@code ifIndex}, or 0 when it has none there. */
    public int addressOf(int ifIndex, int node) {
        int[] row = ifIndex < peerAddress.length ? peerAddress[ifIndex] : null;
        return row == null || node < 0 || node >= row.length ? 0 : row[node];
    }

    /**
     * Whether {@code node} is known not to be reachable on the segment of {@code ifIndex} although the cluster hears
     * from it on another (set by the node's path monitor): frames for it arriving there travel encapsulated.
     */
    public void setSegmentDown(int ifIndex, int node, boolean down) {
        if (ifIndex >= 0 && ifIndex < segmentDown.length && node >= 0 && node < segmentDown[ifIndex].length) {
            segmentDown[ifIndex][node] = down;
        }
    }

    /** Whether {@code node} is marked unreachable on the segment of {@code ifIndex} ({@link #setSegmentDown}). */
    public boolean segmentDown(int ifIndex, int node) {
        return ifIndex >= 0 && ifIndex < segmentDown.length && node >= 0 && node < segmentDown[ifIndex].length
                && segmentDown[ifIndex][node];
    }

    /** An ARP packet from {@code ip} on {@code ifIndex} carried {@code mac}: remembered if it is another member. */
    void noteNeighbour(int ifIndex, int ip, long mac) {
        int[] row = ifIndex < peerAddress.length ? peerAddress[ifIndex] : null;
        for (int n = 0; row != null && n < row.length; n++) {
            if (n != self && row[n] == ip) {
                peerMac[ifIndex][n] = mac;
            }
        }
    }

    /** Whether a frame with source {@code mac} on {@code ifIndex} came from another member. */
    boolean fromPeer(int ifIndex, long mac) {
        long[] row = ifIndex < peerMac.length ? peerMac[ifIndex] : null;
        for (int n = 0; row != null && n < row.length; n++) {
            if (row[n] == mac && mac != 0 && n != self) {
                return true;
            }
        }
        return false;
    }

    void countRedirected() {
        redirected++;
    }

    void countPeerUnreachable() {
        handledForPeerUnreachable++;
    }

    void countLoopAvoided() {
        redirectLoopsAvoided++;
    }

    /** Frames passed to the bucket owner on the segment they arrived on. */
    public long redirected() {
        return redirected;
    }

    /**
     * Frames handled here although another node owns their bucket: it could not be reached on their segment (no
     * address there, MAC not known yet, or the segment marked down) and not over the cluster link either.
     */
    public long handledForPeerUnreachable() {
        return handledForPeerUnreachable;
    }

    /** Frames another node passed here whose bucket this node thinks that node (or a third) owns: handled here. */
    public long redirectLoopsAvoided() {
        return redirectLoopsAvoided;
    }
}
