package io.vipflip.simulation;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.health.GroupHealth;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Decision;
import io.vipflip.policy.HistoryKind;
import io.vipflip.policy.Pin;
import io.vipflip.policy.Trigger;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteTables;
import io.vipflip.route.RouteWriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic model driving the real policy, lease logic and orchestrator against in-memory ports on a
 * virtual clock: three overlapping processes, each on its own skewed clock; nodes failing, recovering and
 * flapping, also while a process waits for the lease; route writes that take time, time out, are throttled and
 * retried, or applied twice by the SDK's retry; stale and lost reads; processes dying mid-flip; holders stalling
 * under their lease; operators pinning and unpinning. Every step checks the invariants ({@link Invariant}); every
 * 3,000 steps ends with a quiet phase after which the routes must have converged.
 */
final class Simulation {
    static final String GROUP = "web";
    static final List<String> NODES = List.of("a", "b", "c");
    static final List<String> TABLES = List.of("rtb-00000001", "rtb-00000002", "rtb-00000003");
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration LEASE = Duration.ofSeconds(10);
    /** The documented bound on the skew between any two processes' clocks (the timing budget's default). */
    static final Duration SKEW_MARGIN = Duration.ofSeconds(2);
    /**
     * A dead node may keep the VIP this long once another node is up: rise (2 s) and fall (3 s) rounds, a dead
     * holder's lease (10 s), lost and late calls, and slack.
     */
    static final Duration DETECTION_WINDOW = Duration.ofSeconds(25);
    private static final int PHASE = 3000;
    private static final int QUIET_FROM = 2400;

    enum Invariant {
        /** At most one process holds the lease and may still send a route write (its clock before its write deadline). */
        SINGLE_WRITER,
        /** Every route write EC2 applies lands while its writer's lease stands for every other live process's clock. */
        WRITES_IN_LEASE,
        /** No write toward a node that failed the writer's confirmation probe. */
        CONFIRMED_TARGET,
        /** No write toward a node the writer knows DOWN while another node is UP and answering. */
        NO_WRITE_TOWARD_DOWN,
        /** One flip per needed change: no write of a table the writer just read on the target, no flip to itself. */
        ONE_FLIP_PER_CHANGE,
        /** Automatic flips keep the minimum interval and the hourly cap. */
        DAMPING,
        /** A pinned group is never moved away from its pin while the pinned node is UP and answering. */
        PIN_KEPT,
        /** No table routes to a dead node for longer than the detection window while another node is up. */
        DETECTION,
        /** Once the world is quiet, every table routes to one live node and no write is in flight. */
        CONVERGENCE
    }

    /**
     * @param maxSkew         each process's clock is off the true clock by up to this, either way
     * @param minFlipSeconds  damping: minimum seconds between automatic flips
     * @param maxFlipsPerHour damping: the hourly cap
     * @param flapRate        per step and node, the chance it changes state outside quiet phases
     * @param slowRate        per write attempt, the chance it takes seconds
     */
    record Scenario(Duration maxSkew, int minFlipSeconds, int maxFlipsPerHour, double flapRate, double slowRate,
                    Broken broken) {
        static Scenario standard() {
            return new Scenario(SKEW_MARGIN.dividedBy(2).minusMillis(1), 0, 60, 0.0015, 0.01, Broken.NONE);
        }

        /** Damping that bites: frequent node changes against a 20 s minimum interval and 8 flips an hour. */
        static Scenario damped() {
            return new Scenario(SKEW_MARGIN.dividedBy(2).minusMillis(1), 20, 8, 0.004, 0.01, Broken.NONE);
        }

        Scenario with(Broken variant) {
            return new Scenario(maxSkew, minFlipSeconds, maxFlipsPerHour, flapRate, slowRate, variant);
        }

        /** Many more writes that take seconds: what the write-bound invariants need to be tested hard. */
        Scenario withSlowWrites(double rate) {
            return new Scenario(maxSkew, minFlipSeconds, maxFlipsPerHour, flapRate, rate, broken);
        }

        Scenario withSkew(Duration skew) {
            return new Scenario(skew, minFlipSeconds, maxFlipsPerHour, flapRate, slowRate, broken);
        }
    }

    /** How often each invariant was checked, and skipped (with why, in {@link #SKIP_REASONS}). */
    record Counts(long checked, long skipped) {
    }

