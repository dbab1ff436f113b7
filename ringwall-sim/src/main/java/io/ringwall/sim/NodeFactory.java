package io.ringwall.sim;

import io.ringwall.node.Effects;
import io.ringwall.node.NodeConfig;
import io.ringwall.node.NodeMachine;
import io.ringwall.time.Prng;

/** Builds a node machine; {@code GatewayNode::new} fits. Called again on every simulated restart. */
@FunctionalInterface
public interface NodeFactory {
    NodeMachine create(NodeConfig config, Effects effects, Prng prng);
}
