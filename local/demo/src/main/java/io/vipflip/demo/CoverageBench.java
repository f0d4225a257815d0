package io.vipflip.demo;

import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.orchestrator.WatcherTurn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * {@code ./bench coverage}: is somebody always watching? A discrete-event simulation of the scheduled watch loop
 * over {@code days} days: one trigger per minute at a random second of it (EventBridge fires "within that minute"),
 * a random asynchronous delivery delay (0–30 s), an occasional lost trigger, and now and then an owner busy in a
 * long action (a flip, slow API calls) that cannot answer a hand-off request at once. Every invocation runs the real
 * {@link WatcherTurn} against a store with DynamoDB's conditional-write semantics, on a virtual clock. Compared with
 * today's loop, which watches 62 s from its own start whatever the others do.
 *
 * <p>Watched: a probe round at least every interval (500 ms); the unwatched time is every gap between consecutive
 * rounds (of any loop) beyond one interval. Two loops active: both between taking over and stopping.
 */
final class CoverageBench {
    static final Duration INTERVAL = Duration.ofMillis(500);
    static final Duration TODAY_TIMEOUT = Duration.ofSeconds(65);
    static final int MEMORY_MB = 1024;
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    record Options(int days, double lostFraction, int maxDelaySeconds, double busyFraction, int maxBusySeconds,
                   long seed, Duration callLatency) {
    }

    record Result(String setup, long invocations, long lost, double watchedFraction, double overlapFraction,
                  Duration longestGap, double gbSecondsPerMonth, long forcedTakeovers, double readsPerSecond,
                  double writesPerSecond) {
    }

    private final Options options;

    CoverageBench(Options options) {
        this.options = options;
    }

    private record Trigger(Instant start, boolean lost) {
    }

    private List<Trigger> triggers() {
        Random random = new Random(options.seed());
        List<Trigger> triggers = new ArrayList<>();
        for (long minute = 0; minute < options.days() * 1440L; minute++) {
            long fired = minute * 60_000 + random.nextInt(60_000);
            long delivered = fired + (long) (random.nextDouble() * options.maxDelaySeconds() * 1000);
            triggers.add(new Trigger(EPOCH.plusMillis(delivered), random.nextDouble() < options.lostFraction()));
        }
        triggers.sort(Comparator.comparing(Trigger::start));
        return triggers;
    }

    /** A loop's rounds: every interval from {@code firstRound} while it watched; empty when it never did. */
    private record Watched(Instant takeover, Instant stop, Instant firstRound, Instant lastRound) {
    }

    /** Today: every delivered trigger watches from its start for the timeout less the 3 s margin. */
    Result today() {
        List<Watched> watched = new ArrayList<>();
        long lost = 0;
        for (Trigger t : triggers()) {
            if (t.lost()) {
                lost++;
                continue;
            }
            Instant stop = t.start().plus(TODAY_TIMEOUT).minus(WatchLoop.SAFETY_MARGIN);
            watched.add(new Watched(t.start(), stop, t.start(), lastRound(t.start(), stop)));
        }
        double seconds = watched.stream().mapToLong(w -> Duration.between(w.takeover(), w.stop()).toMillis()).sum() / 1000.0;
        return summarize("today: no hand-off, timeout 65 s", watched, lost, seconds, 0, 0, 0);
    }

    private static Instant lastRound(Instant first, Instant stop) {
        long rounds = Duration.between(first, stop).toMillis() / INTERVAL.toMillis();
        return first.plus(INTERVAL.multipliedBy(rounds));
    }

    private final class Invocation {
        final WatcherTurn turn;
        final Instant start;
        final Instant deadline;
        Instant next;
        Instant takeover;
        Instant firstRound;
        Instant end;
        boolean done;

        Invocation(InMemoryWatcherStore store, int index, Instant start, Duration timeout) {
            this.start = start;
            this.deadline = start.plus(timeout).minus(WatchLoop.SAFETY_MARGIN);
            this.turn = new WatcherTurn(store, "env-" + (index % 7) + "/" + index, deadline, WatcherTurn.Settings.DEFAULT);
            this.next = start;
        }

