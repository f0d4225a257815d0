package io.vipflip.history;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Who runs the watch loop now (issue 13 §1): one item for the deployment. Every change is a conditional write on
 * {@code version}, so two invocations never both believe they took it over.
 *
 * @param owner          the invocation that probes now ({@code environment/random}: unique per invocation, so
 *                       SnapStart twins and successive invocations of one environment are told apart)
 * @param version        bumped by every write
 * @param watchingUntil  when the owner's own budget ends: after it the item is free
 * @param heartbeatAt    the owner's last sign of life: a heartbeat older than the stale limit frees the item
 * @param successor      a newer invocation that asked to take over, with its own budget's end and when it asked
 * @param nextRounds     handed over by the previous owner: when each group's next round is due, so the new owner
 *                       keeps the cadence (the rise/fall counters go to each group's state item)
 */
public record WatcherRecord(String owner, long version, Instant watchingUntil, Instant heartbeatAt,
                            Optional<Successor> successor, Map<String, Instant> nextRounds) {
    public WatcherRecord {
        nextRounds = Map.copyOf(nextRounds);
    }

    /** An invocation waiting to take over. */
    public record Successor(String owner, Instant watchingUntil, Instant askedAt) {
    }

    /** Free to claim at {@code now}: the owner's budget ended, or it has not been heard of for {@code staleAfter}. */
    public boolean freeAt(Instant now, java.time.Duration staleAfter) {
        return !watchingUntil.isAfter(now) || !heartbeatAt.plus(staleAfter).isAfter(now);
    }

    public WatcherRecord withSuccessor(Successor next) {
        return new WatcherRecord(owner, version + 1, watchingUntil, heartbeatAt, Optional.of(next), Map.of());
    }

    public WatcherRecord withHeartbeat(Instant now) {
        return new WatcherRecord(owner, version + 1, watchingUntil, now, successor, Map.of());
    }

    public WatcherRecord released(Instant now) {
        return new WatcherRecord(owner, version + 1, now, heartbeatAt, successor, Map.of());
    }

    /** The successor owns it from {@code now}, with the rounds the previous owner had scheduled. */
    public WatcherRecord handedTo(Successor next, Instant now, Map<String, Instant> rounds) {
        return new WatcherRecord(next.owner(), version + 1, next.watchingUntil(), now, Optional.empty(), rounds);
    }

    /** {@code owner} claims it (free, or its owner did not answer): nothing is handed over. */
    public static WatcherRecord claimed(Optional<WatcherRecord> previous, String owner, Instant until, Instant now) {
        long version = previous.map(WatcherRecord::version).orElse(0L) + 1;
        return new WatcherRecord(owner, version, until, now, Optional.empty(), Map.of());
    }
}
