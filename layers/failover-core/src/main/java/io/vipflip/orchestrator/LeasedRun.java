package io.vipflip.orchestrator;

import io.vipflip.config.DeploymentConfig;
import io.vipflip.config.GroupConfig;
import io.vipflip.health.GroupHealth;
import io.vipflip.history.GroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseLostException;
import io.vipflip.lease.LeaseStore;
import io.vipflip.policy.ActiveNode;
import io.vipflip.policy.Decision;
import io.vipflip.policy.FailoverPolicy;
import io.vipflip.policy.GroupState;
import io.vipflip.policy.Observation;
import io.vipflip.policy.HistoryKind;
import io.vipflip.policy.Settlement;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.ProbeRound;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.probe.Prober;
import io.vipflip.route.ParallelRouteWriter;
import io.vipflip.route.ResolvedNode;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteTables;
import io.vipflip.route.RouteWriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a run done under the lease: re-read routes and state and re-probe the nodes involved, decide again
 * on that fresh view, check the lease is still ours, write every route at once, verify with one read, record
 * state and history (conditioned on the lease), release.
 */
final class LeasedRun {
    private final DeploymentConfig config;
    private final GroupConfig group;
    private final Prober prober;
    private final RouteTables routes;
    private final LeaseStore leases;
    private final GroupStateStore states;
    private final Clock clock;
    private final String owner;
    private final FailoverPolicy policy;
    private final io.vipflip.history.Notifier notifier;
    private final Map<String, Long> probeMillis;
    private final VantageAsk vantage;
    /** Set when the first route write is sent: from then on EC2 may apply our writes whatever happens next. */
    private boolean writesSent;
    /** The invocation's end less its margin: notifications end by it (issue 11). */
    private Instant mustEndBy = Instant.MAX;
    /** Kept free under the lease after the verify read, for the record (one DynamoDB transaction). */
    static final Duration RECORD_ALLOWANCE = Duration.ofSeconds(1);

    LeasedRun(DeploymentConfig config, GroupConfig group, Prober prober, RouteTables routes, LeaseStore leases,
              GroupStateStore states, Clock clock, String owner, FailoverPolicy policy,
              io.vipflip.history.Notifier notifier, Map<String, Long> probeMillis) {
        this(config, group, prober, routes, leases, states, clock, owner, policy, notifier, probeMillis,
                new VantageAsk(io.vipflip.vantage.VantagePoints.NONE));
    }

    LeasedRun(DeploymentConfig config, GroupConfig group, Prober prober, RouteTables routes, LeaseStore leases,
              GroupStateStore states, Clock clock, String owner, FailoverPolicy policy,
              io.vipflip.history.Notifier notifier, Map<String, Long> probeMillis, VantageAsk vantage) {
        this.vantage = vantage;
        this.notifier = notifier;
        this.probeMillis = Map.copyOf(probeMillis);
        this.config = config;
        this.group = group;
        this.prober = prober;
        this.routes = routes;
        this.leases = leases;
        this.states = states;
        this.clock = clock;
        this.owner = owner;
        this.policy = policy;
    }

    RunResult withoutLease(Trigger trigger, Decision decision, Outcome outcome, Observation obs, GroupState state,
                           GroupHealth.Update health, long detectionMillis) {
        return new RunResult(group.name(), trigger.label(), decision, outcome, 0, obs.routes().routes(),
                obs.routes().routes(), List.of(), Optional.empty(), health.health(), health.transitions(),
                Map.of("detection", detectionMillis), probeMillis, state.backoff());
    }

