package io.ringwall.filter;

/** What a rule (or the default policy) does with a matching packet. */
public enum Action {
    ACCEPT, DROP, REJECT;

    /** The keyword used in rule files. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
