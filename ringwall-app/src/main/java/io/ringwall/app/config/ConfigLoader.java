package io.ringwall.app.config;

import io.ringwall.app.mgmt.HostPort;
import io.ringwall.filter.RuleParser;
import io.ringwall.filter.RuleSyntaxException;
import io.ringwall.node.ClusterSettings;
import io.ringwall.node.NodeConfig;
import io.ringwall.wire.Ipv4Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads the cluster TOML file and its rule file into a validated {@link ClusterConfig}, or fails with the
 * first problem located as file:line:column. Nothing is half-applied: either all of it is valid or none is used.
 */
public final class ConfigLoader {
    /** Bounds on what a config file may declare. */
    public static final int MAX_NODES = 16;
    public static final int MAX_SUBNETS = 64;
    public static final int MAX_VIPS_PER_SUBNET = 256;
    public static final int MAX_ROUTES = 1024;
    public static final long MAX_FILE_BYTES = 4L << 20;
    public static final int MIN_SECRET_BYTES = 16;

    private static final Set<String> TOP_KEYS = Set.of("cluster", "nodes", "interfaces", "routes", "filter", "dataplane",
            "management");
    private static final Set<String> CLUSTER_KEYS = Set.of("name", "secret_file", "token_hop_ms", "token_ack_timeout_ms",
            "token_loss_ms", "quorum", "port", "defer_timeout_ms", "default_sync", "tie_breaker", "tie_breaker_interval_ms",
            "tie_breaker_timeout_ms", "buckets", "backup_count", "fresh_node_s");
    private static final Set<String> NODE_KEYS = Set.of("name", "address", "addresses", "devices");
    private static final Set<String> SUBNET_KEYS = Set.of("name", "subnet", "vips", "mtu");
    private static final Set<String> ROUTE_KEYS = Set.of("to", "via", "interface");
    private static final Set<String> MANAGEMENT_KEYS = Set.of("listen");
    private static final Set<String> FILTER_KEYS = Set.of("rules");
    private static final Set<String> DATAPLANE_KEYS = Set.of("max_flows", "arp_cache_entries", "arp_pending_per_neighbour",
            "icmp_errors_per_second");

    private final TomlReader reader;

    private ConfigLoader(String fileName) {
        this.reader = new TomlReader(fileName);
    }

