package io.vipflip.simulation;

import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The simulated world on the true clock: which nodes really are up (and since when), where each table's VIP route
 * points, route writes EC2 received and applies later (a slow or timed-out call, an SDK retry), reads that may
 * still show a table's previous route for a moment after it changed (eventual consistency), and the
 * deterministic fault dice.
 */
final class SimWorld {
    /** A write EC2 received: it changes the table at {@code at} (true time), whatever its sender does meanwhile. */
    record Landing(Instant at, String table, String eni, String writer, long token) {
    }

    /** How long after a change a read may still return the table's previous route. */
    static final Duration STALE_READS_FOR = Duration.ofMillis(700);

    final long seed;
    final MutableClock clock;
    final Map<String, Boolean> up = new LinkedHashMap<>();
    final Map<String, Instant> since = new LinkedHashMap<>();
    final Map<String, String> routes = new LinkedHashMap<>();
    private final Map<String, String> previousRoutes = new LinkedHashMap<>();
    private final Map<String, Instant> changedAt = new LinkedHashMap<>();
    final List<Landing> inFlight = new ArrayList<>();
    /** Each live process's clock offset from the true clock. */
    final Map<String, Duration> skews = new java.util.concurrent.ConcurrentHashMap<>();
    /** Checks every landing against the lease (set by the simulation). */
    Consumer<Landing> onLanding = l -> { };
    int step;
    double lossRate;
    double staleRate;
    double slowRate;
    /** The chance that a node changes state while a process waits for the lease (between observation and confirmation). */
    double raceRate;

    SimWorld(long seed, Instant start) {
        this.seed = seed;
        this.clock = new MutableClock(start);
    }

    synchronized void node(String name, boolean isUp) {
        if (!Boolean.valueOf(isUp).equals(up.get(name))) {
            up.put(name, isUp);
            since.put(name, clock.instant());
        }
    }

    synchronized boolean isUp(String node) {
        return up.getOrDefault(node, false);
    }

    /** How long the node has been in its current state. */
    synchronized Duration stateAge(String node) {
        return Duration.between(since.get(node), clock.instant());
    }

    /** The route as it is (not as a read may see it). */
    synchronized String route(String table) {
        return routes.get(table);
    }

    /** The route as one read sees it: shortly after a change, maybe still the previous one. */
    synchronized String read(String table, String reader) {
        Instant changed = changedAt.get(table);
        if (changed != null && Duration.between(changed, clock.instant()).compareTo(STALE_READS_FOR) < 0
                && roll("stale:" + reader + ":" + table, staleRate)) {
            return previousRoutes.get(table);
        }
        return routes.get(table);
    }

    synchronized void setRoute(String table, String eni) {
        if (!eni.equals(routes.get(table))) {
            previousRoutes.put(table, routes.get(table));
            changedAt.put(table, clock.instant());
        }
        routes.put(table, eni);
    }

    /**
     * While a process waits for the lease, a node may die or come back: the observation it decided on is then stale
     * and only the confirmation probe under the lease can tell.
     */
    synchronized void raceDuringCall() {
        SplittableRandom dice = random("race:" + clock.instant());
        if (dice.nextDouble() < raceRate) {
            String node = List.copyOf(up.keySet()).get(dice.nextInt(up.size()));
            node(node, !isUp(node));
        }
    }

    /** What the process's own clock reads now. */
    Instant clockOf(String owner) {
        return clock.instant().plus(skews.getOrDefault(owner, Duration.ZERO));
    }

    synchronized void send(Landing landing) {
        inFlight.add(landing);
    }

    /** Applies every write due by now, oldest first (ties in a fixed order, so thread order cannot matter). */
    synchronized void applyDue() {
        Instant now = clock.instant();
        List<Landing> due = inFlight.stream().filter(l -> !l.at().isAfter(now))
                .sorted(Comparator.comparing(Landing::at).thenComparing(Landing::table).thenComparing(Landing::eni))
                .toList();
        inFlight.removeAll(due);
        for (Landing landing : due) {
            onLanding.accept(landing);
            setRoute(landing.table(), landing.eni());
        }
    }

    /** A die that depends only on the seed, the step and what is rolled for: thread order cannot change it. */
    boolean roll(String what, double probability) {
        if (probability <= 0) {
            return false;
        }
        return random(what).nextDouble() < probability;
    }

    SplittableRandom random(String what) {
        long mix = seed * 0x9E3779B97F4A7C15L + step * 0xC2B2AE3D27D4EB4FL + what.hashCode();
        return new SplittableRandom(mix);
    }
}
