package io.ringwall.app.cli;

import io.ringwall.app.mgmt.HostPort;
import io.ringwall.app.mgmt.ManagementClient;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --node HOST:PORT}: which node's management listener a CLI command talks to. */
public final class NodeAddressOption {
    @Option(names = "--node", paramLabel = "HOST:PORT", converter = Converter.class,
            description = "the node's management listener (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1:7480")
    HostPort node;

    ManagementClient client() {
        return new ManagementClient(node);
    }

    static final class Converter implements CommandLine.ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return HostPort.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
