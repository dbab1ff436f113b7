package io.ringwall.ring;

/** How many members a ring needs before it may own VIPs (SPEC §3). */
public record QuorumPolicy(Kind kind, int fixedMembers) {
    public enum Kind { MAJORITY, FIXED, NONE }

    public QuorumPolicy {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (kind == Kind.FIXED && (fixedMembers < 1 || fixedMembers > RingConfig.MAX_NODES)) {
            throw new IllegalArgumentException("fixed quorum must be 1.." + RingConfig.MAX_NODES + ": " + fixedMembers);
        }
    }

    public static QuorumPolicy majority() {
        return new QuorumPolicy(Kind.MAJORITY, 0);
    }

    public static QuorumPolicy fixed(int members) {
        return new QuorumPolicy(Kind.FIXED, members);
    }

    public static QuorumPolicy none() {
        return new QuorumPolicy(Kind.NONE, 0);
    }

    /** Members needed in a cluster whose node map has {@code nodeCount} entries. */
    public int required(int nodeCount) {
        return switch (kind) {
            case MAJORITY -> nodeCount / 2 + 1;
            case FIXED -> fixedMembers;
            case NONE -> 1;
        };
    }
}
