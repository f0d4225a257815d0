package io.vipflip.policy;

import io.vipflip.config.GroupConfig;
import io.vipflip.vantage.VantageView;
import io.vipflip.vantage.VantageVotes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The second opinion (issue 14): with {@code vantage: quorum}, an automatic flip away from an active node that the
 * deciding run sees failed needs, among the vantage points that answered in time (the deciding run counts as one):
 * <ul>
 *   <li>enough votes: a majority of all vantage points (every observer plus the deciding run), and at least two;</li>
 *   <li>the active node seen DOWN by a strict majority of the votes;</li>
 *   <li>the target seen UP by every vote: a node some AZ cannot reach would move the outage there.</li>
 * </ul>
 * Too few votes: {@link Verdict#TOO_FEW_VOTES}. Enough votes that disagree: {@link Verdict#PARTITION_SUSPECTED}.
 * Either way nothing changes and the next round asks again. An observer that did not answer has no vote, never a
 * DOWN vote. Not gated: manual requests, a flip away from a node whose instance EC2 reported stopping (authoritative),
 * failback and moves toward a pin (the active is UP), and a placement when no node holds the VIP. Before the lease the
 * observers are not asked yet, and the flip is provisional: the leased run asks them and decides again.
 */
public final class QuorumRule {

    public enum Verdict {
        PARTITION_SUSPECTED(DecisionKind.PARTITION_SUSPECTED, HistoryKind.PARTITION_SUSPECTED),
        TOO_FEW_VOTES(DecisionKind.TOO_FEW_VOTES, HistoryKind.TOO_FEW_VOTES);

        private final DecisionKind kind;
        private final HistoryKind history;

        Verdict(DecisionKind kind, HistoryKind history) {
            this.kind = kind;
            this.history = history;
        }

        public DecisionKind kind() {
            return kind;
        }

        public HistoryKind history() {
            return history;
        }
    }

    /** A verdict already recorded by an earlier round of the same partition: recorded and announced once. */
    static boolean repeated(GroupState state, Decision decision) {
        return decision instanceof Decision.NoQuorum && state.lastRefusal().equals(Optional.of(decision.kind()));
    }

    /** The deciding run's own vote, named in reasons and notifications. */
    static final String DECIDING_RUN = "deciding run";

    /** {@code decision}, or a {@link Decision.NoQuorum} when it is a flip the vantage points do not back. */
    public Decision gate(GroupConfig group, Observation obs, Trigger trigger, Decision decision) {
        if (!group.vantage().quorum() || !trigger.automatic() || !(decision instanceof Decision.Flip flip)
                || flip.from().isEmpty()) {
            return decision;
        }
        String active = flip.from().get();
        if (trigger instanceof Trigger.InstanceStopped stopped && stopped.node().equals(active)) {
            return decision;
        }
        if (obs.health().of(active).isUp() && !obs.failedConfirmation(active)) {
            return decision;
        }
        if (obs.vantage().isEmpty()) {
            return decision;
        }
        VantageVotes votes = obs.vantage().get();
        String target = flip.target();
        String wanted = "wanted " + active + " -> " + target + " (" + flip.reason() + ")";
        int vantagePoints = votes.observers() + 1;
        int cast = votes.answers().size() + 1;
        int needed = Math.max(2, vantagePoints / 2 + 1);
        if (cast < needed) {
            return new Decision.NoQuorum(Verdict.TOO_FEW_VOTES, wanted + " but only " + cast + " of " + vantagePoints
                    + " vantage points answered (" + needed + " needed); no vote from: "
                    + String.join("; ", votes.silent()) + ". Views: " + views(votes, active, target));
        }
        long down = 1 + votes.answers().stream().filter(v -> v.sees(active).equals(Optional.of(false))).count();
        List<String> targetNotUp = votes.answers().stream()
                .filter(v -> !v.sees(target).orElse(false)).map(VantageView::vantage).toList();
        if (down * 2 > cast && targetNotUp.isEmpty()) {
            return new Decision.Flip(flip.from(), target, flip.changes(), flip.reason() + "; " + down + " of " + cast
                    + " vantage points see " + active + " DOWN and all see " + target + " UP");
        }
        String why = down * 2 > cast
                ? target + " is not UP from " + String.join(", ", targetNotUp)
                : "only " + down + " of " + cast + " vantage points see " + active + " DOWN";
        return new Decision.NoQuorum(Verdict.PARTITION_SUSPECTED, wanted + " but the AZs disagree: " + why
                + ". Views: " + views(votes, active, target));
    }

    /** "deciding run: a DOWN, b UP; eu-west-1b: a UP, b UP", the deciding run's view being the flip it decided. */
    private static String views(VantageVotes votes, String active, String target) {
        List<String> views = new ArrayList<>();
        views.add(DECIDING_RUN + ": " + active + " DOWN, " + target + " UP");
        for (VantageView view : votes.answers()) {
            views.add(view.vantage() + ": " + active + " " + view.describe(active) + ", " + target + " "
                    + view.describe(target));
        }
        return String.join("; ", views);
    }
}
