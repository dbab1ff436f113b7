package io.ringwall.conntrack;

/** Results of {@link Conntrack#classify}; the values equal the filter's {@code ct state} bits. */
public final class CtVerdict {
    public static final int NEW = 1;
    public static final int ESTABLISHED = 2;
    public static final int RELATED = 4;
    public static final int INVALID = 8;

    private CtVerdict() {}
}
