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
        DampingSettings damping,
        VantageSettings vantage) {

    public GroupConfig {
        vips = List.copyOf(vips);
        nodes = List.copyOf(nodes);
    }

    /** A group judged from the deciding run's vantage point alone. */
    public GroupConfig(String name, List<String> vips, List<NodeConfig> nodes, RouteTableSelector routeTables,
                       ProbeSettings probe, FailbackSettings failback, DampingSettings damping) {
        this(name, vips, nodes, routeTables, probe, failback, damping, VantageSettings.local(probe == null
                ? java.time.Duration.ofMillis(ProbeSettings.DEFAULT_TIMEOUT_MILLIS) : probe.timeout()));
    }

    public GroupConfig withVantage(VantageSettings settings) {
        return new GroupConfig(name, vips, nodes, routeTables, probe, failback, damping, settings);
    }

    public Optional<NodeConfig> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    public Optional<NodeConfig> nodeByInstance(String instanceId) {
        return nodes.stream().filter(n -> n.instanceId().equals(instanceId)).findFirst();
    }
}
