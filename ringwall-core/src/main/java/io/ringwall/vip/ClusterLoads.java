package io.ringwall.vip;

import java.util.Arrays;

/**
 * The per-node load carriage: the latest load each node reported (node ids 0..15). A node that has not
 * reported reads as {@link NodeLoad#IDLE}; {@link #reported(int)} tells the two apart. Immutable.
 */
public final class ClusterLoads {
    public static final ClusterLoads NONE = new ClusterLoads(new NodeLoad[VipTable.MAX_NODES]);

    private final NodeLoad[] byNode;

    private ClusterLoads(NodeLoad[] byNode) {
        this.byNode = byNode;
    }

    public NodeLoad get(int node) {
        NodeLoad l = byNode[node];
        return l == null ? NodeLoad.IDLE : l;
    }

    public boolean reported(int node) {
        return byNode[node] != null;
    }

    /** Bit {@code i} set = node {@code i} has reported. */
    public int reportedMask() {
        int mask = 0;
        for (int i = 0; i < byNode.length; i++) {
            if (byNode[i] != null) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    /** This carriage with {@code node}'s entry replaced (each node updates its own entry when it holds the token). */
    public ClusterLoads with(int node, NodeLoad load) {
        NodeLoad[] copy = byNode.clone();
        copy[node] = load;
        return new ClusterLoads(copy);
    }

    /** This carriage without {@code node}'s entry (e.g. when it left). */
    public ClusterLoads without(int node) {
        return with(node, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterLoads other && Arrays.equals(byNode, other.byNode);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(byNode);
    }

    @Override
    public String toString() {
        return "ClusterLoads" + Arrays.toString(byNode);
    }
}
