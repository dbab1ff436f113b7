package io.ringwall.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the value of one match (ports, addresses, protocol, ICMP type, states). Every error
 * names the column of the offending list entry, not just of the token.
 */
final class ValueParser {
    /** Longer digit strings are out of range anyway; stops int overflow before it happens. */
    private static final int MAX_DIGITS = 9;
    private static final int NOT_A_NUMBER = -1;
    static final int TOO_LARGE = Integer.MAX_VALUE;
    static final List<String> PROTOCOL_NAMES = List.of("tcp", "udp", "icmp");
    private static final int MAX_PREFIX_DIGITS = 2;

    private ValueParser() {
    }

    /** A list entry and its 1-based column. */
    record Entry(String text, int column) {
    }

    /** Splits a comma list, rejecting empty entries and more than {@link RuleParser#MAX_LIST_ENTRIES}. */
    static List<Entry> split(String text, int column, String what) throws LineError {
        List<Entry> entries = new ArrayList<>();
        int start = 0;
        while (true) {
            int comma = text.indexOf(',', start);
            int end = comma < 0 ? text.length() : comma;
            if (end == start) {
                throw new LineError(column + start, "empty entry in " + what + " list");
            }
            if (entries.size() == RuleParser.MAX_LIST_ENTRIES) {
                throw new LineError(column + start, "too many entries in " + what + " list (max "
                        + RuleParser.MAX_LIST_ENTRIES + ")");
            }
            entries.add(new Entry(text.substring(start, end), column + start));
            if (comma < 0) {
                return entries;
            }
            start = comma + 1;
        }
    }

    /** Non-negative value of an all-ASCII-digit string, {@link #NOT_A_NUMBER}, or {@link #TOO_LARGE}. */
    static int digits(String text) {
        if (text.isEmpty()) {
            return NOT_A_NUMBER;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_A_NUMBER;
            }
        }
        return text.length() > MAX_DIGITS ? TOO_LARGE : Integer.parseInt(text);
    }

    static List<PortRange> ports(String text, int column) throws LineError {
        List<PortRange> ranges = new ArrayList<>();
        for (Entry e : split(text, column, "port")) {
            int dash = e.text().indexOf('-');
            String lowText = dash < 0 ? e.text() : e.text().substring(0, dash);
            String highText = dash < 0 ? e.text() : e.text().substring(dash + 1);
            int low = digits(lowText);
            int high = digits(highText);
            if (low == NOT_A_NUMBER || high == NOT_A_NUMBER) {
                throw new LineError(e.column(), "unknown port '" + e.text()
                        + "' (expected a number 0-" + PortRange.MAX_PORT + " or a range N-M)");
            }
            if (low > PortRange.MAX_PORT || high > PortRange.MAX_PORT) {
                throw new LineError(e.column(), "port '" + e.text() + "' is out of range (expected 0-"
                        + PortRange.MAX_PORT + ")");
            }
            if (low > high) {
                throw new LineError(e.column(), "port range '" + e.text() + "' is reversed (did you mean "
                        + high + "-" + low + "?)");
            }
            ranges.add(new PortRange(low, high));
        }
        return ranges;
    }

    static AddressMatch addresses(String text, int column) throws LineError {
        boolean negated = text.startsWith("!");
        int offset = negated ? 1 : 0;
        if (negated && text.length() == 1) {
            throw new LineError(column, "expected an address after '!' (write it without a space, e.g. !10.0.0.0/8)");
        }
        List<Cidr> cidrs = new ArrayList<>();
        for (Entry e : split(text.substring(offset), column + offset, "address")) {
            cidrs.add(cidr(e));
        }
        return new AddressMatch(cidrs, negated);
    }

    private static Cidr cidr(Entry e) throws LineError {
        String text = e.text();
        if (text.indexOf(':') >= 0) {
            throw new LineError(e.column(), "IPv6 is not supported yet: '" + text + "'");
        }
        if (text.startsWith("!")) {
            throw new LineError(e.column(), "'!' negates the whole list and must come before its first entry");
        }
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        int address = ipv4(addressText, e.column());
        int prefix = Cidr.IPV4_BITS;
        if (slash >= 0) {
            String prefixText = text.substring(slash + 1);
            prefix = prefixText.length() > MAX_PREFIX_DIGITS ? TOO_LARGE : digits(prefixText);
            if (prefix == NOT_A_NUMBER || prefix > Cidr.IPV4_BITS) {
                throw new LineError(e.column() + slash + 1, "invalid prefix length '" + prefixText
                        + "' (expected 0-" + Cidr.IPV4_BITS + ")");
            }
        }
        int network = address & Cidr.maskV4(prefix);
        if (network != address) {
            throw new LineError(e.column(), "'" + text + "' has host bits set (did you mean "
                    + Cidr.formatV4(network) + "/" + prefix + "?)");
        }
        return Cidr.ipv4(address, prefix);
    }

    private static int ipv4(String text, int column) throws LineError {
        String[] parts = text.split("\\.", -1);
        boolean valid = parts.length == 4;
        int address = 0;
        for (int i = 0; valid && i < parts.length; i++) {
            String p = parts[i];
            // Leading zeros are refused: some tools read "010" as octal 8, so it is ambiguous.
            int v = p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') ? NOT_A_NUMBER : digits(p);
            valid = v >= 0 && v <= 255;
            address = (address << 8) | v;
        }
        if (!valid) {
            throw new LineError(column, "invalid IPv4 address '" + text
                    + "' (expected a.b.c.d with each part 0-255, optionally /prefix)");
        }
        return address;
    }

    static int protocol(String text, int column) throws LineError {
        int index = PROTOCOL_NAMES.indexOf(text);
        if (index >= 0) {
            return new int[] {IpProtocol.TCP, IpProtocol.UDP, IpProtocol.ICMP}[index];
        }
        int number = digits(text);
        if (number == NOT_A_NUMBER) {
            throw new LineError(column, "unknown protocol '" + text + "'" + hintOrNumber(text, PROTOCOL_NAMES, IpProtocol.MAX));
        }
        if (number > IpProtocol.MAX) {
            throw new LineError(column, "protocol " + text + " is out of range (expected 0-" + IpProtocol.MAX + ")");
        }
        return number;
    }

    static int icmpType(String text, int column) throws LineError {
        Integer named = IcmpTypeName.BY_NAME.get(text);
        if (named != null) {
            return named;
        }
        int number = digits(text);
        if (number == NOT_A_NUMBER) {
            throw new LineError(column, "unknown icmp type '" + text + "'"
                    + hintOrNumber(text, IcmpTypeName.NAMES, IcmpTypeName.MAX_TYPE));
        }
        if (number > IcmpTypeName.MAX_TYPE) {
            throw new LineError(column, "icmp type " + text + " is out of range (expected 0-" + IcmpTypeName.MAX_TYPE + ")");
        }
        return number;
    }

    static int states(String text, int column) throws LineError {
        int mask = 0;
        for (Entry e : split(text, column, "state")) {
            int bit = CtState.bitOf(e.text());
            if (bit == 0) {
                throw new LineError(e.column(), "unknown state '" + e.text() + "'" + NearestWord.hint(e.text(), CtState.NAMES));
            }
            if ((mask & bit) != 0) {
                throw new LineError(e.column(), "duplicate state '" + e.text() + "'");
            }
            mask |= bit;
        }
        return mask;
    }

    private static String hintOrNumber(String word, List<String> names, int max) {
        String best = NearestWord.nearest(word, names);
        return best != null ? " (did you mean '" + best + "'?)"
                : " (expected one of: " + String.join(", ", names) + ", or a number 0-" + max + ")";
    }
}