    record Report(long seed, int steps, List<String> violations, Set<Invariant> violated, int flips, int crashes,
                  int errors, int stalls, int minIntervalRefusals, int hourlyCapRefusals, int pinsSet,
                  int unconfirmedTargets, Map<Invariant, Counts> counts) {
    }

    static final Map<Invariant, String> SKIP_REASONS = Map.of(
            Invariant.DETECTION, "skipped while damping may refuse the flip (near the hourly cap or within the minimum interval)",
            Invariant.CONFIRMED_TARGET, "skipped for a repair toward the node most tables already route to (not a flip),"
                    + " and for a target that was not probed under the lease (counted as unconfirmed targets)",
            Invariant.CONVERGENCE, "skipped at the end of a quiet phase while damping refuses flips",
            Invariant.NO_WRITE_TOWARD_DOWN, "skipped for an operator's request (a manual failover may target a node"
                    + " that passed its confirmation while still DOWN by fall/rise) and for a process with no health view yet",
            Invariant.PIN_KEPT, "skipped for an operator's request (a new manual failover moves the pin)");

    private final long seed;
    private final Scenario scenario;
    private final SimWorld world;
    private final SimLeaseStore leases;
    private final SimStateStore states;
    private final DeploymentConfig config;
    private final List<String> violations = new ArrayList<>();
    private final Set<Invariant> violated = java.util.EnumSet.noneOf(Invariant.class);
    private final Map<Invariant, long[]> counts = new EnumMap<>(Invariant.class);
    private final List<Process> processes = new ArrayList<>();
    private final SplittableRandom chaos;
    private int generation;
    private int crashes;
    private int errors;
    private int stalls;
    private int minIntervalRefusals;
    private int hourlyCapRefusals;
    private int pinsSet;
    private int unconfirmedTargets;
    private boolean nested;
    private int flapNode = -1;
    private int flapUntil;
    /** The last steps, attached to a violation so a failing seed explains itself. */
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    /** What each process is running for: an operator's request may move the VIP where automation may not. */
    private final Map<String, Trigger> running = new java.util.concurrent.ConcurrentHashMap<>();

    private record Process(String owner, Orchestrator orchestrator, SimRouteTables routes, SimProber prober) {
    }

    Simulation(long seed) {
        this(seed, Scenario.standard());
    }

    Simulation(long seed, Scenario scenario) {
        this.seed = seed;
        this.scenario = scenario;
        this.chaos = new SplittableRandom(seed);
        this.world = new SimWorld(seed, Instant.parse("2026-11-25T00:00:00Z"));
        this.leases = scenario.broken() == Broken.LEASE_CONDITION_DROPPED
                ? new SimLeaseStore.WithoutCondition(world) : new SimLeaseStore(world);
        this.states = new SimStateStore(leases);
        this.config = new ConfigParser().parse("""
                {"leaseMillis": %d, "timing": {"skewMarginMillis": %d},
                 "groups": [{"name": "web", "vips": ["192.168.100.10/32"],
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "eni-0000000a", "probeAddress": "10.0.0.1", "priority": 200},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "eni-0000000b", "probeAddress": "10.0.0.2", "priority": 100},
                    {"name": "c", "instanceId": "i-0000000c", "eniId": "eni-0000000c", "probeAddress": "10.0.0.3", "priority": 50}],
                  "routeTables": {"ids": ["rtb-00000001", "rtb-00000002", "rtb-00000003"]},
                  "probe": {"ports": [80], "timeoutMillis": 200, "intervalMillis": %d, "fall": 3, "rise": 2},
                  "failback": {"delaySeconds": 30},
                  "damping": {"minSecondsBetweenFlips": %d, "maxFlipsPerHour": %d}}]}
                """.formatted(LEASE.toMillis(), SKEW_MARGIN.toMillis(), INTERVAL.toMillis(), scenario.minFlipSeconds(),
                scenario.maxFlipsPerHour()));
        for (Invariant invariant : Invariant.values()) {
            counts.put(invariant, new long[2]);
        }
        world.onLanding = this::checkLanding;
        leases.afterAcquire = this::checkSingleWriter;
        NODES.forEach(n -> world.node(n, true));
        TABLES.forEach(t -> world.setRoute(t, eni("a")));
        for (int i = 0; i < 3; i++) {
            processes.add(process(i));
        }
    }