        /** When the next round would be due, from the cadence kept since the first round. */
        Instant nextDue(Instant now) {
            if (now.isBefore(firstRound)) {
                return firstRound;
            }
            return lastRound(firstRound, now).plus(INTERVAL);
        }
    }

    /** With the hand-off and a function timeout of {@code timeout}. */
    Result handoff(Duration timeout) {
        InMemoryWatcherStore store = new InMemoryWatcherStore();
        Random random = new Random(options.seed() + 1);
        PriorityQueue<Invocation> queue = new PriorityQueue<>(Comparator.comparing((Invocation i) -> i.next));
        List<Watched> watched = new ArrayList<>();
        long lost = 0;
        long forced = 0;
        double billed = 0;
        int index = 0;
        List<Trigger> triggers = triggers();
        int nextTrigger = 0;
        while (nextTrigger < triggers.size() || !queue.isEmpty()) {
            boolean triggerFirst = queue.isEmpty() || (nextTrigger < triggers.size()
                    && !triggers.get(nextTrigger).start().isAfter(queue.peek().next));
            if (triggerFirst) {
                Trigger t = triggers.get(nextTrigger++);
                if (t.lost()) {
                    lost++;
                } else {
                    queue.add(new Invocation(store, index++, t.start(), timeout));
                }
                continue;
            }
            Invocation inv = queue.poll();
            Instant now = inv.next;
            if (inv.turn.watching() && !now.isBefore(inv.deadline)) {
                // The budget ends: counters written, the watch handed to a waiting successor or freed.
                Instant at = inv.deadline.plus(options.callLatency());
                inv.turn.finish(at, Map.of("g", inv.nextDue(inv.deadline)));
                end(inv, inv.deadline, at, watched);
                billed += Duration.between(inv.start, at).toMillis() / 1000.0;
                continue;
            }
            WatcherTurn.Step step = inv.turn.step(now);
            if (step instanceof WatcherTurn.HandOver) {
                Instant at = now.plus(options.callLatency().multipliedBy(2)); // counters, then the hand-off write
                step = inv.turn.handedOver(at, Map.of("g", inv.nextDue(now)));
                now = at;
            }
            switch (step) {
                case WatcherTurn.Wait wait -> {
                    inv.next = wait.at().isAfter(inv.deadline) ? inv.deadline : wait.at();
                    if (!inv.next.isAfter(now)) {
                        inv.next = now.plusMillis(1);
                    }
                    queue.add(inv);
                }
                case WatcherTurn.Watch watch -> {
                    if (inv.takeover == null) {
                        inv.takeover = now;
                        Instant handed = watch.handedRounds().get("g");
                        inv.firstRound = handed != null && handed.isAfter(now) ? handed : now;
                        if (inv.turn.tookOverWithoutHandOver()) {
                            forced++;
                        }
                    }
                    Instant check = watch.nextCheck();
                    if (random.nextDouble() < options.busyFraction()) {
                        // Busy in a long action: the next look at the watcher item comes late.
                        check = check.plusMillis(random.nextInt(options.maxBusySeconds() * 1000));
                    }
                    inv.next = check.isAfter(inv.deadline) ? inv.deadline : check;
                    queue.add(inv);
                }
                case WatcherTurn.Stop stop -> {
                    end(inv, now, now, watched);
                    billed += Duration.between(inv.start, now).toMillis() / 1000.0;
                }
                case WatcherTurn.HandOver again -> throw new IllegalStateException("hand-over twice");
            }
        }
        double simulatedSeconds = options.days() * 86_400.0;
        return summarize("hand-off, timeout " + timeout.toSeconds() + " s", watched, lost, billed, forced,
                store.reads / simulatedSeconds, store.writes / simulatedSeconds);
    }

    private void end(Invocation inv, Instant stoppedWatching, Instant ended, List<Watched> watched) {
        inv.done = true;
        inv.end = ended;
        if (inv.takeover != null && stoppedWatching.isAfter(inv.firstRound.minusMillis(1))) {
            watched.add(new Watched(inv.takeover, stoppedWatching, inv.firstRound, lastRound(inv.firstRound, stoppedWatching)));
        } else if (inv.takeover != null) {
            watched.add(new Watched(inv.takeover, stoppedWatching, stoppedWatching, null));
        }
    }

