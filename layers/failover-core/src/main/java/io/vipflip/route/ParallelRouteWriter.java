package io.vipflip.route;

import io.vipflip.aws.CallBound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes every route change at once (one virtual thread each, at most {@link #MAX_IN_FLIGHT} requests in flight), so
 * N tables cost about one write's latency while EC2's mutating-action bucket has tokens; once EC2 throttles, every
 * write is sent again, paced to the bucket's refill rate, until it lands or the window ends (docs/decisions.md 56).
 */
public final class ParallelRouteWriter {
    /** EC2's mutating-action bucket holds 50 tokens: more requests in flight than that can only be throttled. */
    public static final int MAX_IN_FLIGHT = 50;
    /**
     * Once throttled, one send per 160 ms: a little faster than the mutating bucket's refill (5 tokens per second), so
     * a token that a throttled slot missed (the refill's phase) is taken by the next one instead of piling up.
     */
    static final Duration REFILL_SPACING = Duration.ofMillis(160);
    /** Throttled sends in a row, with no send answered between them, before the spacing is widened. */
    static final int THROTTLED_BEFORE_WIDENING = 10;
    /** The widest spacing when throttling persists (other tools in the account draw from the same bucket). */
    static final Duration MAX_SPACING = Duration.ofSeconds(2);
    /** Sends of one write that end without an answer (5xx, timeout) before it is left to the next holder. */
    static final int MAX_UNANSWERED_SENDS = 5;
    static final Duration UNANSWERED_BASE_DELAY = Duration.ofMillis(100);

    /** Time for the pacing: the real clock in production, a driven one in tests. */
    public interface Ticker {
        long nanoTime();

        /** Returns at {@code nanoTime} or later on this ticker. */
        void sleepUntil(long nanoTime) throws InterruptedException;

        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepUntil(long nanoTime) throws InterruptedException {
                long wait = nanoTime - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            }
        };
    }

    private final RouteTables tables;
    private final Ticker ticker;

    public ParallelRouteWriter(RouteTables tables) {
        this(tables, Ticker.SYSTEM);
    }

    public ParallelRouteWriter(RouteTables tables, Ticker ticker) {
        this.tables = tables;
        this.ticker = ticker;
    }

    public List<RouteWriteOutcome> writeAll(List<RouteChange> changes) {
        return writeAll(changes, Duration.ofDays(1));
    }

    /**
     * Every change, each ending within {@code within} (the lease's write window): nothing is sent once it has ended,
     * and every send is bounded by what is left of it.
     */
    public List<RouteWriteOutcome> writeAll(List<RouteChange> changes, Duration within) {
        Run run = new Run(ticker.nanoTime() + within.toNanos());
        if (changes.size() == 1) {
            return List.of(run.write(changes.get(0)));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<RouteWriteOutcome>> futures = new ArrayList<>();
            for (RouteChange change : changes) {
                futures.add(executor.submit(() -> run.write(change)));
            }
            List<RouteWriteOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                outcomes.add(await(futures.get(i), changes.get(i)));
            }
            return outcomes;
        }
    }

    /** A send's slot, and whether it was paced (EC2 had throttled this flip before the slot was given). */
    private record Turn(long at, boolean paced) {
    }

    /** One writeAll: its deadline, the in-flight bound and the pacing shared by its writes. */
    private final class Run {
        private final long deadline;
        private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        /** Zero until EC2 first throttles; then the spacing between sends, widened while throttling persists. */
        private long spacing;
        private long nextSend = Long.MIN_VALUE;
        private int throttledInARow;

        Run(long deadline) {
            this.deadline = deadline;
        }

        RouteWriteOutcome write(RouteChange change) {
            long started = ticker.nanoTime();
            boolean mayHaveLanded = false;
            int unanswered = 0;
            RouteWriteOutcome last = null;
            try {
                while (true) {
                    Turn turn = turn();
                    long sendAt = turn.at();
                    if (last != null && sendAt > deadline - CallBound.MIN_CALL.toNanos()) {
                        return last.after(since(started), mayHaveLanded);
                    }
                    ticker.sleepUntil(sendAt);
                    RouteWriteOutcome outcome;
                    inFlight.acquire();
                    try {
                        outcome = tables.write(change, Duration.ofNanos(deadline - ticker.nanoTime()));
                    } finally {
                        inFlight.release();
                    }
                    if (!outcome.sent() && last != null) {
                        return last.after(since(started), mayHaveLanded); // too late to send again
                    }
                    last = outcome;
                    if (outcome.throttled()) {
                        throttled(turn.paced());
                        continue;
                    }
                    if (outcome.sent()) {
                        served();
                    }
                    if (outcome.mayHaveLanded() && !outcome.succeeded() && ++unanswered < MAX_UNANSWERED_SENDS) {
                        // No answer (5xx, broken connection): sent again as the SDK would, within the window.
                        mayHaveLanded = true;
                        long backoff = ThreadLocalRandom.current().nextLong(
                                UNANSWERED_BASE_DELAY.toNanos() << Math.min(unanswered - 1, 4));
                        if (ticker.nanoTime() + backoff >= deadline) {
                            return outcome.after(since(started), true);
                        }
                        ticker.sleepUntil(ticker.nanoTime() + backoff);
                        continue;
                    }
                    return outcome.after(since(started), mayHaveLanded);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last == null ? RouteWriteOutcome.notSent(change, "write", since(started))
                        : last.after(since(started), mayHaveLanded);
            }
        }

        /** When this write may be sent: now until EC2 first throttles, then one slot per spacing. */
        private synchronized Turn turn() {
            long now = ticker.nanoTime();
            if (spacing == 0) {
                return new Turn(now, false);
            }
            long at = Math.max(now, nextSend);
            nextSend = at + spacing;
            return new Turn(at, true);
        }

        /**
         * EC2 throttled a send: from now on sends are spaced at the refill rate. Only when a whole second of sends
         * at that spacing found no token (another tool drains the bucket too) is the spacing widened.
         */
        private synchronized void throttled(boolean paced) {
            if (spacing == 0) {
                spacing = REFILL_SPACING.toNanos();
            } else if (paced && ++throttledInARow >= THROTTLED_BEFORE_WIDENING) {
                // Only paced sends count: the first burst's overflow, sent before pacing began, says nothing of it.
                spacing = Math.min(MAX_SPACING.toNanos(), spacing * 3 / 2);
                throttledInARow = 0;
            }
        }

        /** A send EC2 answered: the bucket had a token, so the spacing goes back to the refill rate. */
        private synchronized void served() {
            throttledInARow = 0;
            if (spacing > REFILL_SPACING.toNanos()) {
                spacing = REFILL_SPACING.toNanos();
            }
        }

        private Duration since(long startedNanos) {
            return Duration.ofNanos(ticker.nanoTime() - startedNanos);
        }
    }

    private static RouteWriteOutcome await(Future<RouteWriteOutcome> future, RouteChange change) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return RouteWriteOutcome.failed(change, "write", String.valueOf(e.getCause()), Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RouteWriteOutcome.failed(change, "write", "interrupted", Duration.ZERO);
        }
    }
}