    /**
     * Takes the lease and acts, unless the action could not finish before {@code mustEndBy} (the invocation's end
     * less its margin): the lease is then shortened to end by it, or not taken when even the shortest lease that
     * can write does not fit (issue 11: never start a leased action a Lambda timeout would cut).
     */
    RunResult act(Trigger trigger, Decision first, Observation obs, GroupState known, GroupHealth.Update health,
                  long detectionMillis, Instant mustEndBy) {
        this.mustEndBy = mustEndBy;
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("detection", detectionMillis);
        // A flip of many tables gets the lease its paced writes need (EC2's mutating bucket, decision 57).
        int writes = first instanceof Decision.RouteWrite write ? write.changes().size() : 1;
        Duration leaseFor = config.timing().leaseFor(group, clock.instant(), mustEndBy, writes);
        if (leaseFor.isZero()) {
            return result(trigger, first, Outcome.NO_TIME, 0, obs.routes(), obs.routes(), List.of(),
                    Optional.empty(), health, timings, known);
        }
        Instant started = clock.instant();
        Optional<Lease> lease = leases.acquire(group.name(), owner, clock.instant(), leaseFor);
        timings.put("lease", millisSince(started));
        if (lease.isEmpty()) {
            return result(trigger, first, Outcome.LEASE_BUSY, 0, obs.routes(), obs.routes(), List.of(),
                    Optional.empty(), health, timings, known);
        }
        boolean release = true;
        try {
            RunResult result = underLease(lease.get(), trigger, first, obs, health, timings);
            // A write that may still land keeps the lease until it expires: no successor acts before then.
            release = result.writes().stream().noneMatch(RouteWriteOutcome::mayHaveLanded);
            return result;
        } catch (LeaseLostException lost) {
            return result(trigger, first, Outcome.LEASE_LOST, lease.get().token(), obs.routes(), obs.routes(),
                    List.of(), Optional.empty(), health, timings, known);
        } catch (RuntimeException failed) {
            // Once a route write was sent, a later failure proves nothing about what EC2 applied: keep the lease
            // until it expires so that no successor acts while one of our writes may still land.
            release = !writesSent;
            throw failed;
        } finally {
            if (release) {
                leases.release(lease.get());
            }
        }
    }

    private RunResult underLease(Lease lease, Trigger trigger, Decision first, Observation obs,
                                 GroupHealth.Update health, Map<String, Long> timings) {
        Instant step = clock.instant();
        Set<String> toConfirm = policy.toConfirm(first, obs, trigger);
        // The AZ observers (issue 14) are asked beside the confirmation probe: their deadline, not a second probe.
        var fresh = Parallel.all(() -> Parallel.both(() -> confirm(obs, toConfirm),
                        () -> vantage.ask(group, first, obs, trigger)),
                () -> routes.read(group.routeTables(), group.vips()), () -> states.read(group.name()));
        Observation confirmed = vantage.attach(obs.withConfirmation(fresh.first().first(), fresh.second()),
                fresh.first().second());
        GroupState state = fresh.third();
        Decision decision = policy.confirmedUnderLease(policy.decide(group, state, confirmed, trigger), confirmed,
                trigger);
        timings.put("confirm", millisSince(step));

        RouteSnapshot after = confirmed.routes();
        List<RouteWriteOutcome> writes = List.of();
        Outcome outcome = Orchestrator.outcomeOf(decision);
        if (decision instanceof Decision.RouteWrite write) {
            // Every write ends before expiresAt − skew margin − settle time on our clock, so none can land after a
            // successor (whose clock may be ahead by the skew margin) takes over at expiresAt (decision 25).
            Instant writeDeadline = config.timing().writeDeadline(lease.expiresAt());
            if (!clock.instant().isBefore(writeDeadline) || !leases.stillHeld(lease, clock.instant())) {
                throw new LeaseLostException(lease, "write routes");
            }
            step = clock.instant();
            writesSent = true;
            writes = new ParallelRouteWriter(routes).writeAll(write.changes(),
                    Duration.between(clock.instant(), writeDeadline));
            timings.put("writes", millisSince(step));
            step = clock.instant();
            boolean verified;
            try {
                // Bounded so that the record still fits in the lease (issue 11: post-write calls are bounded).
                after = routes.read(group.routeTables(), group.vips(),
                        Duration.between(clock.instant(), recordBy(lease)).minus(RECORD_ALLOWANCE));
                verified = after.allActiveOn(confirmed.node(write.target()).flatMap(ResolvedNode::eniId).orElse(""));
            } catch (RuntimeException unreadable) {
                // Throttled or timed out: the writes happened all the same and must be recorded; the next run
                // reads the routes again and reconciles.
                verified = false;
            }
            timings.put("verify", millisSince(step));
            if (!verified || writes.stream().anyMatch(w -> !w.succeeded())) {
                outcome = Outcome.PARTIAL;
            }
        } else if (!trigger.automatic() && decision instanceof Decision.NoOp
                || decision instanceof Decision.BackoffEnded) {
            outcome = Outcome.RECORDED;
        }
        // The sum of the steps so far; the history entry carries it too (the record itself is not timed).
        timings.put("total", timings.values().stream().mapToLong(Long::longValue).sum());
        Instant now = clock.instant();
        List<RouteWriteOutcome> written = writes;
        Settlement settled = policy.settle(state, decision, trigger, lease.token(), written, now);
        Optional<HistoryEvent> event = settled.history().map(kind -> event(kind, decision, settled.note(), trigger,
                lease.token(), written, timings, confirmed, now));
        GroupState next = settled.next().withHealth(health.health());
        try {
            recordOnce(lease, now, next, event);
        } catch (RuntimeException lost) {
            boolean changed = writes.stream().anyMatch(w -> w.succeeded() || w.mayHaveLanded());
            if (!changed || event.isEmpty()) {
                throw lost;
            }
            // Routes did (or may) change: the change must be in history even though the state cannot be recorded.
            HistoryEvent late = event.get().afterLeaseLost();
            states.recordAfterLeaseLost(late, clock.instant(), mustEndBy);
            notifier.publish(late, mustEndBy);
            return result(trigger, decision, Outcome.LEASE_LOST, lease.token(), obs.routes(), after, writes,
                    Optional.of(late), health, timings, state);
        }
        if (settled.announce()) {
            // only once recorded: a stale holder is never announced; ends with the invocation (issue 11)
            event.ifPresent(e -> notifier.publish(e, mustEndBy));
        }
        return result(trigger, decision, outcome, lease.token(), obs.routes(), after, writes, event, health, timings,
                next);
    }

