package io.ringwall.sim.scenario;

import io.ringwall.node.NodeConfig;
import io.ringwall.sim.LinkProfile;
import io.ringwall.sim.SimNode;
import io.ringwall.sim.SimSegment;
import io.ringwall.sim.host.SimHost;

import java.util.ArrayList;
import java.util.List;

import static io.ringwall.wire.Ipv4Address.parse;

/**
 * The standard topology: a client segment 10.1.0.0/24 (hosts .10 and up, gateway VIP 10.1.0.1),
 * gateway nodes with interface "wan" there and "lan" on the server segment 10.2.0.0/24 (VIP
 * 10.2.0.1, servers .10 and up). Node k has its own addresses 10.1.0.(1+k) and 10.2.0.(1+k).
 */
public final class GatewayTopology {
    public static final String RULES = "policy drop\naccept state established,related\naccept in wan out lan\naccept proto icmp\n";
    public static final int CLIENT_SUBNET = parse("10.1.0.0");
    public static final int SERVER_SUBNET = parse("10.2.0.0");
    public static final int CLIENT_VIP = parse("10.1.0.1");
    public static final int SERVER_VIP = parse("10.2.0.1");
    public static final int PREFIX_LENGTH = 24;
    public static final int FIRST_HOST = 10;
    public static final int MTU = 1500;

    public final SimSegment clientSegment;
    public final SimSegment serverSegment;
    public final List<SimNode> gateways = new ArrayList<>();
    public final List<SimHost> clients = new ArrayList<>();
    public final List<SimHost> servers = new ArrayList<>();

    public GatewayTopology(ScenarioContext ctx, int gatewayCount, int clientCount, int serverCount, LinkProfile profile) {
        clientSegment = new SimSegment(ctx.simulation(), "clients");
        serverSegment = new SimSegment(ctx.simulation(), "servers");
        for (int k = 1; k <= gatewayCount; k++) {
            NodeConfig config = nodeConfig(ctx, "gw" + k, k);
            gateways.add(ctx.addNode(new SimNode(ctx.simulation(), config, ctx.nodeFactory(),
                    new SimSegment[] {clientSegment, serverSegment}, profile)));
        }
        for (int i = 0; i < clientCount; i++) {
            clients.add(ctx.addHost(new SimHost(ctx.simulation(), "client-" + (i + 1), ctx.nextMac(),
                    CLIENT_SUBNET + FIRST_HOST + i, PREFIX_LENGTH, CLIENT_VIP, clientSegment, profile)));
        }
        for (int i = 0; i < serverCount; i++) {
            servers.add(ctx.addHost(new SimHost(ctx.simulation(), "server-" + (i + 1), ctx.nextMac(),
                    SERVER_SUBNET + FIRST_HOST + i, PREFIX_LENGTH, SERVER_VIP, serverSegment, profile)));
        }
    }

    private static NodeConfig nodeConfig(ScenarioContext ctx, String name, int k) {
        var wan = new NodeConfig.InterfaceConfig(0, "wan", ctx.nextMac(), MTU, CLIENT_SUBNET, PREFIX_LENGTH,
                CLIENT_SUBNET + 1 + k, List.of(CLIENT_VIP));
        var lan = new NodeConfig.InterfaceConfig(1, "lan", ctx.nextMac(), MTU, SERVER_SUBNET, PREFIX_LENGTH,
                SERVER_SUBNET + 1 + k, List.of(SERVER_VIP));
        return new NodeConfig(name, List.of(wan, lan), List.of(), new NodeConfig.RulesSource("rules.txt", RULES),
                NodeConfig.DataplaneLimits.defaults());
    }
}
