package io.vipflip.simulation;

import io.vipflip.config.GroupConfig;
import io.vipflip.health.GroupHealth;
import io.vipflip.health.HealthState;
import io.vipflip.health.NodeHealth;
import io.vipflip.policy.Decision;
import io.vipflip.policy.FailoverPolicy;
import io.vipflip.policy.GroupState;
import io.vipflip.policy.Observation;
import io.vipflip.policy.Trigger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deliberately broken variants of the code, one per invariant (issue 12): each is a bug the simulation must catch.
 * The policy variants wrap the real policy and change only what it is given or what it returns; the others swap
 * a port for a broken one.
 */
enum Broken {
    NONE,
    /** The lease's condition is dropped: anyone takes it at any time. */
    LEASE_CONDITION_DROPPED,
    /** A route-table wrapper drops the lease's write bound (the SDK waits a day): slow writes land after it. */
    WRITE_BOUND_DROPPED,
    /** The confirmation probe taken under the lease is not given to the policy. */
    CONFIRMATION_IGNORED,
    /** Health is misread: a node that is DOWN looks UP (and long up, so failback wants it). */
    DOWN_SEEN_AS_UP,
    /** The active node's failure is not noticed: it looks UP however many probes it fails. */
    ACTIVE_FAILURE_IGNORED,
    /** The decision taken before the lease is acted on under the lease instead of a fresh one. */
    PRE_LEASE_DECISION_REUSED,
    /** The damping limits are never applied: the policy does not see the recent flips. */
    DAMPING_IGNORED,
    /** Automation does not see the operator's pin. */
    PIN_IGNORED,
    /** Drift is never repaired: a partly written flip stays partly written. */
    REPAIR_SKIPPED;

    FailoverPolicy policy() {
        return switch (this) {
            case CONFIRMATION_IGNORED -> new FailoverPolicy() {
                @Override
                public Decision decide(GroupConfig group, GroupState state, Observation obs, Trigger trigger) {
                    return super.decide(group, state, obs.withConfirmation(Map.of(), obs.routes()), trigger);
                }

                @Override
                public Decision confirmedUnderLease(Decision decision, Observation confirmed, Trigger trigger) {
                    return decision; // ignored here too: the second guard would otherwise hide the first one's absence
                }
            };
            case DOWN_SEEN_AS_UP -> new FailoverPolicy() {
                @Override
                public Decision decide(GroupConfig group, GroupState state, Observation obs, Trigger trigger) {
                    Map<String, NodeHealth> misread = new LinkedHashMap<>();
                    obs.health().nodes().forEach((node, health) -> misread.put(node, health.isDown()
                            ? new NodeHealth(HealthState.UP, 2, 0, Optional.of(Instant.EPOCH), health.observedAt())
                            : health));
                    return super.decide(group, state, new Observation(obs.now(), obs.nodes(), new GroupHealth(misread),
                            obs.routes(), obs.confirmation()), trigger);
                }
            };
            case ACTIVE_FAILURE_IGNORED -> new FailoverPolicy() {
                @Override
                public Decision decide(GroupConfig group, GroupState state, Observation obs, Trigger trigger) {
                    Optional<String> active = io.vipflip.policy.ActiveNode.of(obs);
                    Map<String, NodeHealth> misread = new LinkedHashMap<>(obs.health().nodes());
                    active.filter(n -> misread.get(n).isDown()).ifPresent(n -> misread.put(n,
                            new NodeHealth(HealthState.UP, 2, 0, Optional.of(Instant.EPOCH), misread.get(n).observedAt())));
                    return super.decide(group, state, new Observation(obs.now(), obs.nodes(), new GroupHealth(misread),
                            obs.routes(), Map.of()), trigger);
                }
            };
            case PRE_LEASE_DECISION_REUSED -> new FailoverPolicy() {
                private Decision beforeLease;

                @Override
                public Decision decide(GroupConfig group, GroupState state, Observation obs, Trigger trigger) {
                    Decision fresh = super.decide(group, state, obs, trigger);
                    if (obs.confirmation().isEmpty()) {
                        beforeLease = fresh; // observed before the lease (no confirmation yet)
                        return fresh;
                    }
                    return beforeLease instanceof Decision.RouteWrite ? beforeLease : fresh;
                }
            };
            case DAMPING_IGNORED -> new FailoverPolicy() {
                @Override
                public Decision decide(GroupConfig group, GroupState state, Observation obs, Trigger trigger) {
                    return super.decide(group, new GroupState(state.paused(), state.pauseReason(), state.pin(), List.of(),
                            state.lastToken(), state.lastRefusal(), state.health(), state.backoff()), obs, trigger);
                }
            };
            case PIN_IGNORED -> new FailoverPolicy() {
                @Override
                public Decision decide(GroupConfig group, GroupState state, Observation obs, Trigger trigger) {
                    return super.decide(group, trigger.automatic() ? state.withPin(Optional.empty()) : state, obs,
                            trigger);
                }
            };
            case REPAIR_SKIPPED -> new FailoverPolicy() {
                @Override
                public Decision decide(GroupConfig group, GroupState state, Observation obs, Trigger trigger) {
                    Decision decision = super.decide(group, state, obs, trigger);
                    return decision instanceof Decision.Repair repair
                            ? new Decision.NoOp("(broken) drift left alone: " + repair.reason()) : decision;
                }
            };
            default -> new FailoverPolicy();
        };
    }
}
