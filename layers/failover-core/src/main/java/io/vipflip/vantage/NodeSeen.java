package io.vipflip.vantage;

import java.util.List;
import java.util.stream.Collectors;

/** One node as one vantage point saw it: UP when every port was UP (the rule of the deciding run's probe). */
public record NodeSeen(String node, List<PortSeen> ports) {
    public NodeSeen {
        ports = List.copyOf(ports);
    }

    public boolean up() {
        return !ports.isEmpty() && ports.stream().allMatch(p -> p.state() == PortState.UP);
    }

    /** "UP" or e.g. "DOWN (80 TIMEOUT, 443 DOWN)", for notifications. */
    public String describe() {
        if (up()) {
            return "UP";
        }
        return "DOWN (" + ports.stream().filter(p -> p.state() != PortState.UP)
                .map(p -> p.port() + " " + p.state()).collect(Collectors.joining(", ")) + ")";
    }
}
