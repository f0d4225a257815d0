package io.vipflip.probe;

import java.time.Duration;
import java.util.List;

/** A node's result for one round: it passes when every configured port accepted. */
public record NodeProbe(String node, List<PortResult> ports) {
    public NodeProbe {
        ports = List.copyOf(ports);
    }

    public boolean passed() {
        return !ports.isEmpty() && ports.stream().allMatch(PortResult::open);
    }

    /** The slowest port's latency: what the node's health "costs" this round. */
    public Duration latency() {
        return ports.stream().map(PortResult::latency).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    public String summary() {
        return ports.stream()
                .map(p -> p.port() + (p.open() ? " open " + p.latency().toMillis() + "ms" : " " + p.failure().orElse("failed")))
                .reduce((a, b) -> a + ", " + b).orElse("no ports");
    }
}
