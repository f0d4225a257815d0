package io.vipflip.probe;

import java.util.Map;
import java.util.Optional;

/** The results of probing every node once, keyed by node name. */
public record ProbeRound(Map<String, NodeProbe> nodes) {
    public ProbeRound {
        nodes = Map.copyOf(nodes);
    }

    public boolean passed(String node) {
        return Optional.ofNullable(nodes.get(node)).map(NodeProbe::passed).orElse(false);
    }
}
