package io.vipflip.orchestrator;

import io.vipflip.config.GroupConfig;
import io.vipflip.health.ProbeCadence;
import io.vipflip.policy.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one scheduled invocation does. Watch mode: a round for every group each {@code intervalMillis} (shorter
 * while a node changes state: {@link ProbeCadence}) until the invocation's budget ends (overlapping invocations are harmless: only the lease holder writes). Minute mode
 * ({@code watch: false}): one burst of {@code fall} rounds. Rise/fall counters are handed to the next invocation.
 */
public final class WatchLoop {
    /** Left unused at the end of the budget: the last round, its lease release and the hand-over must fit. */
    public static final Duration SAFETY_MARGIN = Duration.ofSeconds(3);

    /** Waits; tests pass one that moves a virtual clock instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Hears every run, and every round that failed with an exception (the loop goes on with the next round). */
    @FunctionalInterface
    public interface Listener {
        void onRun(RunResult result);

        default void onError(String group, RuntimeException error) {
        }
    }

    /** Configuration changes, applied between rounds (issue 16). */
    public interface Updates {
        /** A configuration that never changes while the container lives. */
        Updates NONE = new Updates() {
            @Override
            public boolean applyIfDue() {
                return false;
            }

            @Override
            public Instant nextDue() {
                return Instant.MAX;
            }
        };

        /** Reads and applies the configuration if a check is due; true when the groups to run changed. */
        boolean applyIfDue();

        /** As {@link #applyIfDue()}, its leased history writes ending by {@code mustEndBy} (issue 11). */
        default boolean applyIfDue(Instant mustEndBy) {
            return applyIfDue();
        }

        /** When the next check is due ({@link Instant#MAX}: never). */
        Instant nextDue();
    }

    /** How an invocation went: rounds run per group, and every run that was not a quiet no-change. */
    public record Summary(Map<String, Integer> rounds, List<RunResult> notable, int errors) {
        public Summary {
            rounds = Map.copyOf(rounds);
            notable = List.copyOf(notable);
        }
    }

    private final Orchestrator orchestrator;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Updates updates;
    private boolean interrupted;

    public WatchLoop(Orchestrator orchestrator, Clock clock, Sleeper sleeper) {
        this(orchestrator, clock, sleeper, Updates.NONE);
    }

    public WatchLoop(Orchestrator orchestrator, Clock clock, Sleeper sleeper, Updates updates) {
        this.orchestrator = orchestrator;
        this.clock = clock;
        this.sleeper = sleeper;
        this.updates = updates;
    }

    /** Runs until {@code budget} (the invocation's remaining time) minus the safety margin is spent. */
    public Summary run(Duration budget, Listener listener) {
        Instant invocationEnd = clock.instant().plus(budget);
        Instant deadline = invocationEnd.minus(SAFETY_MARGIN);
        // A round's leased action (lease included) must end before the invocation does, less the end margin.
        Instant leasedActionsEndBy = invocationEnd.minus(orchestrator.config().timing().endMargin());
        List<GroupConfig> groups = orchestrator.config().groups();
        Map<String, Instant> nextDue = new LinkedHashMap<>();
        Map<String, Integer> rounds = new LinkedHashMap<>();
        groups.forEach(g -> {
            nextDue.put(g.name(), clock.instant());
            rounds.put(g.name(), 0);
        });
        List<RunResult> notable = new ArrayList<>();
        int errors = 0;
        while (true) {
            if (updates.applyIfDue(leasedActionsEndBy)) {
                // Added groups get a round at once; removed ones get no more; the others keep their schedule.
                groups = orchestrator.config().groups();
                List<String> names = groups.stream().map(GroupConfig::name).toList();
                nextDue.keySet().retainAll(names);
                for (String name : names) {
                    nextDue.putIfAbsent(name, clock.instant());
                    rounds.putIfAbsent(name, 0);
                }
            }
            GroupConfig next = null;
            for (GroupConfig group : groups) {
                boolean burstDone = !group.probe().watch() && rounds.get(group.name()) >= group.probe().fall();
                if (!burstDone && (next == null || nextDue.get(group.name()).isBefore(nextDue.get(next.name())))) {
                    next = group;
                }
            }
            Instant groupDue = next == null ? Instant.MAX : nextDue.get(next.name());
            Instant wake = groupDue.isAfter(updates.nextDue()) ? updates.nextDue() : groupDue;
            if (wake.isAfter(deadline)) {
                break;
            }
            if (!pause(Duration.between(clock.instant(), wake))) {
                break;
            }
            if (groupDue.isAfter(wake)) {
                continue; // woke up for the configuration check
            }
            Instant started = clock.instant();
            rounds.merge(next.name(), 1, Integer::sum);
            nextDue.put(next.name(), started.plus(next.probe().interval()));
            try {
                RunResult result = orchestrator.run(next.name(), new Trigger.Scheduled(), false, leasedActionsEndBy);
                // inter / fastinter / downinter from the health this round left (HAProxy's semantics).
                nextDue.put(next.name(), started.plus(ProbeCadence.next(next.probe(), result.health())));
                listener.onRun(result);
                if (result.outcome() != Outcome.NO_CHANGE) {
                    notable.add(result);
                }
            } catch (RuntimeException e) {
                // An API unreachable or failing: nothing was written without a lease; the next round retries.
                errors++;
                listener.onError(next.name(), e);
            }
        }
        for (GroupConfig group : groups) {
            try {
                orchestrator.handOverHealth(group.name());
            } catch (RuntimeException advisory) {
                // The next invocation then starts its counters afresh: slower detection, never a wrong flip.
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new Summary(rounds, notable, errors);
    }

    /**
     * An alarm's confirmation burst: up to max(fall, rise) rounds a short interval apart, stopping at the first run
     * that is not a quiet no-change (a flip, a refusal, a busy lease). Enough for a suspect node to reach DOWN and,
     * in a cold container, for a survivor to reach UP.
     */
    public List<RunResult> burst(String group, Trigger trigger, Consumer<RunResult> listener) {
        return burst(group, trigger, Duration.ofDays(1), listener);
    }

    /** As {@link #burst(String, Trigger, Consumer)} within an invocation that has {@code budget} left. */
    public List<RunResult> burst(String group, Trigger trigger, Duration budget, Consumer<RunResult> listener) {
        Instant leasedActionsEndBy = clock.instant().plus(budget).minus(orchestrator.config().timing().endMargin());
        GroupConfig config = orchestrator.group(group);
        Duration interval = config.probe().interval().compareTo(Duration.ofMillis(250)) < 0
                ? config.probe().interval() : Duration.ofMillis(250);
        List<RunResult> results = new ArrayList<>();
        int rounds = Math.max(config.probe().fall(), config.probe().rise());
        for (int round = 0; round < rounds; round++) {
            if (round > 0 && !pause(interval)) {
                break;
            }
            RunResult result = orchestrator.run(group, trigger, false, leasedActionsEndBy);
            results.add(result);
            listener.accept(result);
            if (result.outcome() != Outcome.NO_CHANGE) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return results;
    }

    private boolean pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return true;
        }
        try {
            sleeper.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            interrupted = true; // restored once the hand-over is written
            return false;
        }
    }
}
