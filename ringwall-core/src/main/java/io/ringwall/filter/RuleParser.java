package io.ringwall.filter;

import io.ringwall.filter.RuleLexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a rule file into a validated {@link RuleSet}. The whole file is read; every bad line
 * contributes its first error (up to {@link #MAX_REPORTED_ERRORS}) so a user fixes a file in one
 * pass. Lines are separated by LF or CRLF.
 */
public final class RuleParser {
    /** Bounds the matcher's arrays and a linear scan's worst case. */
    public static final int MAX_RULES = 10_000;
    public static final int MAX_LINE_LENGTH = 4096;
    /** Entries in one port, address or state list. */
    public static final int MAX_LIST_ENTRIES = 64;
    /** Lines in a file, counting comments and blanks (room for a comment line per rule and then some). */
    public static final int MAX_LINES = 100_000;
    public static final int MAX_REPORTED_ERRORS = 20;

    private static final List<String> LINE_STARTS = List.of("accept", "drop", "reject", "policy");

    private final String fileName;
    private final List<RuleError> errors = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private Action policy = RuleSet.DEFAULT_POLICY;
    private int policyLine;

    private RuleParser(String fileName) {
        this.fileName = fileName;
    }

    public static RuleSet parse(String fileName, String text) throws RuleSyntaxException {
        RuleParser p = new RuleParser(fileName);
        p.parseLines(text);
        if (!p.errors.isEmpty()) {
            throw new RuleSyntaxException(p.errors);
        }
        return new RuleSet(fileName, p.policy, p.policyLine, p.rules);
    }

    private void parseLines(String text) {
        int start = 0;
        int lineNumber = 1;
        while (start <= text.length() && errors.size() < MAX_REPORTED_ERRORS) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            if (lineNumber > MAX_LINES && start < text.length()) {
                error(lineNumber, 1, "too many lines (max " + MAX_LINES + ")");
                return;
            }
            if (contentEnd - start > MAX_LINE_LENGTH) {
                error(lineNumber, MAX_LINE_LENGTH + 1, "line is too long (" + (contentEnd - start)
                        + " characters, max " + MAX_LINE_LENGTH + ")");
            } else {
                parseLine(text.substring(start, contentEnd), lineNumber);
            }
            if (newline < 0) {
                return;
            }
            start = newline + 1;
            lineNumber++;
        }
    }

    private void parseLine(String line, int lineNumber) {
        try {
            RuleLexer.Line lexed = RuleLexer.tokenize(line);
            List<Token> tokens = lexed.tokens();
            if (tokens.isEmpty()) {
                return;
            }
            Token first = tokens.getFirst();
            if (!first.quoted() && first.text().equals("policy")) {
                parsePolicy(tokens, lineNumber);
            } else if (RuleLineParser.action(first) != null) {
                if (rules.size() == MAX_RULES) {
                    throw new LineError(first.column(), "too many rules (max " + MAX_RULES + ")");
                }
                rules.add(RuleLineParser.parse(tokens, lineNumber, lexed.ruleText()));
            } else {
                throw new LineError(first.column(), "unknown keyword '" + first.text() + "'"
                        + NearestWord.hint(first.text(), LINE_STARTS));
            }
        } catch (LineError e) {
            error(lineNumber, e.column, e.getMessage());
        }
    }

    private void parsePolicy(List<Token> tokens, int lineNumber) throws LineError {
        Token keyword = tokens.getFirst();
        if (policyLine != 0) {
            throw new LineError(keyword.column(), "duplicate 'policy' (already set on line " + policyLine + ")");
        }
        if (tokens.size() < 2) {
            throw new LineError(keyword.column(), "missing action after 'policy' (expected accept, drop or reject)");
        }
        Token value = tokens.get(1);
        Action action = RuleLineParser.action(value);
        if (action == null) {
            throw new LineError(value.column(), "unknown policy '" + value.text() + "'"
                    + NearestWord.hint(value.text(), RuleLineParser.ACTIONS));
        }
        if (tokens.size() > 2) {
            throw new LineError(tokens.get(2).column(), "unexpected '" + tokens.get(2).text()
                    + "' after the policy (a policy line is just 'policy ACTION')");
        }
        policy = action;
        policyLine = lineNumber;
    }

    private void error(int line, int column, String message) {
        if (errors.size() < MAX_REPORTED_ERRORS) {
            errors.add(new RuleError(fileName, line, column, message));
        }
    }
}
