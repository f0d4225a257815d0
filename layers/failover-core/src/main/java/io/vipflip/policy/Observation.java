package io.vipflip.policy;

import io.vipflip.health.GroupHealth;
import io.vipflip.route.ResolvedNode;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.vantage.VantageVotes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the policy may look at, gathered before it runs: it reads no clock and does no I/O itself.
 *
 * @param confirmation the confirmation probe taken under the lease, node → passed: a node that failed it is never
 *                     a target, and a current node that passed it is not moved away from
 * @param vantage      the AZ observers' votes, asked under the lease; empty before the lease (see {@link QuorumRule})
 */
public record Observation(Instant now, List<ResolvedNode> nodes, GroupHealth health, RouteSnapshot routes,
                          Map<String, Boolean> confirmation, Optional<VantageVotes> vantage) {
    public Observation {
        nodes = List.copyOf(nodes);
        confirmation = Map.copyOf(confirmation);
    }

    public Observation(Instant now, List<ResolvedNode> nodes, GroupHealth health, RouteSnapshot routes,
                       Map<String, Boolean> confirmation) {
        this(now, nodes, health, routes, confirmation, Optional.empty());
    }

    public Observation withVantage(VantageVotes votes) {
        return new Observation(now, nodes, health, routes, confirmation, Optional.of(votes));
    }

    public Optional<ResolvedNode> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public Optional<ResolvedNode> nodeByEni(String eni) {
        return nodes.stream().filter(n -> n.eniId().filter(eni::equals).isPresent()).findFirst();
    }

    public Observation withConfirmation(Map<String, Boolean> confirmed, RouteSnapshot reread) {
        return new Observation(now, nodes, health, reread, confirmed, vantage);
    }

    public boolean failedConfirmation(String node) {
        return Boolean.FALSE.equals(confirmation.get(node));
    }

    public boolean passedConfirmation(String node) {
        return Boolean.TRUE.equals(confirmation.get(node));
    }
}
