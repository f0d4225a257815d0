package io.vipflip.policy;

import io.vipflip.config.GroupConfig;
import io.vipflip.health.NodeHealth;
import io.vipflip.policy.Decision.Flip;
import io.vipflip.policy.Decision.NoHealthyNode;
import io.vipflip.policy.Decision.NoOp;
import io.vipflip.policy.Decision.Refused;
import io.vipflip.policy.Decision.Repair;
import io.vipflip.route.ResolvedNode;
import io.vipflip.route.RouteChange;
import io.vipflip.route.VipRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The decision core: observation + state + trigger → one {@link Decision}. Pure: no I/O, no clock.
 * The rules, in order, are in docs/architecture.md ("Policy"); "healthy" means UP by rise/fall, resolved to an
 * ENI, and not failed by the confirmation probe.
 */
public final class FailoverPolicy {
    private final QuorumRule quorum = new QuorumRule();

    public Decision decide(GroupConfig group, GroupState state, Observation obs, Trigger trigger) {
        Optional<String> current = ActiveNode.of(obs);
        return switch (trigger) {
            case Trigger.ManualFailover manual -> manualFailover(obs, current, manual);
            case Trigger.ManualFailback failback -> manualFailback(obs, current, failback);
            default -> state.paused()
                    ? new Decision.Paused("automation is paused: " + state.pauseReason().orElse("no reason given"))
                    : quorum.gate(group, obs, trigger, automatic(group, state, obs, current));
        };
    }

    private Decision automatic(GroupConfig group, GroupState state, Observation obs, Optional<String> current) {
        Instant now = obs.now();
        Optional<Pin> pin = state.pin();
        if (current.isEmpty()) {
            Optional<ResolvedNode> best = pin.flatMap(p -> obs.node(p.node())).filter(n -> healthy(obs, n))
                    .or(() -> bestHealthy(obs, Optional.empty()));
            return best.<Decision>map(n -> new Flip(Optional.empty(), n.name(), changesToward(obs, n),
                            "no table routes the VIP to a node; placing it on " + n.name()))
                    .orElseGet(() -> waitingOrNone(obs, Optional.empty(), "no node holds the VIP"));
        }
        Optional<String> pinnedAndNotFailed = pin.map(Pin::node)
                .filter(n -> obs.node(n).flatMap(ResolvedNode::eniId).isPresent())
                .filter(n -> !obs.health().of(n).isDown() && !obs.failedConfirmation(n)
                        && !ActiveNode.blackholed(obs, n));
        if (pinnedAndNotFailed.isPresent() && !pinnedAndNotFailed.equals(current)) {
            return towardPin(group, state, obs, current, pinnedAndNotFailed.get());
        }
        String active = current.get();
        NodeHealth activeHealth = obs.health().of(active);
        boolean activeFailed = (activeHealth.isDown() || ActiveNode.blackholed(obs, active))
                && !obs.passedConfirmation(active);
        if (activeFailed) {
            String why = active + " is " + (activeHealth.isDown() ? "DOWN" : "blackholed");
            return bestHealthy(obs, current)
                    .<Decision>map(n -> damped(group, state, now,
                            new Flip(current, n.name(), changesToward(obs, n), why + "; " + n.name() + " is healthy")))
                    .orElseGet(() -> waitingOrNone(obs, current, why));
        }
        if (!activeHealth.isUp()) {
            return new NoOp("waiting for the health of " + active + " (" + activeHealth.state() + ")");
        }
        if (pin.isEmpty() && group.failback().enabled()) {
            Optional<Decision> failback = failback(group, state, obs, active);
            if (failback.isPresent()) {
                return failback.get();
            }
        }
        ResolvedNode activeNode = obs.node(active).orElseThrow();
        List<RouteChange> drift = changesToward(obs, activeNode);
        if (!drift.isEmpty()) {
            return new Repair(active, drift, drift.size() + " route(s) drifted from " + active + ": "
                    + String.join(", ", drift.stream().map(c -> c.tableId() + " " + c.before().describeTarget()).toList()));
        }
        return new NoOp(active + " is healthy and every table points at it");
    }

    /**
     * Pinned to a node that has not failed, while most tables point elsewhere: a partly written manual failover
     * (a write failed, or a stale read), or the pinned node is back after automation moved away from it. The
     * operator's choice stands: complete the move toward the pin (damped like any automatic flip), never revert
     * it toward another node (issue 11); wait while the pinned node's health is unknown.
     */
    private Decision towardPin(GroupConfig group, GroupState state, Observation obs, Optional<String> current,
                               String pinned) {
        ResolvedNode node = obs.node(pinned).orElseThrow();
        if (!healthy(obs, node)) {
            return new NoOp("pinned to " + pinned + " by the operator; waiting for its health ("
                    + obs.health().of(pinned).state() + ") before completing the move");
        }
        return damped(group, state, obs.now(), new Flip(current, pinned, changesToward(obs, node),
                "pinned to " + pinned + " by the operator and it is healthy; " + current.orElse("-")
                        + " still holds most tables: completing the move"));
    }

