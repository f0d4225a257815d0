package io.vipflip.orchestrator;

import io.vipflip.config.DeploymentConfig;
import io.vipflip.config.GroupConfig;
import io.vipflip.health.GroupHealth;
import io.vipflip.health.HealthTransition;
import io.vipflip.history.GroupStateStore;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.lease.LeaseStore;
import io.vipflip.policy.Decision;
import io.vipflip.policy.FailoverPolicy;
import io.vipflip.policy.GroupState;
import io.vipflip.policy.Observation;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.ProbeRound;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.probe.Prober;
import io.vipflip.route.NodeResolver;
import io.vipflip.route.ResolvedNode;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteTables;
import io.vipflip.vantage.VantagePoints;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run for one group: observe (probe every node; the routes as last read, see {@link RouteCache}) → decide
 * (the pure policy) →
 * and, when routes must change or a refusal must be recorded, act under the lease ({@link LeasedRun}).
 * Health counters live here between runs of a warm container.
 */
public final class Orchestrator {
    private volatile DeploymentConfig config; // replaced between rounds when the groups' parameters change
    private final NodeResolver resolver;
    private final Prober prober;
    private final LeaseStore leases;
    private final GroupStateStore states;
    private final Clock clock;
    private final LeaseOwner owner;
    private final io.vipflip.history.Notifier notifier;
    private final FailoverPolicy policy;
    private final Map<String, GroupHealth> health = new ConcurrentHashMap<>();
    /** When this container's last round of each group ended: the gap to the next one says whether anyone watched. */
    private final Map<String, Instant> lastRoundEnded = new ConcurrentHashMap<>();
    private final RouteCache routeCache;
    private final VantageAsk vantage;

    public Orchestrator(DeploymentConfig config, NodeResolver resolver, Prober prober, RouteTables routes,
                        LeaseStore leases, GroupStateStore states, Clock clock, String owner) {
        this(config, resolver, prober, routes, leases, states, clock, owner, io.vipflip.history.Notifier.NONE);
    }

    public Orchestrator(DeploymentConfig config, NodeResolver resolver, Prober prober, RouteTables routes,
                        LeaseStore leases, GroupStateStore states, Clock clock, String owner,
                        io.vipflip.history.Notifier notifier) {
        this(config, resolver, prober, routes, leases, states, clock, LeaseOwner.fixed(owner), notifier);
    }

    /** {@code owner} is read at each lease acquisition, so an identity renewed after a restore is used at once. */
    public Orchestrator(DeploymentConfig config, NodeResolver resolver, Prober prober, RouteTables routes,
                        LeaseStore leases, GroupStateStore states, Clock clock, LeaseOwner owner,
                        io.vipflip.history.Notifier notifier) {
        this(config, resolver, prober, routes, leases, states, clock, owner, notifier, VantagePoints.NONE);
    }

    /** {@code vantage}: the AZ observers a {@code vantage: quorum} group asks before flipping away (issue 14). */
    public Orchestrator(DeploymentConfig config, NodeResolver resolver, Prober prober, RouteTables routes,
                        LeaseStore leases, GroupStateStore states, Clock clock, LeaseOwner owner,
                        io.vipflip.history.Notifier notifier, VantagePoints vantage) {
        this(config, resolver, prober, routes, leases, states, clock, owner, notifier, vantage, new FailoverPolicy());
    }

    /** With another policy: only the simulation's deliberately broken variants use this (issue 12). */
    public Orchestrator(DeploymentConfig config, NodeResolver resolver, Prober prober, RouteTables routes,
                        LeaseStore leases, GroupStateStore states, Clock clock, LeaseOwner owner,
                        io.vipflip.history.Notifier notifier, FailoverPolicy policy) {
        this(config, resolver, prober, routes, leases, states, clock, owner, notifier, VantagePoints.NONE, policy);
    }

    private Orchestrator(DeploymentConfig config, NodeResolver resolver, Prober prober, RouteTables routes,
                         LeaseStore leases, GroupStateStore states, Clock clock, LeaseOwner owner,
                         io.vipflip.history.Notifier notifier, VantagePoints vantage, FailoverPolicy policy) {
        this.vantage = new VantageAsk(vantage);
        this.policy = policy;
        this.notifier = notifier;
        this.config = config;
        this.resolver = resolver;
        this.prober = prober;
        this.leases = leases;
        this.states = states;
        this.clock = clock;
        this.owner = owner;
        this.routeCache = new RouteCache(routes);
    }

    public DeploymentConfig config() {
        return config;
    }