    private Process process(int slot) {
        String owner = "p" + slot + "-" + (generation++);
        long skewMillis = scenario.maxSkew().toMillis();
        Duration skew = Duration.ofMillis(skewMillis == 0 ? 0 : chaos.nextLong(-skewMillis, skewMillis + 1));
        world.skews.put(owner, skew);
        Clock clock = Clock.offset(world.clock, skew);
        SimRouteTables routes = new SimRouteTables(owner, world, leases, config.timing().writeSettle(), TABLES,
                this::stall, this::checkWrite);
        RouteTables used = scenario.broken() == Broken.WRITE_BOUND_DROPPED ? withoutWriteBound(routes) : routes;
        SimProber prober = new SimProber(world, () -> leases.believes(owner));
        Orchestrator orchestrator = new Orchestrator(config, new Ec2NodeResolver(null), prober, used, leases, states,
                clock, LeaseOwner.fixed(owner), io.vipflip.history.Notifier.NONE, scenario.broken().policy());
        return new Process(owner, orchestrator, routes, prober);
    }

    /** The bug of a wrapper that calls the one-argument write: the SDK then waits as long as EC2 takes. */
    private static RouteTables withoutWriteBound(RouteTables real) {
        return new RouteTables() {
            @Override
            public RouteSnapshot read(io.vipflip.config.RouteTableSelector selector, List<String> vips) {
                return real.read(selector, vips);
            }

            @Override
            public RouteWriteOutcome write(RouteChange change, Duration within) {
                return real.write(change, Duration.ofDays(1));
            }
        };
    }

    /** Runs until the steps are done or an invariant fails. */
    Report run(int steps) {
        return run(steps, java.util.EnumSet.allOf(Invariant.class));
    }

    /** Runs a broken variant until one of {@code expected} fails (other failures are kept, the run goes on). */
    Report runUntil(int steps, Invariant... expected) {
        return run(steps, java.util.EnumSet.copyOf(List.of(expected)));
    }

    private Report run(int steps, Set<Invariant> stopOn) {
        Duration tick = INTERVAL.dividedBy(processes.size());
        int step = 0;
        for (; step < steps && java.util.Collections.disjoint(violated, stopOn); step++) {
            world.step = step;
            world.clock.advance(tick);
            boolean quiet = step % PHASE >= QUIET_FROM;
            world.lossRate = quiet ? 0 : 0.02;
            world.staleRate = quiet ? 0 : 0.3;
            world.slowRate = quiet ? 0 : scenario.slowRate();
            world.raceRate = quiet ? 0 : 0.05;
            if (step % PHASE == QUIET_FROM) {
                driftOneTable(); // someone edits a table by hand just as the world calms down
            }
            if (quiet) {
                flapNode = -1;
                if (NODES.stream().noneMatch(world::isUp)) {
                    world.node("c", true);
                }
            } else {
                mutate(step);
            }
            world.applyDue();
            int slot = step % processes.size();
            Process process = processes.get(slot);
            process.routes().newRun();
            process.prober().newRun();
            if (!quiet && world.roll("crash", 0.05)) { // only bites when the run writes
                process.routes().crashAfterWrites = chaos.nextInt(TABLES.size());
            }
            int before = states.all().size();
            Trigger trigger = trigger(quiet);
            String line;
            running.put(process.owner(), trigger);
            try {
                RunResult result = process.orchestrator().run(GROUP, trigger);
                count(result);
                line = result.outcome() + " " + result.decision().kind() + ": " + result.decision().reason()
                        + " health=" + result.health().nodes().entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue().state()).toList();
            } catch (SimRouteTables.SimulatedCrash crash) {
                crashes++;
                world.skews.remove(process.owner());
                processes.set(slot, process(slot));
                line = "CRASH " + crash.getMessage();
            } catch (RuntimeException e) {
                errors++; // a lost read: the round fails, nothing is written, the next round retries
                line = "ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            process.routes().passTime();
            trace.addLast("step " + step + " t=" + world.clock.instant() + " " + process.owner() + " " + trigger.label()
                    + " -> " + line + " | up=" + world.up + " routes=" + world.routes.values());
            if (trace.size() > 40) {
                trace.removeFirst();
            }
            process.routes().crashAfterWrites = -1;
            checkStep(states.all().subList(before, states.all().size()));
            if (step % PHASE == PHASE - 1) {
                checkConverged(step);
            }
            if (!violations.isEmpty() && !violations.getLast().startsWith("last steps")) {
                violations.add("last steps:\n  " + String.join("\n  ", trace));
            }
        }
        int flips = (int) states.all().stream().filter(e -> e.kind() == HistoryKind.FLIP).count();
        Map<Invariant, Counts> tally = new EnumMap<>(Invariant.class);
        counts.forEach((k, v) -> tally.put(k, new Counts(v[0], v[1])));
        return new Report(seed, step, List.copyOf(violations.subList(0, Math.min(violations.size(), 20))), java.util.EnumSet.copyOf(violated.isEmpty()
                ? java.util.EnumSet.noneOf(Invariant.class) : violated), flips, crashes, errors, stalls,
                minIntervalRefusals, hourlyCapRefusals, pinsSet, unconfirmedTargets, tally);
    }

