package io.ringwall.app.config;

/** A configuration or rule-set error, located as {@code file:line:column: message}. */
public final class ConfigException extends Exception {
    private final String file;
    private final int line;
    private final int column;

    public ConfigException(String file, int line, int column, String problem) {
        super(file + (line > 0 ? ":" + line + ":" + column : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
