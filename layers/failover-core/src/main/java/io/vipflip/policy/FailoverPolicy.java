package io.vipflip.policy;

import io.vipflip.config.GroupConfig;
import io.vipflip.health.GroupHealth;
import io.vipflip.health.HealthTransition;
import io.vipflip.health.NodeHealth;
import io.vipflip.policy.Decision.Flip;
import io.vipflip.policy.Decision.NoHealthyNode;
import io.vipflip.policy.Decision.NoOp;
import io.vipflip.policy.Decision.Refused;
import io.vipflip.policy.Decision.Repair;
import io.vipflip.route.ResolvedNode;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.route.VipRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The decision core: observation + state + trigger → one {@link Decision}. Pure: no I/O, no clock.
 * The rules, in order, are in docs/architecture.md ("Policy"); "healthy" means UP by rise/fall, resolved to an
 * ENI, and not failed by the confirmation probe. Not final only so that the simulation's deliberately broken
 * variants (issue 12) can extend it; production code always uses this class as is.
 */
public class FailoverPolicy {
    private final QuorumRule quorum = new QuorumRule();

    public Decision decide(GroupConfig group, GroupState state, Observation obs, Trigger trigger) {
        Optional<String> current = ActiveNode.of(obs);
        return switch (trigger) {
            case Trigger.ManualFailover manual -> manualFailover(obs, current, manual);
            case Trigger.ManualFailback failback -> manualFailback(obs, current, failback);
            default -> state.paused()
                    ? new Decision.Paused("automation is paused: " + state.pauseReason().orElse("no reason given"))
                    : quorum.gate(group, obs, trigger, automatic(group, state, obs, current, trigger));
        };
    }

    private Decision automatic(GroupConfig group, GroupState state, Observation obs, Optional<String> current,
                               Trigger trigger) {
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
        return drift.isEmpty() ? noDrift(state, active) : repair(state, obs, trigger, active, drift);
    }

    /**
     * Repairs the drifted tables, except those in repair back-off: a table whose writes keep failing (AccessDenied,
     * a target in another VPC, a route quota) is retried only from its retry time, not every round (issue 11, repair
     * storms). An operator's reconcile retries them at once.
     */
    private static Decision repair(GroupState state, Observation obs, Trigger trigger, String active,
                                   List<RouteChange> drift) {
        boolean retryNow = trigger instanceof Trigger.Reconcile;
        List<RouteChange> due = drift.stream()
                .filter(c -> retryNow || !backingOff(state, c.tableId(), obs.now())).toList();
        if (due.isEmpty()) {
            return new NoOp(drift.size() + " route(s) drifted from " + active + " but every one is in repair back-off: "
                    + String.join(", ", drift.stream().map(c -> c.tableId() + " until "
                    + state.backoff().get(c.tableId()).retryAt()).toList()));
        }
        return new Repair(active, due, due.size() + " route(s) drifted from " + active + ": "
                + String.join(", ", due.stream().map(c -> c.tableId() + " " + c.before().describeTarget()).toList()));
    }

    private static boolean backingOff(GroupState state, String table, Instant now) {
        return Optional.ofNullable(state.backoff().get(table)).filter(b -> b.waitingAt(now)).isPresent();
    }

    /** Every table points at the active node: tables still in repair back-off have left it (fixed by hand). */
    private static Decision noDrift(GroupState state, String active) {
        if (!state.backoff().isEmpty()) {
            List<String> tables = List.copyOf(state.backoff().keySet());
            return new Decision.BackoffEnded(tables, "every table points at " + active + " again: "
                    + String.join(", ", tables) + " left repair back-off");
        }
        return new NoOp(active + " is healthy and every table points at it");
    }

    /**
     * The nodes to probe again under the lease before deciding again: the target and the current holder; none for a
     * forced failover; never a node whose instance EC2 reported stopping (authoritative whatever a probe says).
     */
    public Set<String> toConfirm(Decision decision, Observation obs, Trigger trigger) {
        Set<String> nodes = new LinkedHashSet<>();
        if (trigger instanceof Trigger.ManualFailover manual && manual.force()) {
            return nodes;
        }
        if (decision instanceof Decision.RouteWrite write) {
            nodes.add(write.target());
        }
        if (trigger instanceof Trigger.ManualFailover manual) {
            nodes.add(manual.target());
        }
        ActiveNode.of(obs).ifPresent(nodes::add);
        if (trigger instanceof Trigger.InstanceStopped stopped) {
            nodes.remove(stopped.node()); // authoritative: its instance is going away whatever a probe says
        }
        return nodes;
    }

