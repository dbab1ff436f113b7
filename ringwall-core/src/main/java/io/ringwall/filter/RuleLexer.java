package io.ringwall.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line into whitespace-separated tokens. {@code #} outside quotes starts a comment;
 * {@code "..."} is one token (no escapes, it ends at the next quote). Control characters other
 * than tab are rejected so a stray byte in a file is reported rather than silently matched.
 */
final class RuleLexer {
    /** One token and the 1-based column of its first character (for a quoted token, the opening quote). */
    record Token(String text, int column, boolean quoted) {
    }

    /** The tokens of a line and where its rule text ends (before a trailing comment and blanks). */
    record Line(List<Token> tokens, String ruleText) {
    }

    private RuleLexer() {
    }

    static Line tokenize(String line) throws LineError {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int end = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '"') {
                int close = line.indexOf('"', i + 1);
                if (close < 0) {
                    throw new LineError(i + 1, "unterminated string (missing closing '\"')");
                }
                String text = line.substring(i + 1, close);
                checkControl(text, i + 2);
                tokens.add(new Token(text, i + 1, true));
                i = close + 1;
                end = i;
            } else {
                int start = i;
                while (i < line.length() && !isSeparator(line.charAt(i))) {
                    i++;
                }
                String text = line.substring(start, i);
                checkControl(text, start + 1);
                tokens.add(new Token(text, start + 1, false));
                end = i;
            }
        }
        return new Line(tokens, line.substring(0, end).strip());
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == '#' || c == '"';
    }

    private static void checkControl(String text, int firstColumn) throws LineError {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c < 0x20 || c == 0x7F) {
                throw new LineError(firstColumn + k, String.format("unexpected control character U+%04X", (int) c));
            }
        }
    }
}
