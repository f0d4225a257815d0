package io.vipflip.route;

import io.vipflip.config.GroupConfig;
import java.util.List;

/** Fills in each node's ENI and probe address, from the configuration or from EC2. */
public interface NodeResolver {
    List<ResolvedNode> resolve(GroupConfig group);
}
