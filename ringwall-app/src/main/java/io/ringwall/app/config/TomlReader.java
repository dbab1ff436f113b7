package io.ringwall.app.config;

import io.ringwall.filter.NearestWord;
import io.ringwall.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/** Typed, located access to TOML values: every failure names file:line:column of the offending key. */
final class TomlReader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");
    private final String fileName;

    TomlReader(String fileName) {
        this.fileName = fileName;
    }

    ConfigException error(int line, int column, String problem) {
        return new ConfigException(fileName, line, column, problem);
    }

    ConfigException errorAt(TomlPosition position, String problem) {
        return position == null ? error(1, 1, problem) : error(position.line(), position.column(), problem);
    }

    ConfigException errorAt(TomlTable table, String key, String problem) {
        return errorAt(table.inputPositionOf(List.of(key)), problem);
    }

    void checkKeys(TomlTable table, Set<String> allowed, String where) throws ConfigException {
        for (String key : table.keySet()) {
            if (!allowed.contains(key)) {
                // sorted: the hint must not depend on the set's iteration order
                String hint = NearestWord.nearest(key, allowed.stream().sorted().toList());
                throw errorAt(table, key, "unknown key '" + key + "' in " + where
                        + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
            }
        }
    }

    TomlTable table(TomlTable parent, String key, boolean optional) throws ConfigException {
        Object v = parent.get(List.of(key));
        if (v == null) {
            if (optional) {
                return org.tomlj.Toml.parse("");
            }
            throw error(1, 1, "missing table [" + key + "]");
        }
        if (!(v instanceof TomlTable t)) {
            throw errorAt(parent, key, "'" + key + "' must be a table");
        }
        return t;
    }

    List<TomlTable> tables(TomlTable parent, String key, int max) throws ConfigException {
        Object v = parent.get(List.of(key));
        List<TomlTable> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof TomlArray array) || !allTables(array)) {
            throw errorAt(parent, key, "'" + key + "' must be an array of tables: [[" + key + "]]");
        }
        if (array.size() > max) {
            throw errorAt(parent, key, "at most " + max + " [[" + key + "]] entries are allowed");
        }
        for (int i = 0; i < array.size(); i++) {
            out.add(array.getTable(i));
        }
        return out;
    }

    private static boolean allTables(TomlArray array) {
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable)) {
                return false;
            }
        }
        return true;
    }

    String string(TomlTable t, String key, String fallback) throws ConfigException {
        Object v = t.get(List.of(key));
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw errorAt(t, key, "'" + key + "' must be a string");
        }
        return s;
    }

    String requiredName(TomlTable t, String key) throws ConfigException {
        String s = string(t, key, null);
        if (s == null) {
            throw errorAt(t.inputPositionOf(List.of()), "missing '" + key + "'");
        }
        if (!NAME.matcher(s).matches()) {
            throw errorAt(t, key, "invalid " + key + " '" + s + "' (letters, digits, _ . : @ - ; at most 64)");
        }
        return s;
    }

    /** A required file name (any non-empty string; resolved relative to the configuration file). */
    String requiredPath(TomlTable t, String key) throws ConfigException {
        String s = string(t, key, null);
        if (s == null) {
            throw errorAt(t.inputPositionOf(List.of()), "missing '" + key + "'");
        }
        if (s.isEmpty()) {
            throw errorAt(t, key, "'" + key + "' must not be empty");
        }
        return s;
    }

    long longIn(TomlTable t, String key, long fallback, long min, long max) throws ConfigException {
        Object v = t.get(List.of(key));
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Long n)) {
            throw errorAt(t, key, "'" + key + "' must be an integer");
        }
        if (n < min || n > max) {
            throw errorAt(t, key, "'" + key + "' = " + n + " is out of range " + min + ".." + max);
        }
        return n;
    }

    int address(TomlTable t, String key, Object value) throws ConfigException {
        if (!(value instanceof String s)) {
            throw errorAt(t, key, "'" + key + "' must be a string like \"10.0.0.1\"");
        }
        try {
            return Ipv4Address.parse(s);
        } catch (IllegalArgumentException e) {
            throw errorAt(t, key, "invalid address '" + s + "': " + e.getMessage());
        }
    }

    /** Parses {@code a.b.c.d/len}; returns {network, prefixLength}; host bits must be zero. */
    int[] cidr(TomlTable t, String key) throws ConfigException {
        String s = string(t, key, null);
        if (s == null) {
            throw errorAt(t.inputPositionOf(List.of()), "missing '" + key + "' (a CIDR like \"10.1.0.0/24\")");
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw errorAt(t, key, "'" + s + "' is not a CIDR (expected a.b.c.d/len)");
        }
        int address;
        int length;
        try {
            address = Ipv4Address.parse(s.substring(0, slash));
            length = Integer.parseInt(s.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw errorAt(t, key, "invalid CIDR '" + s + "': " + e.getMessage());
        }
        if (length < 0 || length > 32) {
            throw errorAt(t, key, "prefix length " + length + " is out of range 0..32");
        }
        if ((address & ~Ipv4Address.mask(length)) != 0) {
            throw errorAt(t, key, "'" + s + "' has host bits set (did you mean "
                    + Ipv4Address.format(address & Ipv4Address.mask(length)) + "/" + length + "?)");
        }
        return new int[] {address, length};
    }
}