    private void count(RunResult result) {
        if (result.decision() instanceof Decision.Refused refused) {
            if (refused.reason().contains("the last flip was at")) {
                minIntervalRefusals++;
            } else if (refused.reason().contains("flips happened in the last hour")) {
                hourlyCapRefusals++;
            }
        }
        if (result.trigger().startsWith("manual:") && result.decision() instanceof Decision.Flip) {
            pinsSet++;
        }
    }

    private void mutate(int step) {
        for (String node : NODES) {
            if (chaos.nextDouble() < scenario.flapRate()) {
                world.node(node, !world.isUp(node));
            }
        }
        if (flapNode < 0 && chaos.nextDouble() < 0.0005) {
            flapNode = chaos.nextInt(NODES.size());
            flapUntil = step + 60;
        }
        if (flapNode >= 0) {
            if (step >= flapUntil) {
                world.node(NODES.get(flapNode), true);
                flapNode = -1;
            } else if (step % 4 == 0) {
                String node = NODES.get(flapNode);
                world.node(node, !world.isUp(node));
            }
        }
    }

    /** An edit outside vipflip: the last table is pointed at another live node, if there is one. */
    private void driftOneTable() {
        String table = TABLES.getLast();
        String now = world.route(table);
        NODES.stream().filter(world::isUp).map(Simulation::eni).filter(e -> !e.equals(now)).findFirst()
                .ifPresent(other -> world.setRoute(table, other));
    }

    private Trigger trigger(boolean quiet) {
        double roll = chaos.nextDouble();
        if (quiet || roll < 0.97) {
            return new Trigger.Scheduled();
        }
        String node = NODES.get(chaos.nextInt(NODES.size()));
        if (roll < 0.99) {
            return new Trigger.Alarm("status-" + node, node);
        }
        return roll < 0.995 ? new Trigger.ManualFailover(node, "simulated operator", false)
                : new Trigger.ManualFailback("simulated operator");
    }

    /**
     * A holder stalls under its lease — past expiry (another process takes over) or into the skew margin — while
     * the other processes go on probing at their usual cadence, as they would in reality.
     */
    private void stall(String owner) {
        if (nested || !world.roll("stall:" + owner, 0.15)) {
            return;
        }
        stalls++;
        Duration stalled = world.roll("stall-kind:" + owner, 0.5) ? LEASE.plusSeconds(1) : LEASE.minusSeconds(1);
        List<Process> others = processes.stream().filter(p -> !p.owner().equals(owner)).toList();
        Duration tick = INTERVAL.dividedBy(processes.size());
        nested = true;
        try {
            int turn = 0;
            for (Duration passed = Duration.ZERO; passed.compareTo(stalled) < 0; passed = passed.plus(tick)) {
                world.clock.advance(tick);
                world.applyDue();
                Process other = others.get(turn++ % others.size());
                other.routes().newRun();
                other.prober().newRun();
                running.put(other.owner(), new Trigger.Scheduled());
                try {
                    other.orchestrator().run(GROUP, new Trigger.Scheduled());
                } catch (RuntimeException ignored) {
                    // a lost call in another process's round: it simply did not act this time
                }
                other.routes().passTime();
                checkSingleWriter();
            }
        } finally {
            nested = false;
        }
    }

    private void violation(Invariant invariant, String message) {
        synchronized (violations) {
            violated.add(invariant);
            violations.add("step " + world.step + " [" + invariant + "] " + message);
        }
    }

    private void checked(Invariant invariant) {
        synchronized (counts) {
            counts.get(invariant)[0]++;
        }
    }

    private void skipped(Invariant invariant) {
        synchronized (counts) {
            counts.get(invariant)[1]++;
        }
    }

    private void checkSingleWriter() {
        checked(Invariant.SINGLE_WRITER);
        List<String> writers = leases.writers(config.timing()::writeDeadline);
        if (writers.size() > 1) {
            violation(Invariant.SINGLE_WRITER, writers.size() + " lease holders may write at once: " + writers);
        }
    }

