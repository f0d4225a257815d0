package io.vipflip.probe;

import java.util.List;
import java.util.Optional;

/**
 * A node to probe: every port must accept a TCP connection for the node to pass a round, and on the HTTP check's
 * port, when there is one, the check must pass as well.
 */
public record ProbeTarget(String node, String address, List<Integer> ports, Optional<HttpCheck> http) {
    public ProbeTarget {
        ports = List.copyOf(ports);
    }

    public ProbeTarget(String node, String address, List<Integer> ports) {
        this(node, address, ports, Optional.empty());
    }

    /** The HTTP check to run on {@code port}, if it is that check's port. */
    Optional<HttpCheck> httpOn(int port) {
        return http.filter(h -> h.port() == port);
    }
}