    private Optional<Decision> failback(GroupConfig group, GroupState state, Observation obs, String active) {
        int activePriority = obs.node(active).map(ResolvedNode::priority).orElse(Integer.MIN_VALUE);
        Duration delay = group.failback().delay();
        return bestHealthy(obs, Optional.empty())
                .filter(best -> best.priority() > activePriority)
                .filter(best -> obs.health().of(best.name()).upSince()
                        .filter(since -> !since.plus(delay).isAfter(obs.now())).isPresent())
                .map(best -> damped(group, state, obs.now(), new Flip(Optional.of(active), best.name(),
                        changesToward(obs, best), "failback: " + best.name() + " (priority " + best.priority()
                        + ") healthy for at least " + delay.toSeconds() + "s")));
    }

    private Decision manualFailover(Observation obs, Optional<String> current, Trigger.ManualFailover manual) {
        Optional<ResolvedNode> target = obs.node(manual.target());
        if (target.isEmpty()) {
            return new Refused("unknown target node '" + manual.target() + "'");
        }
        if (target.get().eniId().isEmpty()) {
            return new Refused(manual.target() + " has no known ENI (instance not found in EC2)");
        }
        if (!manual.force()) {
            NodeHealth health = obs.health().of(manual.target());
            if (obs.failedConfirmation(manual.target())) {
                return new Refused(manual.target() + " failed the confirmation probe; use force to override");
            }
            if (!health.isUp() && !obs.passedConfirmation(manual.target())) {
                return new Refused(manual.target() + " is " + health.state() + "; use force to override");
            }
        }
        List<RouteChange> changes = changesToward(obs, target.get());
        if (changes.isEmpty()) {
            return new NoOp("every table already points at " + manual.target());
        }
        return new Flip(current, manual.target(), changes, "manual failover: " + manual.reason()
                + (manual.force() ? " (forced)" : ""));
    }

    private Decision manualFailback(Observation obs, Optional<String> current, Trigger.ManualFailback failback) {
        Optional<ResolvedNode> best = bestHealthy(obs, Optional.empty());
        if (best.isEmpty()) {
            return new NoHealthyNode("failback asked, but no node is healthy");
        }
        List<RouteChange> changes = changesToward(obs, best.get());
        if (changes.isEmpty()) {
            return new NoOp("already on the preferred node " + best.get().name());
        }
        return new Flip(current, best.get().name(), changes, "manual failback: " + failback.reason());
    }

    private static Decision damped(GroupConfig group, GroupState state, Instant now, Flip flip) {
        Duration min = group.damping().minTimeBetweenFlips();
        Optional<Instant> last = state.lastFlip();
        if (last.isPresent() && last.get().plus(min).isAfter(now)) {
            return new Refused("damping: wanted " + flip.from().orElse("-") + " -> " + flip.target() + " ("
                    + flip.reason() + ") but the last flip was at " + last.get() + "; next allowed at "
                    + last.get().plus(min));
        }
        long lastHour = state.flipsSince(now.minus(Duration.ofHours(1)));
        if (lastHour >= group.damping().maxFlipsPerHour()) {
            return new Refused("damping: wanted " + flip.from().orElse("-") + " -> " + flip.target() + " ("
                    + flip.reason() + ") but " + lastHour + " flips happened in the last hour (max "
                    + group.damping().maxFlipsPerHour() + ")");
        }
        return flip;
    }

    private static Decision waitingOrNone(Observation obs, Optional<String> excluded, String why) {
        boolean someUnknown = obs.nodes().stream()
                .filter(n -> excluded.filter(n.name()::equals).isEmpty())
                .anyMatch(n -> !obs.health().of(n.name()).isUp() && !obs.health().of(n.name()).isDown()
                        && !obs.failedConfirmation(n.name()));
        return someUnknown ? new NoOp(why + "; waiting for the health of the other nodes")
                : new NoHealthyNode(why + " and no other node is healthy; changing nothing");
    }

    static boolean healthy(Observation obs, ResolvedNode node) {
        return obs.health().of(node.name()).isUp() && node.eniId().isPresent()
                && !obs.failedConfirmation(node.name());
    }

    /** The healthy node with the highest priority (configuration order breaks ties), other than {@code except}. */
    static Optional<ResolvedNode> bestHealthy(Observation obs, Optional<String> except) {
        return obs.nodes().stream()
                .filter(n -> except.filter(n.name()::equals).isEmpty())
                .filter(n -> healthy(obs, n))
                .max(Comparator.comparingInt(ResolvedNode::priority)
                        .thenComparing(n -> -obs.nodes().indexOf(n)));
    }

    /** Every (table, VIP) not already active on {@code target}'s ENI. */
    static List<RouteChange> changesToward(Observation obs, ResolvedNode target) {
        String eni = target.eniId().orElseThrow();
        return obs.routes().routes().stream()
                .filter(r -> !r.activeOn(eni))
                .map((VipRoute r) -> new RouteChange(r.tableId(), r.vip(), eni, r))
                .toList();
    }
}