    /** When leased actions of an invocation with {@code invocationLeft} left must end: its end less the margin. */
    public Instant leasedActionsEndBy(java.time.Duration invocationLeft) {
        return clock.instant().plus(invocationLeft).minus(config.timing().endMargin());
    }

    /**
     * Runs the next rounds on {@code next} (issue 16). A group that stays keeps its health counters (for the nodes
     * it still has); its lease, state and fencing token live in DynamoDB under its name and are untouched.
     */
    public void apply(DeploymentConfig next) {
        health.keySet().removeIf(group -> next.group(group).isEmpty());
        lastRoundEnded.keySet().removeIf(group -> next.group(group).isEmpty());
        config = next;
        routeCache.invalidate(); // a changed group may select other tables: read them all again
    }

    public RunResult run(String groupName, Trigger trigger) {
        return run(groupName, trigger, false);
    }

    /** Observes, decides and (unless {@code dryRun}) acts once for the group, with no invocation deadline. */
    public RunResult run(String groupName, Trigger trigger, boolean dryRun) {
        return run(groupName, trigger, dryRun, Instant.MAX);
    }

    /**
     * Observes, decides and (unless {@code dryRun}) acts once for the group. A leased action must end by
     * {@code mustEndBy} (the invocation's end less its margin): its lease is shortened to fit, or not taken.
     */
    public RunResult run(String groupName, Trigger trigger, boolean dryRun, Instant mustEndBy) {
        GroupConfig group = group(groupName);
        Instant began = clock.instant();
        try {
            return observeDecideAct(group, trigger, dryRun, mustEndBy, began);
        } finally {
            lastRoundEnded.put(group.name(), clock.instant());
        }
    }

    private RunResult observeDecideAct(GroupConfig group, Trigger trigger, boolean dryRun, Instant mustEndBy,
                                       Instant began) {
        List<ResolvedNode> nodes = resolver.resolve(group);
        Instant now = clock.instant();
        // The watch loop decides on cached routes (EC2 API budget); every other trigger reads them now.
        boolean cachedRoutes = trigger instanceof Trigger.Scheduled;
        var observed = Parallel.all(
                () -> probe(group, nodes, trigger),
                () -> cachedRoutes ? routesToDecideOn(group, now) : routeCache.read(group),
                () -> states.read(group.name()));
        GroupHealth.Update update = previousHealth(group, observed.third(), began)
                .observe(observed.first(), group.probe().rise(), group.probe().fall(), now);
        // An operator's request in a cold container: probe back to back until rise/fall can speak, so a manual
        // failover, failback or dry run is judged on known health rather than refused as UNKNOWN.
        for (int extra = 1; trigger.operatorRequest() && extra < group.probe().rise() && anyUnknown(update.health()); extra++) {
            GroupHealth.Update again = update.health().observe(probe(group, nodes, trigger), group.probe().rise(),
                    group.probe().fall(), clock.instant());
            List<HealthTransition> all = new ArrayList<>(update.transitions());
            all.addAll(again.transitions());
            update = new GroupHealth.Update(again.health(), all);
        }
        update = policy.withTriggerEvidence(trigger, update, now);
        health.put(group.name(), update.health());
        Observation observation = new Observation(now, nodes, update.health(), observed.second(), Map.of());
        GroupState state = observed.third();
        Decision decision = policy.decide(group, state, observation, trigger);
        if (cachedRoutes && healthChanged(update) && !(decision instanceof Decision.RouteWrite)) {
            // A node's health changed: decide on the routes as they are now. (A route write needs no read here:
            // the leased part reads them again before acting.)
            observation = new Observation(now, nodes, update.health(), routeCache.read(group), Map.of());
            decision = policy.decide(group, state, observation, trigger);
        }
        long detectionMillis = LeasedRun.millisBetween(began, clock.instant());

        Map<String, Long> probeMillis = new java.util.LinkedHashMap<>();
        observed.first().nodes().forEach((node, probe) -> probeMillis.put(node, probe.latency().toMillis()));
        LeasedRun leased = new LeasedRun(config, group, prober, routeCache.recording(group.name()), leases, states,
                clock, owner.get(), policy, notifier, probeMillis, vantage);
        if (!policy.worthActing(decision, state, trigger)) {
            return leased.withoutLease(trigger, decision, outcomeOf(decision), observation, state, update,
                    detectionMillis);
        }
        if (dryRun) {
            return leased.withoutLease(trigger, decision, Outcome.DRY_RUN, observation, state, update,
                    detectionMillis);
        }
        return leased.act(trigger, decision, observation, state, update, detectionMillis, mustEndBy);
    }