    private Result summarize(String setup, List<Watched> watched, long lost, double billedSeconds, long forced,
                             double reads, double writes) {
        // Measure from the end of the first hour to an hour before the end (no start-up or draining).
        Instant from = EPOCH.plus(Duration.ofHours(1));
        Instant to = EPOCH.plus(Duration.ofDays(options.days())).minus(Duration.ofHours(1));
        double window = Duration.between(from, to).toMillis();
        List<Watched> rounds = watched.stream().filter(w -> w.lastRound() != null)
                .sorted(Comparator.comparing(Watched::firstRound)).toList();
        long unwatched = 0;
        long longest = 0;
        Instant coveredUntil = from; // rounds keep watch until one interval after the last
        for (Watched w : rounds) {
            Instant first = w.firstRound().isBefore(from) ? from : w.firstRound();
            if (first.isAfter(to)) {
                break;
            }
            if (first.isAfter(coveredUntil)) {
                long gap = Duration.between(coveredUntil, first).toMillis();
                unwatched += gap;
                longest = Math.max(longest, gap);
            }
            Instant until = w.lastRound().plus(INTERVAL);
            if (until.isAfter(coveredUntil)) {
                coveredUntil = until;
            }
        }
        if (to.isAfter(coveredUntil)) {
            unwatched += Duration.between(coveredUntil, to).toMillis();
        }
        // Two loops active: sweep the [takeover, stop] intervals.
        List<long[]> edges = new ArrayList<>();
        for (Watched w : watched) {
            long a = Math.max(w.takeover().toEpochMilli(), from.toEpochMilli());
            long b = Math.min(w.stop().toEpochMilli(), to.toEpochMilli());
            if (b > a) {
                edges.add(new long[] {a, +1});
                edges.add(new long[] {b, -1});
            }
        }
        edges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        long overlap = 0;
        int active = 0;
        long last = 0;
        for (long[] e : edges) {
            if (active >= 2) {
                overlap += e[0] - last;
            }
            active += (int) e[1];
            last = e[0];
        }
        double months = options.days() / 30.0;
        double gbSecondsPerMonth = billedSeconds * MEMORY_MB / 1024.0 / months;
        return new Result(setup, options.days() * 1440L, lost, 1 - unwatched / window, overlap / window,
                Duration.ofMillis(longest), gbSecondsPerMonth, forced, reads, writes);
    }

    static String report(Options o, List<Result> results) {
        StringBuilder md = new StringBuilder();
        md.append(String.format("Simulated %s (`./bench coverage --days %d`): %d days of one trigger per minute at a "
                        + "random second of the minute, delivered after a random 0–%d s, %.1f %% of triggers lost, an owner "
                        + "busy for up to %d s (not answering a hand-off request) at %.1f %% of its checks, %d ms per "
                        + "DynamoDB call; one group probed every %d ms. Watched: a round at least every interval "
                        + "(gaps beyond one interval count as unwatched); two loops active: both between taking over "
                        + "and stopping. GB-s at %d MB, per 30-day month (billed duration of every invocation, waiting "
                        + "included). Seed %d.%n%n",
                Bench.today(), o.days(), o.days(), o.maxDelaySeconds(), o.lostFraction() * 100, o.maxBusySeconds(),
                o.busyFraction() * 100, o.callLatency().toMillis(), INTERVAL.toMillis(), MEMORY_MB, o.seed()));
        md.append("| setup | invocations | lost triggers | watched | two loops active | longest gap | GB-s / month "
                + "| taken over without hand-off | watcher item reads / s | writes / s |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append(String.format("| %s | %d | %d | %.4f %% | %.4f %% | %.1f s | %,.0f | %d | %.2f | %.3f |%n",
                    r.setup(), r.invocations(), r.lost(), r.watchedFraction() * 100, r.overlapFraction() * 100,
                    r.longestGap().toMillis() / 1000.0, r.gbSecondsPerMonth(), r.forcedTakeovers(),
                    r.readsPerSecond(), r.writesPerSecond()));
        }
        return md.toString();
    }
}
