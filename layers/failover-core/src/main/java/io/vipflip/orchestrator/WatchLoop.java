package io.vipflip.orchestrator;

import io.vipflip.config.GroupConfig;
import io.vipflip.health.ProbeCadence;
import io.vipflip.history.WatcherStore;
import io.vipflip.policy.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What one scheduled invocation does. Watch mode: a round for every group each {@code intervalMillis} (shorter
 * while a node changes state: {@link ProbeCadence}) until the invocation's budget ends or the next invocation
 * takes over ({@link WatcherTurn}: one loop watches at a time, and a late or lost trigger leaves no gap). Minute
 * mode ({@code watch: false} for every group): one burst of {@code fall} rounds. Rise/fall counters are handed to
 * the next invocation.
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
    private final Updates updates;
    private final Optional<Handoff> handoff;
    private final RoundRunner runner;
    private final LoopPause pause;
    private final AlarmBurst alarmBurst;
    private final WatcherTurnDriver watcher;
    private volatile Thread running;

    /** Where the watch is handed from one invocation to the next, and who this execution environment is. */
    public record Handoff(WatcherStore store, Supplier<String> environment, WatcherTurn.Settings settings) {
        /** A turn for one invocation: its identity is drawn now, so twins and successive invocations differ. */
        WatcherTurn turn(Instant until) {
            return new WatcherTurn(store, environment.get() + "/" + UUID.randomUUID(), until, settings);
        }
    }

    public WatchLoop(Orchestrator orchestrator, Clock clock, Sleeper sleeper) {
        this(orchestrator, clock, sleeper, Updates.NONE);
    }

    public WatchLoop(Orchestrator orchestrator, Clock clock, Sleeper sleeper, Updates updates) {
        this(orchestrator, clock, sleeper, updates, Optional.empty());
    }

    public WatchLoop(Orchestrator orchestrator, Clock clock, Sleeper sleeper, Updates updates,
                     Optional<Handoff> handoff) {
        this(orchestrator, clock, sleeper, updates, handoff, RoundRunner.INLINE);
    }

    public WatchLoop(Orchestrator orchestrator, Clock clock, Sleeper sleeper, Updates updates,
                     Optional<Handoff> handoff, RoundRunner runner) {
        this.runner = runner;
        this.orchestrator = orchestrator;
        this.clock = clock;
        this.updates = updates;
        this.handoff = handoff;
        // One pause for the watch, the burst and the hand-off: a stop or an interrupt ends whichever runs.
        this.pause = new LoopPause(sleeper);
        this.alarmBurst = new AlarmBurst(orchestrator, clock, pause);
        this.watcher = new WatcherTurnDriver(orchestrator, clock, pause);
    }

    /**
     * Ends a loop running in another thread as an interrupt would, and for good: an interrupt alone can be lost — an
     * SDK call whose own timeout fires as it arrives clears the flag (sdk-core restores it otherwise), and the loop
     * treats that call's failure as any other. Lambda never calls this (the budget ends the loop); the local world's
     * benchmarks do. A stopped loop stays stopped.
     */
    public void stop() {
        pause.requestStop();
        Thread thread = running;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Runs until {@code budget} (the invocation's remaining time) minus the safety margin is spent. */
    public Summary run(Duration budget, Listener listener) {
        running = Thread.currentThread();
        try {
            return watch(budget, listener);
        } finally {
            running = null;
        }
    }

    private Summary watch(Duration budget, Listener listener) {
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
        int[] errors = {0};
        WatcherTurn turn = null;
        Instant nextCheck = Instant.MAX;
        if (handoff.isPresent() && groups.stream().anyMatch(g -> g.probe().watch())) {
            turn = handoff.get().turn(deadline);
            Optional<Instant> watching = watcher.takeOver(turn, deadline, nextDue, listener);
            if (watching.isEmpty()) {
                // Another invocation watches (or a newer one took over first): nothing probed, nothing to hand over.
                pause.restoreInterrupt();
                return new Summary(rounds, notable, errors[0]);
            }
            nextCheck = watching.get();
        }
        RoundsInFlight running = new RoundsInFlight(runner, orchestrator);
        while (true) {
            running.drain(nextDue, notable, errors, listener);
            if (pause.stopping()) {
                break;
            }
            if (turn != null && !clock.instant().isBefore(nextCheck)) {
                if (turn.watching()) {
                    // The counters handed over must be the last. (A loop probing without its turn yet looks every
                    // 100 ms and hands nothing over: it does not hold the other groups' rounds for a slow one.)
                    pause.noteInterruptIf(!running.awaitAll(nextDue, notable, errors, listener));
                    if (pause.interrupted()) {
                        break; // an interrupt while waiting ends the loop, as one while sleeping does
                    }
                }
                Optional<Instant> watching = watcher.look(turn, groups, nextDue, listener);
                if (watching.isEmpty()) {
                    pause.restoreInterrupt(); // handed over (counters written) or taken over: this loop ends here
                    return new Summary(rounds, notable, errors[0]);
                }
                nextCheck = watching.get();
            }
            groups = applyUpdates(groups, nextDue, rounds, leasedActionsEndBy);
            // Every group due now gets its round; a group whose last round still runs (a node timing out, a
            // flip) waits for it, and delays no other group.
            Instant now = clock.instant();
            Instant groupDue = Instant.MAX;
            for (GroupConfig group : groups) {
                boolean burstDone = !group.probe().watch() && rounds.get(group.name()) >= group.probe().fall();
                if (burstDone || running.contains(group.name()) || !nextDue.containsKey(group.name())) {
                    continue;
                }
                Instant due = nextDue.get(group.name());
                if (!due.isAfter(now) && !now.isAfter(deadline)) {
                    rounds.merge(group.name(), 1, Integer::sum);
                    nextDue.put(group.name(), now.plus(group.probe().interval()));
                    running.start(group, now, leasedActionsEndBy);
                    running.drain(nextDue, notable, errors, listener); // a round that ran in this thread: its cadence now
                    due = nextDue.get(group.name());
                }
                groupDue = due.isBefore(groupDue) ? due : groupDue;
            }
            Instant wake = groupDue.isAfter(updates.nextDue()) ? updates.nextDue() : groupDue;
            // Past the deadline no round starts, so a group due before it must not keep the loop awake: a round
            // that ended after the deadline leaves its group due in the past, and waiting for that spins forever.
            if (wake.isAfter(deadline) || clock.instant().isAfter(deadline)) {
                if (running.isEmpty()) {
                    break;
                }
                wake = deadline.isAfter(clock.instant()) ? deadline : clock.instant().plusMillis(10);
            }
            wake = wake.isAfter(nextCheck) ? nextCheck : wake;
            Duration wait = Duration.between(clock.instant(), wake);
            boolean waited = running.isEmpty() ? pause.pause(wait) : running.awaitOne(wait);
            pause.noteInterruptIf(!waited);
            if (!waited) {
                break;
            }
        }
        pause.noteInterruptIf(!running.awaitAll(nextDue, notable, errors, listener));
        watcher.handOverCounters(groups);
        if (turn != null) {
            watcher.finish(turn, nextDue, listener);
        }
        pause.restoreInterrupt();
        return new Summary(rounds, notable, errors[0]);
    }

    /**
     * The groups to run once a due configuration check is applied: added groups get a round at once, removed ones
     * get no more, the others keep their schedule.
     */
    private List<GroupConfig> applyUpdates(List<GroupConfig> groups, Map<String, Instant> nextDue,
                                           Map<String, Integer> rounds, Instant leasedActionsEndBy) {
        if (!updates.applyIfDue(leasedActionsEndBy)) {
            return groups;
        }
        List<GroupConfig> current = orchestrator.config().groups();
        List<String> names = current.stream().map(GroupConfig::name).toList();
        nextDue.keySet().retainAll(names);
        for (String name : names) {
            nextDue.putIfAbsent(name, clock.instant());
            rounds.putIfAbsent(name, 0);
        }
        return current;
    }

    /** How the rounds of different groups run. */
    @FunctionalInterface
    public interface RoundRunner {
        /** One after another in the loop's own thread: tests on a driven clock. */
        RoundRunner INLINE = Runnable::run;
        /**
         * Each round in a pooled platform thread of its own: a slow group delays no other (issue 13 §4). Not virtual
         * threads: on Lambda's java21 runtime a virtual thread that blocks inside {@code synchronized} (ours, the
         * SDK's, the JDK's) pins its carrier, and there are only as many carriers as vCPUs (JEP 444; JEP 491 lifted
         * this in JDK 24 only), so one throttled read could stall every group. Idle threads end after a minute.
         */
        RoundRunner CONCURRENT = new RoundRunner() {
            private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool(
                    Thread.ofPlatform().daemon().name("vipflip-round-", 0).factory());

            @Override
            public void start(Runnable round) {
                pool.execute(round);
            }
        };

        void start(Runnable round);
    }

    /** The name errors of the watcher hand-off are reported under (not a group). */
    public static final String WATCHER = "(watcher)";

    /** An alarm's confirmation burst: up to max(fall, rise) rounds, until one is not a quiet no-change. */
    public List<RunResult> burst(String group, Trigger trigger, Consumer<RunResult> listener) {
        return burst(group, trigger, Duration.ofDays(1), listener);
    }

    /** As {@link #burst(String, Trigger, Consumer)} within an invocation that has {@code budget} left. */
    public List<RunResult> burst(String group, Trigger trigger, Duration budget, Consumer<RunResult> listener) {
        return alarmBurst.run(group, trigger, budget, listener);
    }
}
