package io.vipflip.config;

import java.util.List;
import java.util.Optional;

/** One HA unit: its VIPs, its nodes, the route tables that carry the VIP routes, and how it is watched. */
public record GroupConfig(
        String name,
        List<String> vips,
        List<NodeConfig> nodes,
        RouteTableSelector routeTables,
        ProbeSettings probe,
        FailbackSettings failback,
        DampingSettings damping) {

    public GroupConfig {
        vips = List.copyOf(vips);
        nodes = List.copyOf(nodes);
    }

    public Optional<NodeConfig> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    public Optional<NodeConfig> nodeByInstance(String instanceId) {
        return nodes.stream().filter(n -> n.instanceId().equals(instanceId)).findFirst();
    }
}
