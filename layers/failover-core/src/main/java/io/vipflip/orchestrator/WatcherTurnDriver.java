package io.vipflip.orchestrator;

import io.vipflip.config.GroupConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drives a {@link WatcherTurn} on the watch loop's clock and pauses: waits to be handed the watch, looks at the
 * watcher item as its owner, and hands the rise/fall counters and the next rounds' due times over.
 */
final class WatcherTurnDriver {
    /** How soon the watcher item is looked at again after a read or write of it failed. */
    private static final Duration OWNER_RETRY = Duration.ofSeconds(1);

    private final Orchestrator orchestrator;
    private final Clock clock;
    private final LoopPause pause;

    WatcherTurnDriver(Orchestrator orchestrator, Clock clock, LoopPause pause) {
        this.orchestrator = orchestrator;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * Waits to be handed the watch; when it is, adopts the rounds handed over into {@code nextDue} and answers when
     * to look at the item next. Empty: this invocation does not watch. If the watcher item cannot be read or written
     * at all, watches anyway: two loops probing is harmless (only the lease holder writes), a gap is not.
     */
    Optional<Instant> takeOver(WatcherTurn turn, Instant deadline, Map<String, Instant> nextDue,
                               WatchLoop.Listener listener) {
        while (true) {
            if (pause.stopping()) {
                return Optional.empty();
            }
            WatcherTurn.Step step;
            try {
                step = turn.step(clock.instant());
            } catch (RuntimeException e) {
                // Watch at once (a gap is worse than two loops probing: only the lease holder writes), and look
                // at the item again in a second, as an owner does, to join the hand-off or stop. Not past the
                // deadline: a loop that cannot watch would only overwrite the counters the owner handed over.
                listener.onError(WatchLoop.WATCHER, e);
                return clock.instant().isBefore(deadline) ? Optional.of(clock.instant().plus(OWNER_RETRY))
                        : Optional.empty();
            }
            switch (step) {
                case WatcherTurn.Watch watch -> {
                    return Optional.of(adopt(watch, nextDue));
                }
                case WatcherTurn.Stop stop -> {
                    return Optional.empty();
                }
                case WatcherTurn.Wait wait -> {
                    Instant at = wait.at().isAfter(deadline) ? deadline : wait.at();
                    if (!clock.instant().isBefore(deadline) || !pause.pause(Duration.between(clock.instant(), at))) {
                        return Optional.empty();
                    }
                }
                case WatcherTurn.HandOver unexpected -> throw new IllegalStateException("hand-over before watching");
            }
        }
    }

    /**
     * The owner's periodic look at the watcher item: go on (answering when to look next), or hand the counters and
     * the cadence over and stop (empty: this loop ends, handed over or taken over).
     */
    Optional<Instant> look(WatcherTurn turn, List<GroupConfig> groups, Map<String, Instant> nextDue,
                           WatchLoop.Listener listener) {
        WatcherTurn.Step step;
        try {
            step = turn.step(clock.instant());
            while (step instanceof WatcherTurn.HandOver) {
                handOverCounters(groups);
                step = turn.handedOver(clock.instant(), nextDue);
            }
        } catch (RuntimeException e) {
            // Cannot read the item now: keep watching and look again later (a successor takes over after its wait).
            listener.onError(WatchLoop.WATCHER, e);
            step = new WatcherTurn.Watch(clock.instant().plus(OWNER_RETRY), Map.of());
        }
        if (step instanceof WatcherTurn.Watch watch) {
            return Optional.of(adopt(watch, nextDue));
        }
        if (step instanceof WatcherTurn.Wait wait && !turn.watching()) {
            // Watching although the item could not be read at the start: keep probing while our ask waits for the
            // owner's hand-over (or its relieve wait), so neither a gap nor a long overlap.
            return Optional.of(wait.at());
        }
        return Optional.empty();
    }

    /** Writes every group's rise/fall counters for the next invocation. */
    void handOverCounters(List<GroupConfig> groups) {
        for (GroupConfig group : groups) {
            try {
                orchestrator.handOverHealth(group.name());
            } catch (RuntimeException advisory) {
                // The next invocation then starts its counters afresh: slower detection, never a wrong flip.
            }
        }
    }

    /** Ends the turn at the end of the budget, handing the next rounds' due times to whoever watches next. */
    void finish(WatcherTurn turn, Map<String, Instant> nextDue, WatchLoop.Listener listener) {
        try {
            turn.finish(clock.instant(), nextDue);
        } catch (RuntimeException e) {
            // The next invocation then waits for the stale limit or its relieve wait, then takes over.
            listener.onError(WatchLoop.WATCHER, e);
        }
    }

    /** Keeps the previous owner's due times where they are later than ours; answers when to look at the item next. */
    private static Instant adopt(WatcherTurn.Watch watch, Map<String, Instant> nextDue) {
        watch.handedRounds().forEach((group, due) -> nextDue.computeIfPresent(group,
                (g, now) -> due.isAfter(now) ? due : now));
        return watch.nextCheck();
    }
}
