package io.ringwall.linux;

import java.util.List;

/** The host is not fit to run the data plane; {@link #problems()} says each reason and its fix. */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public StartupException(List<String> problems) {
        super("cannot start the Linux data plane:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
