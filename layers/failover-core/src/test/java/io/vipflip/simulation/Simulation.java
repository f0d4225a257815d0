package io.vipflip.simulation;

import io.vipflip.policy.HistoryKind;
import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.HistoryEvent;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.policy.Trigger;
import io.vipflip.route.Ec2NodeResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic model with a virtual clock driving the real policy, lease logic and orchestrator against
 * in-memory ports: three overlapping processes, nodes failing, recovering and flapping, lost and late API calls,
 * processes dying mid-flip and holders stalling under their lease. Every step checks the invariants; every
 * 3,000 steps ends with a quiet phase after which the routes must have converged.
 */
final class Simulation {
    static final String GROUP = "web";
    static final List<String> NODES = List.of("a", "b", "c");
    static final List<String> TABLES = List.of("rtb-00000001", "rtb-00000002", "rtb-00000003");
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration LEASE = Duration.ofSeconds(10);
    static final int MAX_FLIPS_PER_HOUR = 60;
    /**
     * A dead node may keep the VIP this long once another node is up: rise (2 s) and fall (3 s) rounds, a dead
     * holder's lease (10 s), lost and late calls, and slack.
     */
    static final Duration DETECTION_WINDOW = Duration.ofSeconds(25);
    private static final int PHASE = 3000;
    private static final int QUIET_FROM = 2400;

    record Report(long seed, int steps, List<String> violations, int flips, int crashes, int errors, int stalls) {
    }

    private final long seed;
    private final SimWorld world;
    private final SimLeaseStore leases;
    private final SimStateStore states;
    private final DeploymentConfig config;
    private final List<String> violations = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final SplittableRandom chaos;
    private int generation;
    private int crashes;
    private int errors;
    private int stalls;
    private boolean nested;
    private int flapNode = -1;
    private int flapUntil;
    /** The last steps, attached to a violation so a failing seed explains itself. */
    private final java.util.ArrayDeque<String> trace = new java.util.ArrayDeque<>();

    private record Process(String owner, Orchestrator orchestrator, SimRouteTables routes) {
    }

    Simulation(long seed) {
        this.seed = seed;
        this.chaos = new SplittableRandom(seed);
        this.world = new SimWorld(seed, Instant.parse("2026-11-25T00:00:00Z"));
        this.leases = new SimLeaseStore(world);
        this.states = new SimStateStore(leases);
        this.config = new ConfigParser().parse("""
                {"leaseMillis": %d, "groups": [{"name": "web", "vips": ["192.168.100.10/32"],
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "eni-0000000a", "probeAddress": "10.0.0.1", "priority": 200},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "eni-0000000b", "probeAddress": "10.0.0.2", "priority": 100},
                    {"name": "c", "instanceId": "i-0000000c", "eniId": "eni-0000000c", "probeAddress": "10.0.0.3", "priority": 50}],
                  "routeTables": {"ids": ["rtb-00000001", "rtb-00000002", "rtb-00000003"]},
                  "probe": {"ports": [80], "timeoutMillis": 200, "intervalMillis": %d, "fall": 3, "rise": 2},
                  "failback": {"delaySeconds": 30},
                  "damping": {"minSecondsBetweenFlips": 0, "maxFlipsPerHour": %d}}]}
                """.formatted(LEASE.toMillis(), INTERVAL.toMillis(), MAX_FLIPS_PER_HOUR));
        NODES.forEach(n -> world.node(n, true));
        TABLES.forEach(t -> world.setRoute(t, eni("a")));
        for (int i = 0; i < 3; i++) {
            processes.add(process(i));
        }
    }

    private Process process(int slot) {
        String owner = "p" + slot + "-" + (generation++);
        SimRouteTables routes = new SimRouteTables(owner, world, leases, violations, this::stall);
        return new Process(owner, new Orchestrator(config, new Ec2NodeResolver(null), new SimProber(world), routes,
                leases, states, world.clock, owner), routes);
    }

