package io.vipflip.vantage;

import java.util.Map;
import java.util.Optional;

/**
 * One observer's answer: where it stands ({@code vantage}, its Availability Zone) and what it saw of each node.
 * A node missing from the answer is no opinion about that node.
 */
public record VantageView(String vantage, Map<String, NodeSeen> nodes) {
    public VantageView {
        nodes = Map.copyOf(nodes);
    }

    /** UP or DOWN as seen from here; empty when this vantage point did not probe the node. */
    public Optional<Boolean> sees(String node) {
        return Optional.ofNullable(nodes.get(node)).map(NodeSeen::up);
    }

    public String describe(String node) {
        return Optional.ofNullable(nodes.get(node)).map(NodeSeen::describe).orElse("not asked");
    }
}
