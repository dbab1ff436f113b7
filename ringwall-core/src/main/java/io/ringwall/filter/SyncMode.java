package io.ringwall.filter;

/**
 * Per-rule replication option (SPEC §5.6). Parsed and stored now; the replication layer reads it later.
 * {@link #DEFAULT} means the rule did not say, so the cluster-wide setting applies.
 */
public enum SyncMode {
    DEFAULT, STRICT, ASYNC, OFF;

    /** The keyword used after {@code sync} in rule files ({@code DEFAULT} has none). */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