    Report run(int steps) {
        Duration tick = INTERVAL.dividedBy(processes.size());
        for (int step = 0; step < steps && violations.isEmpty(); step++) {
            world.step = step;
            world.clock.advance(tick);
            boolean quiet = step % PHASE >= QUIET_FROM;
            world.lossRate = quiet ? 0 : 0.02;
            world.delayRate = quiet ? 0 : 0.02;
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
            if (!quiet && world.roll("crash", 0.05)) { // only bites when the run writes
                process.routes().crashAfterWrites = chaos.nextInt(TABLES.size());
            }
            int before = states.all().size();
            Trigger trigger = trigger(quiet);
            String line;
            try {
                var result = process.orchestrator().run(GROUP, trigger);
                line = result.outcome() + " " + result.decision().kind() + ": " + result.decision().reason()
                        + " health=" + result.health().nodes().entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue().state()).toList();
            } catch (SimRouteTables.SimulatedCrash crash) {
                crashes++;
                processes.set(slot, process(slot));
                line = "CRASH " + crash.getMessage();
            } catch (RuntimeException e) {
                errors++; // a lost read: the round fails, nothing is written, the next round retries
                line = "ERROR " + e.getClass().getSimpleName();
            }
            trace.addLast("step " + step + " t=" + world.clock.instant() + " " + process.owner() + " " + trigger.label()
                    + " -> " + line + " | up=" + world.up + " routes=" + world.routes.values());
            if (trace.size() > 40) {
                trace.removeFirst();
            }
            process.routes().crashAfterWrites = -1;
            checkInvariants(states.all().subList(before, states.all().size()));
            if (step % PHASE == PHASE - 1) {
                checkConverged(step);
            }
            if (!violations.isEmpty()) {
                violations.add("last steps:\n  " + String.join("\n  ", trace));
            }
        }
        int flips = (int) states.all().stream().filter(e -> e.kind() == HistoryKind.FLIP).count();
        return new Report(seed, steps, List.copyOf(violations), flips, crashes, errors, stalls);
    }

    private void mutate(int step) {
        for (String node : NODES) {
            if (chaos.nextDouble() < 0.0015) {
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
                try {
                    other.orchestrator().run(GROUP, new Trigger.Scheduled());
                } catch (RuntimeException ignored) {
                    // a lost call in another process's round: it simply did not act this time
                }
                checkSingleHolder();
            }
        } finally {
            nested = false;
        }
    }

    private void checkSingleHolder() {
        List<String> holders = leases.validBelievers();
        if (holders.size() > 1) {
            violations.add("step " + world.step + ": " + holders.size() + " valid lease holders: " + holders);
        }
    }

    private void checkInvariants(List<HistoryEvent> recorded) {
        checkSingleHolder();
        long lastToken = 0;
        for (HistoryEvent event : states.all()) {
            if (event.token() <= lastToken) {
                violations.add("step " + world.step + ": history tokens not strictly increasing at " + event);
            }
            lastToken = event.token();
        }
        Instant hourAgo = world.clock.instant().minus(Duration.ofHours(1));
        long automaticFlips = states.all().stream().filter(e -> e.kind() == HistoryKind.FLIP)
                .filter(e -> !e.trigger().startsWith("manual:")).filter(e -> e.at().isAfter(hourAgo)).count();
        if (automaticFlips > MAX_FLIPS_PER_HOUR) {
            violations.add("step " + world.step + ": " + automaticFlips + " automatic flips in an hour");
        }
        if (automaticFlips >= MAX_FLIPS_PER_HOUR - 5) {
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
                        violations.add("step " + world.step + ": " + table + " still routes to " + node + ", down for "
                                + world.stateAge(node).toSeconds() + " s, while " + other + " has been up for "
                                + world.stateAge(other).toSeconds() + " s");
                    }
                }
            }
        }
    }

    private void checkConverged(int step) {
        String first = world.route(TABLES.getFirst());
        String node = nodeOf(first);
        boolean same = TABLES.stream().allMatch(t -> first != null && first.equals(world.route(t)));
        if (!same || node == null || !world.isUp(node) || !world.delayed.isEmpty()) {
            violations.add("step " + step + ": not converged after a quiet phase: " + world.routes + ", up: " + world.up);
        }
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
