package io.vipflip.probe;

import java.util.List;

/** A node to probe: every port must accept a TCP connection for the node to pass a round. */
public record ProbeTarget(String node, String address, List<Integer> ports) {
    public ProbeTarget {
        ports = List.copyOf(ports);
    }
}