    /**
     * Under the lease a route write goes only toward a node that has just passed the confirmation probe. The decision
     * under the lease can pick another target than the first one (the first failed its confirmation, so the next
     * best is chosen): that node was not probed under the lease, and may have failed its last probe a moment ago
     * (the simulation found such flips). Nothing is written now; the next round probes it and decides. An operator's
     * forced failover is the one exception: the operator chose to skip the probe.
     */
    public Decision confirmedUnderLease(Decision decision, Observation confirmed, Trigger trigger) {
        if (!(decision instanceof Decision.RouteWrite write)
                || trigger instanceof Trigger.ManualFailover manual && manual.force()
                || confirmed.passedConfirmation(write.target())) {
            return decision;
        }
        return new Decision.Refused("target " + write.target() + " was not confirmed under the lease (the node "
                + "chosen first failed its confirmation): the next round probes it and decides");
    }

    /**
     * The health to decide on: what the probes said, and an instance-state trigger's node DOWN at once — EC2 says its
     * instance is stopping or gone, which no probe result outweighs (the event was screened as current before).
     */
    public GroupHealth.Update withTriggerEvidence(Trigger trigger, GroupHealth.Update probed, Instant now) {
        if (!(trigger instanceof Trigger.InstanceStopped stopped)) {
            return probed;
        }
        GroupHealth.Update forced = probed.health().forceDown(stopped.node(), now,
                "instance " + stopped.instanceId() + " is " + stopped.state());
        List<HealthTransition> all = new ArrayList<>(probed.transitions());
        all.addAll(forced.transitions());
        return new GroupHealth.Update(forced.health(), all);
    }

    /**
     * Whether the run is worth the lease: routes must change, an operator asked for something, a table left repair
     * back-off, or a refusal differs from the last one recorded (a repeated refusal is recorded once, not every round).
     */
    public boolean worthActing(Decision decision, GroupState state, Trigger trigger) {
        if (decision instanceof Decision.RouteWrite || decision instanceof Decision.BackoffEnded || !trigger.automatic()) {
            return true;
        }
        return refusal(decision) && !state.lastRefusal().equals(Optional.of(decision.kind()));
    }

    /**
     * What a run under the lease leaves behind, given the decision it acted on and its writes' outcomes: the next
     * state (damping, pin, refusal suppression, repair back-off), the history entry's kind (none for an automatic
     * run that changed nothing) and whether to notify people.
     */
    public Settlement settle(GroupState state, Decision decision, Trigger trigger, long token,
                             List<RouteWriteOutcome> writes, Instant now) {
        boolean landed = writes.stream().anyMatch(w -> w.succeeded() || w.mayHaveLanded());
        // Damping limits automatic flips; an operator's flip is not counted against it (after a manual failover,
        // automation must still be free to move away from a target that dies). A flip that may have landed counts.
        GroupState next = decision instanceof Decision.Flip && landed && trigger.automatic()
                ? state.withFlip(now, token) : state.withToken(token);
        next = next.withLastRefusal(refusal(decision) ? Optional.of(decision.kind()) : Optional.empty());
        // The operator's choice holds once something of it was done: a failover whose every write was refused
        // did not move the VIP, and pins nothing (issue 11).
        boolean done = decision instanceof Decision.NoOp || decision instanceof Decision.Flip && landed;
        if (trigger instanceof Trigger.ManualFailover manual && done) {
            next = next.withPin(Optional.of(new Pin(manual.target(), manual.reason())));
        } else if (trigger instanceof Trigger.ManualFailback && done) {
            next = next.withPin(Optional.empty());
        }
        RepairBackoff.Change backoff = RepairBackoff.after(state.backoff(), decision, writes, now);
        next = next.withBackoff(backoff.tables());
        Optional<HistoryKind> kind = historyKind(decision, trigger).filter(k -> !QuorumRule.repeated(state, decision));
        // A retry that fails again while its table stays in back-off is recorded, but nobody is told again.
        boolean quietRetry = decision instanceof Decision.Repair && !landed && !backoff.changed();
        return new Settlement(next, kind, kind.isPresent() && !quietRetry, backoff.note());
    }

    private static Optional<HistoryKind> historyKind(Decision decision, Trigger trigger) {
        return switch (decision) {
            case Decision.NoOp noOp -> trigger.automatic() ? Optional.empty()
                    : Optional.of(trigger instanceof Trigger.ManualFailover ? HistoryKind.PINNED : HistoryKind.UNPINNED);
            case Decision.Flip flip -> Optional.of(HistoryKind.FLIP);
            case Decision.Repair repair -> Optional.of(HistoryKind.REPAIR);
            case Decision.Refused refused -> Optional.of(HistoryKind.REFUSED);
            case Decision.NoHealthyNode none -> Optional.of(HistoryKind.NO_HEALTHY_NODE);
            case Decision.Paused paused -> Optional.of(HistoryKind.PAUSED);
            case Decision.BackoffEnded ended -> Optional.of(HistoryKind.BACKOFF_ENDED);
            case Decision.NoQuorum noQuorum -> Optional.of(noQuorum.verdict().history());
        };
    }

    private static boolean refusal(Decision decision) {
        return decision instanceof Decision.Refused || decision instanceof Decision.NoHealthyNode
                || decision instanceof Decision.NoQuorum;
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
