package io.vipflip.orchestrator;

import io.vipflip.history.WatcherRecord;
import io.vipflip.history.WatcherStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One invocation's turn at watching (issue 13 §1): wait to be handed the watch, watch, hand it to the next
 * invocation. A step-by-step state machine over the watcher item, with no clock or sleep of its own, so the watch
 * loop and the coverage simulation drive the same code.
 *
 * <p>A new invocation asks to take over (it becomes the successor; the newest asker wins) and waits. The owner
 * reads the item every {@code checkEvery}; seeing a successor it hands over its rise/fall counters and the due
 * times of its next rounds, makes the successor the owner in one conditional write, and stops. The successor
 * starts at once, at the handed-over cadence: nobody probes twice and no round is skipped. An owner that does not
 * answer within {@code relieveWait} (frozen, dead, stuck in a long action) is taken over without a hand-over. A
 * successor with less than a relieve wait of its budget left is handed nothing (see {@link #worthHandingTo}). An
 * owner that is never relieved (a trigger lost or late) keeps watching until its own budget ends, which is longer
 * than the schedule's period.
 */
public final class WatcherTurn {
    /**
     * @param checkEvery     how often the owner reads the item (one strongly consistent GetItem)
     * @param pollEvery      how often a waiting successor reads it
     * @param relieveWait    how long a successor waits for the owner's hand-over before taking over without one
     * @param heartbeatEvery how often the owner writes its heartbeat
     * @param staleAfter     an owner not heard of for this long is gone: the item is free at once
     */
    public record Settings(Duration checkEvery, Duration pollEvery, Duration relieveWait, Duration heartbeatEvery,
                           Duration staleAfter) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));

        public Settings {
            if (relieveWait.compareTo(checkEvery.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("relieveWait must cover at least two of the owner's checks");
            }
            if (staleAfter.compareTo(heartbeatEvery.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("staleAfter must cover at least two heartbeats");
            }
        }
    }

    /** What the caller does next. */
    public sealed interface Step {
    }

    /** Not watching yet: call {@link #step} again at {@code at}. */
    public record Wait(Instant at) implements Step {
    }

    /**
     * Watching: probe, and call {@link #step} again at {@code nextCheck}. {@code handedRounds} are the previous
     * owner's due times, on the step that took over with a hand-over; empty otherwise.
     */
    public record Watch(Instant nextCheck, Map<String, Instant> handedRounds) implements Step {
        public Watch {
            handedRounds = Map.copyOf(handedRounds);
        }
    }

    /** A successor waits: write the counters, then call {@link #handedOver} with the next rounds' due times. */
    public record HandOver(String successor) implements Step {
    }

    /** This invocation does not (or no longer) watch. */
    public record Stop(String why) implements Step {
    }

    private enum Phase { WAITING, WATCHING, HANDING_OVER, DONE }

    private final WatcherStore store;
    private final String me;
    private final Instant until;
    private final Settings settings;
    private Phase phase = Phase.WAITING;
    private Instant askedAt;
    private long askedOnVersion;
    private Instant lastHeartbeat;
    private WatcherRecord handingOver;
    private boolean tookOverWithoutHandOver;

    public WatcherTurn(WatcherStore store, String me, Instant until, Settings settings) {
        this.store = store;
        this.me = me;
        this.until = until;
        this.settings = settings;
    }

    public String me() {
        return me;
    }

    /** True once this invocation took over from an owner that did not answer (the only way two loops overlap). */
    public boolean tookOverWithoutHandOver() {
        return tookOverWithoutHandOver;
    }

    public boolean watching() {
        return phase == Phase.WATCHING || phase == Phase.HANDING_OVER;
    }

    public Step step(Instant now) {
        return switch (phase) {
            case DONE -> new Stop("done");
            case WAITING -> waiting(now, store.read());
            case WATCHING, HANDING_OVER -> watchingStep(now, store.read());
        };
    }

    private Step waiting(Instant now, Optional<WatcherRecord> current) {
        if (current.isPresent() && current.get().owner().equals(me)) {
            WatcherRecord item = current.get();
            if (!now.isBefore(until)) {
                // Handed over too late to use. The item ends with our budget, so it is already free for the next.
                return stop("the budget ended as the watch was handed over");
            }
            phase = Phase.WATCHING;
            lastHeartbeat = item.heartbeatAt();
            return new Watch(now.plus(settings.checkEvery()), item.nextRounds());
        }
        if (!now.isBefore(until)) {
            return stop("the budget ended before the watch was handed over");
        }
        if (current.isEmpty() || current.get().freeAt(now, settings.staleAfter())) {
            return claim(current, now);
        }
        WatcherRecord item = current.get();
        Optional<String> successor = item.successor().map(WatcherRecord.Successor::owner);
        if (successor.filter(me::equals).isPresent()) {
            // askedAt is set: it is set before our ask is sent, and only our ask names us as the successor.
            if (!now.isBefore(askedAt.plus(settings.relieveWait()))) {
                Step claimed = claim(current, now);
                tookOverWithoutHandOver = claimed instanceof Watch;
                return claimed;
            }
            Instant poll = now.plus(settings.pollEvery());
            Instant giveUp = askedAt.plus(settings.relieveWait());
            return new Wait(poll.isBefore(giveUp) ? poll : giveUp);
        }
        if (askedAt != null && item.version() != askedOnVersion) {
            // Our ask may have landed (its call failed without an answer) and been displaced by a newer one, which
            // may even own the watch by now: asking again would take it from an invocation with more budget left.
            return stop("a newer invocation asked to take over");
        }
        // Set before the write: if the call fails without an answer, the ask may have landed. An item still at the
        // version we asked on says it did not (a landed ask bumps it): then we ask again.
        askedAt = now;
        askedOnVersion = item.version();
        if (store.write(item.version(), item.withSuccessor(new WatcherRecord.Successor(me, until, now)))) {
            return new Wait(now.plus(settings.pollEvery()));
        }
        askedAt = null; // refused: it did not land (the store recognises its own write on the SDK's retry)
        return new Wait(now); // changed under us: read again
    }

    private Step claim(Optional<WatcherRecord> current, Instant now) {
        long expected = current.map(WatcherRecord::version).orElse(0L);
        if (store.write(expected, WatcherRecord.claimed(current, me, until, now))) {
            phase = Phase.WATCHING;
            lastHeartbeat = now;
            return new Watch(now.plus(settings.checkEvery()), Map.of());
        }
        return new Wait(now);
    }

    private Step watchingStep(Instant now, Optional<WatcherRecord> current) {
        if (current.isEmpty() || !current.get().owner().equals(me)) {
            return stop("taken over by " + current.map(WatcherRecord::owner).orElse("nobody"));
        }
        WatcherRecord item = current.get();
        Optional<WatcherRecord.Successor> successor = item.successor().filter(s -> worthHandingTo(s, now));
        if (successor.isPresent()) {
            phase = Phase.HANDING_OVER;
            handingOver = item;
            return new HandOver(successor.get().owner());
        }
        phase = Phase.WATCHING;
        if (!now.isBefore(lastHeartbeat.plus(settings.heartbeatEvery()))) {
            if (store.write(item.version(), item.withHeartbeat(now))) {
                lastHeartbeat = now;
            } else {
                return new Watch(now, Map.of()); // changed under us (a successor asked): look again now
            }
        }
        return new Watch(now.plus(settings.checkEvery()), Map.of());
    }

    /**
     * After a {@link HandOver}: makes the successor the owner, with the due times of the next rounds. If the item
     * changed meanwhile (a newer successor asked), looks again.
     */
    public Step handedOver(Instant now, Map<String, Instant> nextRounds) {
        if (phase != Phase.HANDING_OVER) {
            throw new IllegalStateException("no hand-over pending");
        }
        WatcherRecord.Successor successor = handingOver.successor().orElseThrow();
        if (!worthHandingTo(successor, now)) {
            phase = Phase.WATCHING; // writing the counters took what the successor had left: watch on
            return step(now);
        }
        if (store.write(handingOver.version(), handingOver.handedTo(successor, now, nextRounds))) {
            return stop("handed over to " + successor.owner());
        }
        phase = Phase.WATCHING;
        return step(now);
    }

    /**
     * The budget ends: a waiting successor gets the watch with {@code nextRounds}; otherwise the item is freed, so
     * the next invocation claims it without waiting. The caller has written its counters before.
     */
    public void finish(Instant now, Map<String, Instant> nextRounds) {
        if (!watching()) {
            phase = Phase.DONE;
            return;
        }
        phase = Phase.DONE;
        // Twice: an ask that lands between our read and our write must get the watch now, not after its relieve wait.
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<WatcherRecord> current = store.read();
            if (current.isEmpty() || !current.get().owner().equals(me)) {
                return;
            }
            WatcherRecord item = current.get();
            if (store.write(item.version(), item.successor()
                    .filter(s -> worthHandingTo(s, now))
                    .map(s -> item.handedTo(s, now, nextRounds))
                    .orElseGet(() -> item.released(now)))) {
                return;
            }
        }
    }

    /**
     * A successor is handed the watch only with more than a relieve wait of its budget left: one whose budget ends
     * sooner would stop at its next poll, leaving the item to an owner that no longer watches. The margin also
     * covers the counters' writes before the hand-over and the clocks of two invocations.
     */
    private boolean worthHandingTo(WatcherRecord.Successor successor, Instant now) {
        return successor.watchingUntil().isAfter(now.plus(settings.relieveWait()));
    }

    private Step stop(String why) {
        phase = Phase.DONE;
        return new Stop(why);
    }
}
