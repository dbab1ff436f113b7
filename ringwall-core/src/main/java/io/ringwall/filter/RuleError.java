package io.ringwall.filter;

/** One problem in a rule file, located at a 1-based line and column (columns count UTF-16 chars, a tab is one). */
public record RuleError(String fileName, int line, int column, String message) {
    /** {@code rules.conf:7:24: message}, the format editors and compilers use. */
    public String format() {
        return fileName + ":" + line + ":" + column + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
