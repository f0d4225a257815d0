package io.vipflip.route;

import java.util.Optional;

/**
 * A node with the addresses vipflip acts on: the ENI routes point at, and the IP it probes.
 * Both are empty when the node could not be resolved (its instance is unknown to EC2).
 */
public record ResolvedNode(String name, String instanceId, Optional<String> eniId, Optional<String> probeAddress,
                           int priority) {
}
