package io.ringwall.filter;

import java.util.List;

/**
 * Connection-tracking states as bits, so a rule's {@code state} list is one int mask and the
 * matcher tests it with a single AND. The data plane sets exactly one bit per packet.
 */
public final class CtState {
    public static final int NEW = 1;
    public static final int ESTABLISHED = 2;
    public static final int RELATED = 4;
    public static final int INVALID = 8;
    public static final int ALL = NEW | ESTABLISHED | RELATED | INVALID;

    /** Keywords in bit order: {@code NAMES.get(i)} is the name of bit {@code 1 << i}. */
    public static final List<String> NAMES = List.of("new", "established", "related", "invalid");

    private CtState() {
    }

    /** The bit for a keyword, or 0 if it is not a state name. */
    public static int bitOf(String name) {
        int i = NAMES.indexOf(name);
        return i < 0 ? 0 : 1 << i;
    }

    /** Comma-separated names of the bits in {@code mask}, in bit order. */
    public static String describe(int mask) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < NAMES.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                if (!out.isEmpty()) {
                    out.append(',');
                }
                out.append(NAMES.get(i));
            }
        }
        return out.toString();
    }
}