    private Set<String> live() {
        Set<String> live = new LinkedHashSet<>();
        processes.forEach(p -> live.add(p.owner()));
        return live;
    }

    /** A write EC2 applies now: it must land inside its writer's lease. */
    private void checkLanding(SimWorld.Landing landing) {
        checked(Invariant.WRITES_IN_LEASE);
        leases.outsideLease(landing, live()).ifPresent(why -> violation(Invariant.WRITES_IN_LEASE,
                landing.writer() + "'s write of " + landing.table() + " -> " + landing.eni() + " landed at "
                        + landing.at() + " outside its lease: " + why));
    }

    /** A write as it is issued: toward a node the writer has every reason to believe is the right one. */
    private void checkWrite(String owner, RouteChange change, Map<String, String> lastRead) {
        Process process = processes.stream().filter(p -> p.owner().equals(owner)).findFirst().orElse(null);
        if (process == null) {
            return;
        }
        String target = nodeOf(change.targetEni());
        checked(Invariant.CONFIRMED_TARGET);
        if (target.equals(majority(lastRead))) {
            // A repair toward the node most tables already route to is not a flip (see docs/testing.md).
            skipped(Invariant.CONFIRMED_TARGET);
        } else if (!process.prober().confirmation.containsKey(target)) {
            // Chosen by the decision under the lease after the first target failed its confirmation: never probed
            // under the lease (a finding reported in docs/testing.md), so this invariant cannot speak.
            skipped(Invariant.CONFIRMED_TARGET);
            unconfirmedTargets++;
        } else if (!process.prober().confirmation.get(target)) {
            violation(Invariant.CONFIRMED_TARGET, owner + " wrote " + change.tableId() + " toward " + target
                    + ", which failed its confirmation probe");
        }
        Optional<GroupHealth> health = process.orchestrator().health(GROUP);
        boolean operator = !running.getOrDefault(owner, new Trigger.Scheduled()).automatic();
        checked(Invariant.NO_WRITE_TOWARD_DOWN);
        checked(Invariant.PIN_KEPT);
        if (operator) {
            skipped(Invariant.NO_WRITE_TOWARD_DOWN);
            skipped(Invariant.PIN_KEPT);
        } else if (health.isEmpty()) {
            skipped(Invariant.NO_WRITE_TOWARD_DOWN);
        } else if (health.get().of(target).isDown()) {
            List<String> healthy = NODES.stream().filter(n -> !n.equals(target))
                    .filter(n -> health.get().of(n).isUp() && Boolean.TRUE.equals(process.prober().lastAnswer.get(n)))
                    .toList();
            if (!healthy.isEmpty()) {
                violation(Invariant.NO_WRITE_TOWARD_DOWN, owner + " wrote " + change.tableId() + " toward " + target
                        + ", DOWN in its view, while " + healthy + " are UP and answering");
            }
        }
        checked(Invariant.ONE_FLIP_PER_CHANGE);
        if (change.targetEni().equals(lastRead.get(change.tableId()))) {
            violation(Invariant.ONE_FLIP_PER_CHANGE, owner + " wrote " + change.tableId() + " toward " + target
                    + " although its read under the lease showed it there already");
        }
        Optional<String> pinned = states.read(GROUP).pin().map(Pin::node);
        if (!operator && pinned.isPresent() && !pinned.get().equals(target) && health.isPresent()
                && health.get().of(pinned.get()).isUp() && Boolean.TRUE.equals(process.prober().lastAnswer.get(pinned.get()))) {
            violation(Invariant.PIN_KEPT, owner + " wrote " + change.tableId() + " toward " + target
                    + " although the group is pinned to " + pinned.get() + ", UP and answering");
        }
    }

