package io.vipflip.orchestrator;

import io.vipflip.config.GroupConfig;
import io.vipflip.health.ProbeCadence;
import io.vipflip.policy.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The rounds in flight, and the ends the loop's thread has not handled yet. A round's end is published and its
 * group leaves the in-flight set in one step, so the loop never sees a group neither running nor ended.
 */
final class RoundsInFlight {
    /** One round's end, as the loop's thread learns of it. */
    private record Ended(String group, Instant started, RunResult result, RuntimeException failure, Error crash) {
    }

    private final WatchLoop.RoundRunner runner;
    private final Orchestrator orchestrator;
    private final Object lock = new Object();
    private final java.util.Set<String> inFlight = new java.util.HashSet<>();
    private final java.util.ArrayDeque<Ended> ended = new java.util.ArrayDeque<>();

    RoundsInFlight(WatchLoop.RoundRunner runner, Orchestrator orchestrator) {
        this.runner = runner;
        this.orchestrator = orchestrator;
    }

    boolean contains(String group) {
        synchronized (lock) {
            return inFlight.contains(group);
        }
    }

    boolean isEmpty() {
        synchronized (lock) {
            return inFlight.isEmpty();
        }
    }

    void start(GroupConfig group, Instant started, Instant leasedActionsEndBy) {
        synchronized (lock) {
            inFlight.add(group.name());
        }
        boolean inline = runner == WatchLoop.RoundRunner.INLINE;
        runner.start(() -> {
            Ended end;
            try {
                end = new Ended(group.name(), started, orchestrator.run(group.name(), new Trigger.Scheduled(),
                        false, leasedActionsEndBy), null, null);
            } catch (RuntimeException e) {
                end = new Ended(group.name(), started, null, e, null);
            } catch (Error e) {
                if (inline) {
                    synchronized (lock) {
                        inFlight.remove(group.name());
                    }
                    throw e; // a crash of the loop's own thread ends the loop, as it would end the process
                }
                end = new Ended(group.name(), started, null, null, e);
            }
            synchronized (lock) {
                ended.add(end);
                lock.notifyAll();
            }
        });
    }

    private Ended next() {
        synchronized (lock) {
            Ended end = ended.poll();
            if (end != null) {
                inFlight.remove(end.group());
            }
            return end;
        }
    }

    /** Handles every round that ended: its cadence, its listener call. */
    void drain(Map<String, Instant> nextDue, List<RunResult> notable, int[] errors, WatchLoop.Listener listener) {
        for (Ended end = next(); end != null; end = next()) {
            if (end.crash() != null) {
                throw end.crash();
            }
            if (end.failure() != null) {
                // An API unreachable or failing: nothing was written without a lease; the next round retries.
                errors[0]++;
                listener.onError(end.group(), end.failure());
                continue;
            }
            RunResult result = end.result();
            GroupConfig group = orchestrator.config().group(end.group()).orElse(null);
            if (group != null && nextDue.containsKey(end.group())) {
                // inter / fastinter / downinter from the health this round left (HAProxy's semantics).
                nextDue.put(end.group(), end.started().plus(ProbeCadence.next(group.probe(), result.health())));
            }
            listener.onRun(result);
            if (result.outcome() != Outcome.NO_CHANGE) {
                notable.add(result);
            }
        }
    }

    /** Waits up to {@code wait} for a round to end; false if interrupted. */
    boolean awaitOne(Duration wait) {
        synchronized (lock) {
            if (!ended.isEmpty()) {
                return true;
            }
            try {
                lock.wait(Math.max(1, wait.toMillis()));
                return true;
            } catch (InterruptedException e) {
                return false; // the caller ends the loop and restores the flag once the counters are written
            }
        }
    }

    /**
     * Lets every round in flight end (each is bounded by its probe timeout and the invocation's end); false when the
     * thread was interrupted meanwhile (the rounds still end: their counters are handed over next).
     */
    boolean awaitAll(Map<String, Instant> nextDue, List<RunResult> notable, int[] errors,
                     WatchLoop.Listener listener) {
        boolean uninterrupted = true;
        while (!isEmpty()) {
            if (!awaitOne(Duration.ofMillis(100))) {
                uninterrupted = false;
            }
            drain(nextDue, notable, errors, listener);
        }
        return uninterrupted;
    }
}
