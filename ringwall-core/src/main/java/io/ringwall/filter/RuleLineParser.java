package io.ringwall.filter;

import io.ringwall.filter.RuleLexer.Token;
import java.util.List;

/**
 * Parses the tokens of one rule line: {@code ACTION} then matches in any order, each at most once,
 * then the flags {@code log}, {@code sync MODE}, {@code comment "text"}.
 */
final class RuleLineParser {
    static final List<String> ACTIONS = List.of("accept", "drop", "reject");
    static final List<String> MATCHES = List.of("in", "out", "from", "to", "proto", "sport", "dport", "icmp-type", "state");
    static final List<String> FLAGS = List.of("log", "sync", "comment");
    static final List<String> KEYWORDS = concat(MATCHES, FLAGS);
    static final List<String> SYNC_MODES = List.of("strict", "async", "off");
    /** Linux IFNAMSIZ minus the terminating NUL. */
    static final int MAX_INTERFACE_NAME_LENGTH = 15;
    static final int MAX_COMMENT_LENGTH = 256;

    private final List<Token> tokens;
    /** Column where each keyword (index into {@link #KEYWORDS}) was seen; 0 = not yet. */
    private final int[] seenAt = new int[KEYWORDS.size()];
    private String inInterface;
    private int inColumn;
    private String outInterface;
    private int outColumn;
    private AddressMatch source = AddressMatch.ANY;
    private AddressMatch destination = AddressMatch.ANY;
    private int protocol = IpProtocol.ANY;
    private List<PortRange> sourcePorts = List.of();
    private List<PortRange> destinationPorts = List.of();
    private int icmpType = Rule.ANY_ICMP_TYPE;
    private int states;
    private boolean log;
    private SyncMode sync = SyncMode.DEFAULT;
    private String comment;

    private RuleLineParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Action action(Token token) {
        int index = token.quoted() ? -1 : ACTIONS.indexOf(token.text());
        return index < 0 ? null : Action.values()[index];
    }

    /** Parses a line whose first token is an action keyword. */
    static Rule parse(List<Token> tokens, int line, String text) throws LineError {
        RuleLineParser p = new RuleLineParser(tokens);
        Action action = action(tokens.getFirst());
        p.parseMatchesAndFlags();
        p.checkCombinations();
        return new Rule(line, text, action, p.inInterface, p.inColumn, p.outInterface, p.outColumn,
                p.source, p.destination, p.protocol, p.sourcePorts, p.destinationPorts, p.icmpType, p.states,
                p.log, p.sync, p.comment);
    }

    private void parseMatchesAndFlags() throws LineError {
        int firstFlagColumn = 0;
        int i = 1;
        while (i < tokens.size()) {
            Token keyword = tokens.get(i);
            if (keyword.quoted()) {
                throw new LineError(keyword.column(), "unexpected quoted text (only 'comment' takes one)");
            }
            int k = KEYWORDS.indexOf(keyword.text());
            if (k < 0) {
                throw new LineError(keyword.column(), "unknown keyword '" + keyword.text() + "'"
                        + NearestWord.hint(keyword.text(), KEYWORDS));
            }
            if (seenAt[k] != 0) {
                throw new LineError(keyword.column(), "duplicate '" + keyword.text() + "' (already given at column "
                        + seenAt[k] + ")");
            }
            seenAt[k] = keyword.column();
            boolean isFlag = k >= MATCHES.size();
            if (isFlag && firstFlagColumn == 0) {
                firstFlagColumn = keyword.column();
            } else if (!isFlag && firstFlagColumn != 0) {
                throw new LineError(keyword.column(), "match '" + keyword.text()
                        + "' must come before the flags (log, sync, comment)");
            }
            if (keyword.text().equals("log")) {
                log = true;
                i++;
                continue;
            }
            apply(keyword, value(i));
            i += 2;
        }
    }

    private Token value(int keywordIndex) throws LineError {
        Token keyword = tokens.get(keywordIndex);
        Token value = keywordIndex + 1 < tokens.size() ? tokens.get(keywordIndex + 1) : null;
        if (value == null || (!value.quoted() && KEYWORDS.contains(value.text()))) {
            throw new LineError(keyword.column(), "missing value after '" + keyword.text() + "'");
        }
        boolean wantsQuoted = keyword.text().equals("comment");
        if (wantsQuoted && !value.quoted()) {
            throw new LineError(value.column(), "expected a quoted text after 'comment', e.g. comment \"why\"");
        }
        if (!wantsQuoted && value.quoted()) {
            throw new LineError(value.column(), "unexpected quoted text (only 'comment' takes one)");
        }
        return value;
    }

    private void apply(Token keyword, Token value) throws LineError {
        String v = value.text();
        int column = value.column();
        switch (keyword.text()) {
            case "in" -> {
                inInterface = interfaceName(v, column);
                inColumn = column;
            }
            case "out" -> {
                outInterface = interfaceName(v, column);
                outColumn = column;
            }
            case "from" -> source = ValueParser.addresses(v, column);
            case "to" -> destination = ValueParser.addresses(v, column);
            case "proto" -> protocol = ValueParser.protocol(v, column);
            case "sport" -> sourcePorts = ValueParser.ports(v, column);
            case "dport" -> destinationPorts = ValueParser.ports(v, column);
            case "icmp-type" -> icmpType = ValueParser.icmpType(v, column);
            case "state" -> states = ValueParser.states(v, column);
            case "sync" -> sync = syncMode(v, column);
            case "comment" -> comment = commentText(v, column);
            default -> throw new IllegalStateException("keyword without a parser: " + keyword.text());
        }
    }

    private void checkCombinations() throws LineError {
        String protocolNote = protocol == IpProtocol.ANY ? "" : " (this rule has proto " + IpProtocol.describe(protocol) + ")";
        for (String ports : List.of("sport", "dport")) {
            int column = seenAt[KEYWORDS.indexOf(ports)];
            if (column != 0 && !IpProtocol.hasPorts(protocol)) {
                throw new LineError(column, "'" + ports + "' requires 'proto tcp' or 'proto udp'" + protocolNote);
            }
        }
        int icmpColumn = seenAt[KEYWORDS.indexOf("icmp-type")];
        if (icmpColumn != 0 && protocol != IpProtocol.ICMP) {
            throw new LineError(icmpColumn, "'icmp-type' requires 'proto icmp'" + protocolNote);
        }
    }

    private static String interfaceName(String name, int column) throws LineError {
        boolean valid = !name.isEmpty() && name.length() <= MAX_INTERFACE_NAME_LENGTH;
        for (int i = 0; valid && i < name.length(); i++) {
            char c = name.charAt(i);
            valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
        }
        if (!valid) {
            throw new LineError(column, "invalid interface name '" + name + "' (1-" + MAX_INTERFACE_NAME_LENGTH
                    + " characters: letters, digits, '.', '-', '_')");
        }
        return name;
    }

    private static SyncMode syncMode(String mode, int column) throws LineError {
        int index = SYNC_MODES.indexOf(mode);
        if (index < 0) {
            throw new LineError(column, "unknown sync mode '" + mode + "'" + NearestWord.hint(mode, SYNC_MODES));
        }
        return List.of(SyncMode.STRICT, SyncMode.ASYNC, SyncMode.OFF).get(index);
    }

    private static String commentText(String text, int column) throws LineError {
        if (text.length() > MAX_COMMENT_LENGTH) {
            throw new LineError(column, "comment is too long (" + text.length() + " characters, max "
                    + MAX_COMMENT_LENGTH + ")");
        }
        return text;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