    /**
     * Records the run; a transaction cancelled by a concurrent write to the same items (an acquire attempt, a
     * hand-over) is tried once more while the lease holds. A lost lease is never retried.
     */
    private void recordOnce(Lease lease, Instant now, GroupState next, Optional<HistoryEvent> event) {
        try {
            states.record(lease, now, next, event, recordBy(lease));
        } catch (LeaseLostException lost) {
            throw lost;
        } catch (RuntimeException conflict) {
            states.record(lease, clock.instant(), next, event, recordBy(lease));
        }
    }

    /** A record must land while the lease holds on every clock: by expiresAt less the skew margin. */
    private Instant recordBy(Lease lease) {
        return lease.expiresAt().minus(config.timing().skewMargin());
    }

    private Map<String, Boolean> confirm(Observation obs, Set<String> nodes) {
        List<ProbeTarget> targets = obs.nodes().stream()
                .filter(n -> nodes.contains(n.name()) && n.probeAddress().isPresent())
                .map(n -> group.probe().target(n.name(), n.probeAddress().get()))
                .toList();
        if (targets.isEmpty()) {
            return Map.of();
        }
        ProbeRound round = prober.probe(targets, group.probe().timeout());
        Map<String, Boolean> passed = new HashMap<>();
        targets.forEach(t -> passed.put(t.node(), round.passed(t.node())));
        return passed;
    }

    private HistoryEvent event(HistoryKind kind, Decision decision, String note, Trigger trigger, long token,
                               List<RouteWriteOutcome> writes, Map<String, Long> timings, Observation obs,
                               Instant now) {
        Optional<String> to = switch (decision) {
            case Decision.RouteWrite write -> Optional.of(write.target());
            default -> trigger instanceof Trigger.ManualFailover manual ? Optional.of(manual.target())
                    : Optional.empty();
        };
        return new HistoryEvent(group.name(), now, token, kind, trigger.label(), ActiveNode.of(obs), to,
                decision.reason() + (note.isEmpty() ? "" : "; " + note), writes, timings);
    }

    private RunResult result(Trigger trigger, Decision decision, Outcome outcome, long token, RouteSnapshot before,
                             RouteSnapshot after, List<RouteWriteOutcome> writes, Optional<HistoryEvent> event,
                             GroupHealth.Update health, Map<String, Long> timings, GroupState state) {
        return new RunResult(group.name(), trigger.label(), decision, outcome, token, before.routes(),
                after.routes(), writes, event, health.health(), health.transitions(), timings, probeMillis,
                state.backoff());
    }

    /**
     * Timings are read on the run's clock, not {@code System.nanoTime()}: the figures then follow the time a test
     * drives, and can be asserted. A wall clock stepped back between two readings gives 0, never a negative time.
     */
    private long millisSince(Instant started) {
        return millisBetween(started, clock.instant());
    }

    static long millisBetween(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
