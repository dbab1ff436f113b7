package io.ringwall.app.cli;

import io.ringwall.app.config.ClusterConfig;
import io.ringwall.app.config.ConfigException;
import io.ringwall.app.config.ConfigLoader;
import io.ringwall.wire.Ipv4Address;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ringwall check-config FILE}: validates the cluster file and its rule file without touching the system. */
@Command(name = "check-config", description = "Validate a cluster configuration file and its rule set.")
public final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the cluster TOML file")
    Path file;

    @Override
    public Integer call() {
        try {
            ClusterConfig config = ConfigLoader.load(file);
            System.out.println(file + ": OK — cluster '" + config.clusterName() + "', " + config.nodes().size()
                    + " node(s), " + config.subnets().size() + " interface(s), "
                    + config.subnets().stream().mapToInt(s -> s.vips().size()).sum() + " VIP(s), "
                    + config.routes().size() + " route(s), rules " + config.rules().fileName());
            for (ClusterConfig.SubnetEntry s : config.subnets()) {
                System.out.println("  interface " + s.name() + " " + Ipv4Address.format(s.network()) + "/"
                        + s.prefixLength() + " vips " + s.vips().stream().map(Ipv4Address::format).toList());
            }
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