    /** The last routes read for the group; first the drift read of every group's tables, when it is due. */
    private RouteSnapshot routesToDecideOn(GroupConfig group, Instant now) {
        DeploymentConfig current = config;
        if (routeCache.sweepDue(now, current.driftCheck())) {
            routeCache.sweep(current.groups(), now, current.driftCheck());
        }
        return routeCache.get(group.name()).orElseGet(() -> routeCache.read(group));
    }

    /** The health the next round builds on: this container's, else what the state item handed over, if fresh. */
    private GroupHealth previousHealth(GroupConfig group, GroupState state, Instant roundBegan) {
        // Evidence older than a few intervals says nothing about now (a minute-mode burst starts afresh).
        java.time.Duration maxAge = longest(group.probe()).multipliedBy(3);
        GroupHealth fresh = GroupHealth.unknown(group.nodes().stream().map(n -> n.name()).toList());
        GroupHealth known = health.get(group.name());
        if (known != null) {
            // Rounds back to back are consecutive evidence however long each took (a CPU-starved container or slow
            // API calls must not reset rise/fall mid-burst); only a gap between rounds makes evidence stale.
            Instant ended = lastRoundEnded.get(group.name());
            boolean watchedThroughout = ended != null && !ended.plus(maxAge).isBefore(roundBegan);
            if (watchedThroughout) {
                return fresh.withCountersOf(known);
            }
            // After a gap another invocation watched (issue 13 §1): its handed-over counters are newer than ours.
            GroupHealth newest = state.health().map(known::newestPerNode).orElse(known);
            return fresh.withCountersOf(newest.withoutStale(clock.instant(), maxAge));
        }
        return state.health()
                .map(h -> fresh.withCountersOf(h.withoutStale(clock.instant(), maxAge)))
                .orElse(fresh);
    }

    /** Hands this container's rise/fall counters to the next invocation (issue 5: detection does not restart). */
    public void handOverHealth(String groupName) {
        GroupHealth known = health.get(groupName);
        if (known != null) {
            states.handOver(groupName, known);
        }
    }

    private static java.time.Duration longest(io.vipflip.config.ProbeSettings probe) {
        java.time.Duration longest = probe.interval();
        for (java.time.Duration d : List.of(probe.fastInterval(), probe.downInterval())) {
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest;
    }

    /**
     * A known node went UP or DOWN. Leaving UNKNOWN is not a change worth a read: it happens in a container's
     * first rounds, just after the drift read that a cold cache makes.
     */
    private static boolean healthChanged(GroupHealth.Update update) {
        return update.transitions().stream().anyMatch(t -> t.from() != io.vipflip.health.HealthState.UNKNOWN);
    }

    private static boolean anyUnknown(GroupHealth health) {
        return health.nodes().values().stream().anyMatch(h -> !h.isUp() && !h.isDown());
    }

    private ProbeRound probe(GroupConfig group, List<ResolvedNode> nodes, Trigger trigger) {
        List<ProbeTarget> targets = nodes.stream()
                .filter(n -> n.probeAddress().isPresent())
                .filter(n -> !(trigger instanceof Trigger.InstanceStopped s && s.node().equals(n.name())))
                .map(n -> group.probe().target(n.name(), n.probeAddress().get()))
                .toList();
        return prober.probe(targets, group.probe().timeout());
    }

    public Optional<GroupHealth> health(String group) {
        return Optional.ofNullable(health.get(group));
    }

    GroupConfig group(String name) {
        return config.group(name).orElseThrow(() -> new UnknownGroupException(name));
    }

    static Outcome outcomeOf(Decision decision) {
        return switch (decision) {
            case Decision.NoOp n -> Outcome.NO_CHANGE;
            case Decision.Paused p -> Outcome.PAUSED;
            case Decision.NoHealthyNode n -> Outcome.NO_HEALTHY_NODE;
            case Decision.Refused r -> Outcome.REFUSED;
            case Decision.Flip f -> Outcome.FLIPPED;
            case Decision.Repair r -> Outcome.REPAIRED;
            case Decision.BackoffEnded b -> Outcome.RECORDED;
            case Decision.NoQuorum q -> q.verdict() == io.vipflip.policy.QuorumRule.Verdict.PARTITION_SUSPECTED
                    ? Outcome.PARTITION_SUSPECTED : Outcome.TOO_FEW_VOTES;
        };
    }
}
