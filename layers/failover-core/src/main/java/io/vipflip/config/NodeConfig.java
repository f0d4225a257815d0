package io.vipflip.config;

import java.util.Optional;

/**
 * A HAProxy node. The ENI and probe address are optional: when absent they are resolved from
 * DescribeInstances (primary ENI, primary private IP).
 *
 * @param priority higher wins when vipflip must choose among healthy nodes
 */
public record NodeConfig(String name, String instanceId, Optional<String> eniId, Optional<String> probeAddress,
                         int priority) {
}
