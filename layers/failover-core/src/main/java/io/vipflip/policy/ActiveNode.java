package io.vipflip.policy;

import io.vipflip.route.ResolvedNode;
import io.vipflip.route.RouteStatus;
import io.vipflip.route.VipRoute;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who holds the VIP, read from the route tables (the source of truth): the node whose ENI most (table, VIP)
 * routes point at, active routes first; higher priority breaks a tie. A node reached only through blackhole
 * routes still "holds" the VIP, and is treated as failed.
 */
public final class ActiveNode {
    private ActiveNode() {
    }

    public static Optional<String> of(Observation obs) {
        return mostRouted(obs, RouteStatus.ACTIVE).or(() -> mostRouted(obs, RouteStatus.BLACKHOLE));
    }

    static boolean blackholed(Observation obs, String node) {
        Optional<String> eni = obs.node(node).flatMap(ResolvedNode::eniId);
        var routed = obs.routes().routes().stream().filter(r -> eni.isPresent() && r.eniId().equals(eni)).toList();
        return !routed.isEmpty() && routed.stream().allMatch(r -> r.status() == RouteStatus.BLACKHOLE);
    }

    private static Optional<String> mostRouted(Observation obs, RouteStatus status) {
        Map<ResolvedNode, Long> counts = obs.routes().routes().stream()
                .filter(r -> r.status() == status)
                .map(VipRoute::eniId).flatMap(Optional::stream)
                .map(obs::nodeByEni).flatMap(Optional::stream)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return counts.entrySet().stream()
                .max(Comparator.comparing(Map.Entry<ResolvedNode, Long>::getValue)
                        .thenComparing(e -> e.getKey().priority()))
                .map(e -> e.getKey().name());
    }
}