    private void checkStep(List<HistoryEvent> recorded) {
        checkSingleWriter();
        checked(Invariant.ONE_FLIP_PER_CHANGE);
        for (HistoryEvent event : recorded) {
            // (An operator's failover may complete a partly written move toward the node most tables are on.)
            if (event.kind() == HistoryKind.FLIP && !event.trigger().startsWith("manual:") && event.from().isPresent()
                    && event.from().equals(event.to())) {
                violation(Invariant.ONE_FLIP_PER_CHANGE, "a flip from " + event.from().get() + " to itself: " + event);
            }
        }
        long lastToken = 0;
        for (HistoryEvent event : states.all()) {
            if (event.token() < lastToken) {
                violation(Invariant.SINGLE_WRITER, "history tokens go backwards at " + event);
            }
            lastToken = event.token();
        }
        List<Instant> automatic = automaticFlips();
        checked(Invariant.DAMPING);
        Duration min = Duration.ofSeconds(scenario.minFlipSeconds());
        for (int i = 1; i < automatic.size(); i++) {
            if (Duration.between(automatic.get(i - 1), automatic.get(i)).compareTo(min) < 0) {
                violation(Invariant.DAMPING, "automatic flips at " + automatic.get(i - 1) + " and " + automatic.get(i)
                        + ", less than " + min.toSeconds() + " s apart");
                break;
            }
        }
        for (int i = scenario.maxFlipsPerHour(); i < automatic.size(); i++) {
            Instant first = automatic.get(i - scenario.maxFlipsPerHour());
            if (Duration.between(first, automatic.get(i)).compareTo(Duration.ofHours(1)) < 0) {
                violation(Invariant.DAMPING, (scenario.maxFlipsPerHour() + 1) + " automatic flips within an hour, from "
                        + first + " to " + automatic.get(i));
                break;
            }
        }
        checkDetection(automatic);
    }

    /** Automatic flips that changed a route (these count against damping), in order. */
    private List<Instant> automaticFlips() {
        return states.all().stream().filter(e -> e.kind() == HistoryKind.FLIP).filter(e -> !e.trigger().startsWith("manual:"))
                .filter(e -> e.outcomes().stream().anyMatch(RouteWriteOutcome::succeeded))
                .map(HistoryEvent::at).sorted().toList();
    }

    private boolean dampingMayRefuse(List<Instant> automatic) {
        Instant now = world.clock.instant();
        long lastHour = automatic.stream().filter(t -> t.isAfter(now.minus(Duration.ofHours(1)).minus(SKEW_MARGIN))).count();
        boolean nearCap = lastHour >= scenario.maxFlipsPerHour() - 1;
        boolean recent = !automatic.isEmpty() && automatic.getLast()
                .plusSeconds(scenario.minFlipSeconds()).plus(DETECTION_WINDOW).isAfter(now);
        return nearCap || (scenario.minFlipSeconds() > 0 && recent);
    }

    private void checkDetection(List<Instant> automatic) {
        checked(Invariant.DETECTION);
        if (dampingMayRefuse(automatic)) {
            skipped(Invariant.DETECTION);
            return;
        }
        for (String table : TABLES) {
            String node = nodeOf(world.route(table));
            if (node == null || world.isUp(node)) {
                continue;
            }
            // How long the table has pointed at a dead node while some other node was up the whole time.
            for (String other : NODES) {
                if (world.isUp(other)) {
                    Duration overlap = min(world.stateAge(node), world.stateAge(other));
                    if (overlap.compareTo(DETECTION_WINDOW) > 0) {
                        violation(Invariant.DETECTION, table + " still routes to " + node + ", down for "
                                + world.stateAge(node).toSeconds() + " s, while " + other + " has been up for "
                                + world.stateAge(other).toSeconds() + " s");
                    }
                }
            }
        }
    }

    private void checkConverged(int step) {
        checked(Invariant.CONVERGENCE);
        if (scenario.minFlipSeconds() > 0 && dampingMayRefuse(automaticFlips())) {
            skipped(Invariant.CONVERGENCE);
            return;
        }
        String first = world.route(TABLES.getFirst());
        String node = nodeOf(first);
        boolean same = TABLES.stream().allMatch(t -> first != null && first.equals(world.route(t)));
        if (!same || node == null || !world.isUp(node) || !world.inFlight.isEmpty()) {
            violation(Invariant.CONVERGENCE, "not converged after a quiet phase: " + world.routes + ", up: " + world.up
                    + ", in flight: " + world.inFlight);
        }
    }

    /** The node most tables route to in {@code read} (ties to the higher priority: a, b, c), as the policy sees it. */
    private static String majority(Map<String, String> read) {
        String best = null;
        long bestCount = 0;
        for (String node : NODES) {
            long on = read.values().stream().filter(eni(node)::equals).count();
            if (on > bestCount) {
                best = node;
                bestCount = on;
            }
        }
        return best;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String eni(String node) {
        return "eni-0000000" + node;
    }

    private static String nodeOf(String eni) {
        return eni == null ? null : eni.substring(eni.length() - 1);
    }

    Map<String, String> routes() {
        return Map.copyOf(world.routes);
    }
}