    public static ClusterConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(name, 0, 0, "file is larger than " + MAX_FILE_BYTES + " bytes");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, 0, 0, "no such file");
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, "cannot read: " + e.getMessage());
        }
        return loadText(file, text);
    }

    /** Parses {@code text} as if read from {@code file} (the rule file is resolved next to it). */
    public static ClusterConfig loadText(Path file, String text) throws ConfigException {
        return new ConfigLoader(file.toString()).parse(file, text);
    }

    private ClusterConfig parse(Path file, String text) throws ConfigException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            throw reader.error(e.position().line(), e.position().column(), "TOML syntax: " + e.getMessage());
        }
        reader.checkKeys(toml, TOP_KEYS, "the top level");
        TomlTable cluster = reader.table(toml, "cluster", true);
        reader.checkKeys(cluster, CLUSTER_KEYS, "[cluster]");
        String clusterName = reader.string(cluster, "name", "ringwall");
        List<ClusterConfig.SubnetEntry> subnets = parseSubnets(toml);
        List<ClusterConfig.NodeEntry> nodes = parseNodes(toml, subnets);
        ClusterConfig.ClusterOptions options = parseClusterOptions(file, cluster, nodes);
        options = parseTieBreaker(cluster, options, nodes, subnets);
        List<ClusterConfig.RouteEntry> routes = parseRoutes(toml, subnets);
        NodeConfig.RulesSource rules = parseRules(file, toml, subnets);
        NodeConfig.DataplaneLimits limits = parseLimits(toml);
        ClusterConfig.ManagementOptions management = parseManagement(toml);
        return new ClusterConfig(file, clusterName, nodes, subnets, routes, rules, limits, options, management);
    }

    private ClusterConfig.ManagementOptions parseManagement(TomlParseResult toml) throws ConfigException {
        TomlTable t = reader.table(toml, "management", true);
        reader.checkKeys(t, MANAGEMENT_KEYS, "[management]");
        String listen = reader.string(t, "listen", null);
        if (listen == null) {
            return ClusterConfig.ManagementOptions.defaults();
        }
        try {
            HostPort address = HostPort.parse(listen);
            Ipv4Address.parse(address.host()); // a literal address: binding must not depend on name lookup
            return new ClusterConfig.ManagementOptions(address);
        } catch (IllegalArgumentException e) {
            throw reader.errorAt(t, "listen", "listen must be \"IPv4:PORT\", e.g. \"127.0.0.1:7480\": "
                    + e.getMessage());
        }
    }

    private ClusterConfig.ClusterOptions parseClusterOptions(Path file, TomlTable cluster,
                                                            List<ClusterConfig.NodeEntry> nodes) throws ConfigException {
        int hop = (int) reader.longIn(cluster, "token_hop_ms", 10, 1, 1000);
        int ack = (int) reader.longIn(cluster, "token_ack_timeout_ms", 30, 1, 10_000);
        int loss = (int) reader.longIn(cluster, "token_loss_ms", 0, 0, 60_000);
        String quorum = reader.string(cluster, "quorum", "majority");
        if (!quorum.equals("majority") && !quorum.equals("none") && !quorum.matches("[0-9]{1,2}")) {
            throw reader.errorAt(cluster, "quorum", "quorum must be \"majority\", \"none\" or a number of nodes");
        }
        if (quorum.matches("[0-9]{1,2}") && (Integer.parseInt(quorum) < 1 || Integer.parseInt(quorum) > nodes.size())) {
            throw reader.errorAt(cluster, "quorum", "quorum " + quorum + " must be between 1 and the " + nodes.size()
                    + " nodes of the node map");
        }
        int port = (int) reader.longIn(cluster, "port", ClusterConfig.ClusterOptions.DEFAULT_PORT, 1, 65_535);
        byte[] secret = new byte[0];
        if (nodes.size() > 1) {
            if (!cluster.contains("secret_file")) {
                throw reader.error(1, 1, "[cluster] secret_file is required with more than one node: every cluster "
                        + "packet is authenticated with a key derived from it (e.g. head -c 32 /dev/urandom | base64 > cluster.key)");
            }
            String name = reader.string(cluster, "secret_file", null);
            Path base = file.toAbsolutePath().getParent();
            Path secretPath = base == null ? Path.of(name) : base.resolve(name);
            try {
                secret = Files.readString(secretPath).strip().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw reader.errorAt(cluster, "secret_file", "cannot read secret file " + secretPath + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
            }
            if (secret.length < MIN_SECRET_BYTES) {
                throw reader.errorAt(cluster, "secret_file", "the secret in " + secretPath + " is shorter than "
                        + MIN_SECRET_BYTES + " characters");
            }
        }
        // how long the first packet of a `sync strict` flow may wait for the backups (0: released at the next event)
        int defer = (int) reader.longIn(cluster, "defer_timeout_ms",
                ClusterConfig.ClusterOptions.DEFAULT_DEFER_TIMEOUT_MS, 0, 1000);
        // SPEC §5.6: the sync mode of new TCP flows whose rule names none (a rule's own `sync` option always wins)
        String defaultSync = reader.string(cluster, "default_sync", "async");
        if (!defaultSync.equals("async") && !defaultSync.equals("strict")) {
            throw reader.errorAt(cluster, "default_sync", "default_sync must be \"async\" or \"strict\", not \""
                    + defaultSync + "\"");
        }
        // SPEC §5.1-5.2: flow buckets (the map rides on the token, hence the bound) and backups per bucket
        int buckets = (int) reader.longIn(cluster, "buckets", ClusterSettings.Distribution.DEFAULT.buckets(), 1,
                ClusterSettings.Distribution.MAX_BUCKETS);
        int backups = (int) reader.longIn(cluster, "backup_count", ClusterSettings.Distribution.DEFAULT.backupCount(),
                0, 15);
        // how long a started node is "fresh": the last choice among equally loaded nodes for VIPs that must move
        int fresh = (int) reader.longIn(cluster, "fresh_node_s", ClusterConfig.ClusterOptions.DEFAULT_FRESH_NODE_S, 0,
                3600);
        return new ClusterConfig.ClusterOptions(hop, ack, loss, quorum, port, secret, defer, 0,
                ClusterConfig.ClusterOptions.DEFAULT_TIE_BREAKER_INTERVAL_MS,
                ClusterConfig.ClusterOptions.DEFAULT_TIE_BREAKER_TIMEOUT_MS, defaultSync.equals("strict"), buckets, backups,
                fresh);
    }

    /**
     * The two-node tie-breaker (SPEC §3): a ping target on a subnet where both nodes have an address, so that
     * subnet is also a ring path and two nodes that both reach the target reach each other as well.
     */
    private ClusterConfig.ClusterOptions parseTieBreaker(TomlTable cluster, ClusterConfig.ClusterOptions o,
                                                         List<ClusterConfig.NodeEntry> nodes,
                                                         List<ClusterConfig.SubnetEntry> subnets) throws ConfigException {
        int interval = (int) reader.longIn(cluster, "tie_breaker_interval_ms",
                ClusterConfig.ClusterOptions.DEFAULT_TIE_BREAKER_INTERVAL_MS, 10, 60_000);
        int timeout = (int) reader.longIn(cluster, "tie_breaker_timeout_ms",
                Math.min(interval, ClusterConfig.ClusterOptions.DEFAULT_TIE_BREAKER_TIMEOUT_MS), 1, 60_000);
        if (timeout > interval) {
            throw reader.errorAt(cluster, "tie_breaker_timeout_ms", "tie_breaker_timeout_ms " + timeout
                    + " must not exceed tie_breaker_interval_ms " + interval + " (one ping is out at a time)");
        }
        if (!cluster.contains("tie_breaker")) {
            return o;
        }
        int target = reader.address(cluster, "tie_breaker", cluster.get("tie_breaker"));
        if (nodes.size() != 2) {
            throw reader.errorAt(cluster, "tie_breaker", "tie_breaker is for two-node clusters; this node map has "
                    + nodes.size() + " nodes (use quorum instead)");
        }
        if (!o.quorum().equals("majority") && !o.quorum().equals("2")) {
            throw reader.errorAt(cluster, "tie_breaker", "tie_breaker has no effect with quorum = \"" + o.quorum()
                    + "\": a single node already has quorum (use quorum = \"majority\")");
        }
        ClusterConfig.SubnetEntry home = null;
        for (ClusterConfig.SubnetEntry s : subnets) {
            if (Ipv4Address.inSubnet(target, s.network(), s.prefixLength())) {
                home = s;
            }
        }
        if (home == null) {
            throw reader.errorAt(cluster, "tie_breaker", "tie-breaker " + Ipv4Address.format(target)
                    + " is not on any configured subnet (it is pinged on-link from the node's own address)");
        }
        for (ClusterConfig.NodeEntry n : nodes) {
            if (n.addressOn(home.name()) == 0) {
                throw reader.errorAt(cluster, "tie_breaker", "node " + n.name() + " has no address on interface '"
                        + home.name() + "', where the tie-breaker " + Ipv4Address.format(target) + " is pinged from");
            }
            if (n.addressOn(home.name()) == target) {
                throw reader.errorAt(cluster, "tie_breaker", "tie-breaker " + Ipv4Address.format(target)
                        + " is node " + n.name() + "'s own address: it must be a third host (e.g. the upstream router)");
            }
        }
        if (home.vips().contains(target)) {
            throw reader.errorAt(cluster, "tie_breaker", "tie-breaker " + Ipv4Address.format(target)
                    + " is a VIP: it must be a third host (e.g. the upstream router)");
        }
        return new ClusterConfig.ClusterOptions(o.tokenHopMs(), o.tokenAckTimeoutMs(), o.tokenLossMs(), o.quorum(),
                o.port(), o.secret(), o.deferTimeoutMs(), target, interval, timeout, o.strictTcpByDefault(), o.buckets(),
                o.backupCount(), o.freshNodeS());
    }

    private List<ClusterConfig.SubnetEntry> parseSubnets(TomlParseResult toml) throws ConfigException {
        List<TomlTable> tables = reader.tables(toml, "interfaces", MAX_SUBNETS);
        if (tables.isEmpty()) {
            throw reader.error(1, 1, "no [[interfaces]] defined: at least two data subnets are needed");
        }
        List<ClusterConfig.SubnetEntry> subnets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (TomlTable t : tables) {
            reader.checkKeys(t, SUBNET_KEYS, "[[interfaces]]");
            String name = reader.requiredName(t, "name");
            if (!names.add(name)) {
                throw reader.errorAt(t, "name", "duplicate interface name '" + name + "'");
            }
            int[] cidr = reader.cidr(t, "subnet");
            List<Integer> vips = new ArrayList<>();
            TomlArray array = t.getArray("vips");
            if (array == null && t.contains("vips")) {
                throw reader.errorAt(t, "vips", "vips must be an array of addresses, e.g. vips = [\"10.1.0.1\"]");
            }
            if (array != null) {
                if (array.size() > MAX_VIPS_PER_SUBNET) {
                    throw reader.errorAt(t, "vips", "more than " + MAX_VIPS_PER_SUBNET + " VIPs");
                }
                for (int i = 0; i < array.size(); i++) {
                    Object v = array.get(i);
                    int vip = reader.address(t, "vips", v);
                    if (!Ipv4Address.inSubnet(vip, cidr[0], cidr[1])) {
                        throw reader.errorAt(array.inputPositionOf(i), "VIP " + v + " is not inside subnet "
                                + Ipv4Address.format(cidr[0]) + "/" + cidr[1]);
                    }
                    vips.add(vip);
                }
            }
            int mtu = (int) reader.longIn(t, "mtu", 1500, 68, 65_535);
            subnets.add(new ClusterConfig.SubnetEntry(name, cidr[0], cidr[1], vips, mtu));
        }
        return subnets;
    }

    private List<ClusterConfig.NodeEntry> parseNodes(TomlParseResult toml, List<ClusterConfig.SubnetEntry> subnets)
            throws ConfigException {
        List<TomlTable> tables = reader.tables(toml, "nodes", MAX_NODES);
        if (tables.isEmpty()) {
            throw reader.error(1, 1, "no [[nodes]] defined: the node map needs at least one node");
        }
        List<ClusterConfig.NodeEntry> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (TomlTable t : tables) {
            reader.checkKeys(t, NODE_KEYS, "[[nodes]]");
            String name = reader.requiredName(t, "name");
            if (!names.add(name)) {
                throw reader.errorAt(t, "name", "duplicate node name '" + name + "'");
            }
            Map<String, Integer> addresses = parseNodeAddresses(t, subnets);
            TomlTable devices = reader.table(t, "devices", false);
            Map<String, String> deviceMap = new LinkedHashMap<>();
            for (String key : devices.keySet()) {
                if (subnets.stream().noneMatch(s -> s.name().equals(key))) {
                    throw reader.errorAt(devices, key, "device given for unknown interface '" + key + "'");
                }
                deviceMap.put(key, reader.requiredName(devices, key));
            }
            for (ClusterConfig.SubnetEntry s : subnets) {
                if (!deviceMap.containsKey(s.name())) {
                    throw reader.errorAt(t, "name", "node '" + name + "' has no device for interface '" + s.name()
                            + "' (add " + s.name() + " = \"eth…\" under [nodes.devices])");
                }
            }
            nodes.add(new ClusterConfig.NodeEntry(name, Map.copyOf(addresses), Map.copyOf(deviceMap)));
        }
        return nodes;
    }

    /** {@code [nodes.addresses] wan = "10.1.0.11"}, and {@code address = "…"} placed on the subnet that holds it. */
    private Map<String, Integer> parseNodeAddresses(TomlTable t, List<ClusterConfig.SubnetEntry> subnets)
            throws ConfigException {
        Map<String, Integer> addresses = new LinkedHashMap<>();
        if (t.contains("address")) {
            int a = reader.address(t, "address", t.get("address"));
            ClusterConfig.SubnetEntry home = subnets.stream()
                    .filter(s -> Ipv4Address.inSubnet(a, s.network(), s.prefixLength())).findFirst().orElse(null);
            if (home == null) {
                throw reader.errorAt(t, "address", "address " + Ipv4Address.format(a) + " is not on any configured subnet");
            }
            addresses.put(home.name(), a);
        }
        if (t.contains("addresses")) {
            TomlTable table = reader.table(t, "addresses", false);
            for (String key : table.keySet()) {
                ClusterConfig.SubnetEntry s = subnets.stream().filter(x -> x.name().equals(key)).findFirst().orElse(null);
                if (s == null) {
                    throw reader.errorAt(table, key, "address given for unknown interface '" + key + "'");
                }
                int a = reader.address(table, key, table.get(key));
                if (!Ipv4Address.inSubnet(a, s.network(), s.prefixLength())) {
                    throw reader.errorAt(table, key, "address " + Ipv4Address.format(a) + " is not inside subnet "
                            + Ipv4Address.format(s.network()) + "/" + s.prefixLength());
                }
                if (s.vips().contains(a)) {
                    throw reader.errorAt(table, key, "address " + Ipv4Address.format(a) + " is also a VIP of '" + key + "'");
                }
                addresses.put(key, a);
            }
        }
        return addresses;
    }

    private List<ClusterConfig.RouteEntry> parseRoutes(TomlParseResult toml, List<ClusterConfig.SubnetEntry> subnets)
            throws ConfigException {
        List<ClusterConfig.RouteEntry> routes = new ArrayList<>();
        for (TomlTable t : reader.tables(toml, "routes", MAX_ROUTES)) {
            reader.checkKeys(t, ROUTE_KEYS, "[[routes]]");
            int[] cidr = reader.cidr(t, "to");
            if (!t.contains("via")) {
                throw reader.errorAt(t, "to", "route needs a gateway: via = \"a.b.c.d\"");
            }
            int via = reader.address(t, "via", t.get("via"));
            String itf = null;
            for (ClusterConfig.SubnetEntry s : subnets) {
                if (Ipv4Address.inSubnet(via, s.network(), s.prefixLength())) {
                    itf = s.name();
                }
            }
            if (t.contains("interface")) {
                itf = reader.requiredName(t, "interface");
                String chosen = itf;
                if (subnets.stream().noneMatch(s -> s.name().equals(chosen))) {
                    throw reader.errorAt(t, "interface", "unknown interface '" + itf + "'");
                }
            }
            if (itf == null) {
                throw reader.errorAt(t, "via", "gateway " + Ipv4Address.format(via) + " is not on any configured subnet");
            }
            routes.add(new ClusterConfig.RouteEntry(cidr[0], cidr[1], via, itf));
        }
        return routes;
    }

    private NodeConfig.RulesSource parseRules(Path file, TomlParseResult toml, List<ClusterConfig.SubnetEntry> subnets)
            throws ConfigException {
        TomlTable filter = reader.table(toml, "filter", true);
        reader.checkKeys(filter, FILTER_KEYS, "[filter]");
        if (!filter.contains("rules")) {
            throw reader.error(1, 1, "[filter] rules = \"FILE\" is required (the rule set; see docs/rules.md)");
        }
        String rulesName = reader.requiredPath(filter, "rules");
        Path base = file.toAbsolutePath().getParent();
        Path rulesPath = base == null ? Path.of(rulesName) : base.resolve(rulesName);
        String text;
        try {
            text = Files.readString(rulesPath);
        } catch (IOException e) {
            throw reader.errorAt(filter, "rules", "cannot read rule file " + rulesPath + ": "
                    + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
        }
        try {
            RuleParser.parse(rulesPath.toString(), text).compile(name -> ClusterConfig.indexOf(subnets, name));
        } catch (RuleSyntaxException e) {
            // located at the first error; the others follow on their own lines, each located
            StringBuilder problem = new StringBuilder(e.errors().getFirst().message());
            e.errors().stream().skip(1).forEach(more -> problem.append('\n').append(more.format()));
            throw new ConfigException(e.fileName(), e.line(), e.column(), problem.toString());
        }
        return new NodeConfig.RulesSource(rulesPath.toString(), text);
    }

    private NodeConfig.DataplaneLimits parseLimits(TomlParseResult toml) throws ConfigException {
        TomlTable t = reader.table(toml, "dataplane", true);
        reader.checkKeys(t, DATAPLANE_KEYS, "[dataplane]");
        NodeConfig.DataplaneLimits d = NodeConfig.DataplaneLimits.defaults();
        return new NodeConfig.DataplaneLimits(
                (int) reader.longIn(t, "max_flows", d.maxFlows(), 16, 16_777_216),
                (int) reader.longIn(t, "arp_cache_entries", d.arpCacheEntries(), 16, 1_048_576),
                (int) reader.longIn(t, "arp_pending_per_neighbour", d.arpPendingPerNeighbour(), 1, 1024),
                (int) reader.longIn(t, "icmp_errors_per_second", d.icmpErrorsPerSecond(), 0, 1_000_000));
    }
}
