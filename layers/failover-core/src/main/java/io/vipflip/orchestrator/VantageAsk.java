package io.vipflip.orchestrator;

import io.vipflip.config.GroupConfig;
import io.vipflip.policy.Decision;
import io.vipflip.policy.Observation;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.vantage.VantagePoints;
import io.vipflip.vantage.VantageVotes;
import java.util.List;
import java.util.Optional;

/**
 * Asks the AZ observers under the lease, for a {@code vantage: quorum} group whose run wants to flip away from its
 * active node (issue 14). Every node with a probe address is asked about: the decision under the lease may pick
 * another target than the first one did.
 */
final class VantageAsk {
    private final VantagePoints points;

    VantageAsk(VantagePoints points) {
        this.points = points;
    }

    /** The votes for the leased decision: empty for a local group, "not asked" when the run did not want to flip. */
    Optional<VantageVotes> ask(GroupConfig group, Decision first, Observation obs, Trigger trigger) {
        if (!group.vantage().quorum()) {
            return Optional.empty();
        }
        if (!trigger.automatic() || !(first instanceof Decision.Flip flip) || flip.from().isEmpty()) {
            return Optional.of(VantageVotes.notAsked(points.count()));
        }
        List<ProbeTarget> targets = obs.nodes().stream()
                .filter(n -> n.probeAddress().isPresent())
                .map(n -> group.probe().target(n.name(), n.probeAddress().get()))
                .toList();
        return Optional.of(points.ask(targets, group.probe().timeout(), group.vantage().deadline()));
    }

    Observation attach(Observation obs, Optional<VantageVotes> votes) {
        return votes.map(obs::withVantage).orElse(obs);
    }
}
