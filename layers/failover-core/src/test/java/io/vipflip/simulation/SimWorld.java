package io.vipflip.simulation;

import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated world: which nodes really are up (and since when), where each table's VIP route points, EC2
 * writes acknowledged but applied later (eventual consistency), and the deterministic fault dice.
 */
final class SimWorld {
    record Delayed(int applyAtStep, String table, String eni) {
    }

    final long seed;
    final MutableClock clock;
    final Map<String, Boolean> up = new LinkedHashMap<>();
    final Map<String, Instant> since = new LinkedHashMap<>();
    final Map<String, String> routes = new LinkedHashMap<>();
    final List<Delayed> delayed = new ArrayList<>();
    int step;
    double lossRate;
    double delayRate;

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

    synchronized String route(String table) {
        return routes.get(table);
    }

    synchronized void setRoute(String table, String eni) {
        routes.put(table, eni);
    }

    synchronized void applyDue() {
        delayed.removeIf(d -> {
            if (d.applyAtStep() <= step) {
                routes.put(d.table(), d.eni());
                return true;
            }
            return false;
        });
    }

    /** A die that depends only on the seed, the step and what is rolled for: thread order cannot change it. */
    boolean roll(String what, double probability) {
        if (probability <= 0) {
            return false;
        }
        long mix = seed * 0x9E3779B97F4A7C15L + step * 0xC2B2AE3D27D4EB4FL + what.hashCode();
        return new SplittableRandom(mix).nextDouble() < probability;
    }
}
