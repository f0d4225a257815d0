package io.vipflip.route;

import io.vipflip.config.GroupConfig;
import io.vipflip.config.NodeConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;

/**
 * Resolves nodes without a configured ENI or probe address with one DescribeInstances (primary ENI, primary
 * private IP). Results are kept for the life of the container: an instance's primary ENI and IP do not change.
 * A node EC2 does not know stays unresolved (it can be neither probed nor targeted) instead of failing the group.
 */
public final class Ec2NodeResolver implements NodeResolver {
    private final Ec2Client ec2;
    private final Map<String, ResolvedNode> cache = new ConcurrentHashMap<>();

    public Ec2NodeResolver(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public List<ResolvedNode> resolve(GroupConfig group) {
        List<NodeConfig> unresolved = group.nodes().stream()
                .filter(n -> (n.eniId().isEmpty() || n.probeAddress().isEmpty()) && !cache.containsKey(n.instanceId()))
                .toList();
        if (!unresolved.isEmpty()) {
            describe(unresolved).forEach(cache::put);
        }
        return group.nodes().stream().map(node -> {
            ResolvedNode fromEc2 = cache.get(node.instanceId());
            Optional<String> eni = node.eniId().or(() -> fromEc2 == null ? Optional.empty() : fromEc2.eniId());
            Optional<String> ip = node.probeAddress()
                    .or(() -> fromEc2 == null ? Optional.empty() : fromEc2.probeAddress());
            return new ResolvedNode(node.name(), node.instanceId(), eni, ip, node.priority());
        }).toList();
    }

    private Map<String, ResolvedNode> describe(List<NodeConfig> nodes) {
        Map<String, ResolvedNode> found = new HashMap<>();
        try {
            // A filter rather than InstanceIds: one unknown id must not fail the lookup of the others.
            ec2.describeInstancesPaginator(DescribeInstancesRequest.builder()
                            .filters(Filter.builder().name("instance-id")
                                    .values(nodes.stream().map(NodeConfig::instanceId).toList()).build())
                            .build())
                    .reservations().forEach(r -> r.instances().forEach(i -> found.put(i.instanceId(), toNode(i))));
        } catch (SdkException e) {
            // Unresolved nodes are retried on the next round; the group keeps running on what is known.
            return Map.of();
        }
        return found;
    }

    private static ResolvedNode toNode(Instance instance) {
        Optional<String> eni = instance.networkInterfaces().stream()
                .filter(n -> n.attachment() != null && Integer.valueOf(0).equals(n.attachment().deviceIndex()))
                .map(InstanceNetworkInterface::networkInterfaceId)
                .findFirst();
        return new ResolvedNode("", instance.instanceId(), eni, Optional.ofNullable(instance.privateIpAddress()), 0);
    }
}
