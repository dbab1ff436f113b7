package io.ringwall.filter;

/**
 * A problem found while parsing one line: where (1-based column) and what. Internal control flow
 * only: the file parser catches it, records a {@link RuleError} and moves to the next line, so no
 * stack trace is captured.
 */
final class LineError extends Exception {
    private static final long serialVersionUID = 1L;

    final int column;

    LineError(int column, String message) {
        super(message, null, false, false);
        this.column = column;
    }
}
