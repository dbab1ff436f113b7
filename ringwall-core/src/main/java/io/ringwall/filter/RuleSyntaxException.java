package io.ringwall.filter;

import java.util.List;

/**
 * A rule file (or its compilation against this node's interfaces) is wrong. Carries every error
 * found, up to {@link RuleParser#MAX_REPORTED_ERRORS}; the accessors describe the first one and the
 * message lists them all, one per line.
 */
public final class RuleSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<RuleError> errors;

    public RuleSyntaxException(List<RuleError> errors) {
        super(formatAll(errors));
        this.errors = List.copyOf(errors);
    }

    public RuleSyntaxException(RuleError error) {
        this(List.of(error));
    }

    private static String formatAll(List<RuleError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a syntax exception needs at least one error");
        }
        StringBuilder out = new StringBuilder();
        for (RuleError e : errors) {
            out.append(out.isEmpty() ? "" : "\n").append(e.format());
        }
        return out.toString();
    }

    public List<RuleError> errors() {
        return errors;
    }

    public String fileName() {
        return errors.getFirst().fileName();
    }

    public int line() {
        return errors.getFirst().line();
    }

    public int column() {
        return errors.getFirst().column();
    }
}
