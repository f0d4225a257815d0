package io.vipflip.policy;

import io.vipflip.health.GroupHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What vipflip remembers about a group between runs (the DynamoDB state item). Who is active is NOT here:
 * the route tables are the source of truth for that. Only {@link FailoverPolicy} computes the next state.
 *
 * @param recentFlips  times of the automatic flips of the last hour (damping)
 * @param lastToken    the fencing token of the last write
 * @param lastRefusal  the kind of the last recorded refusal, so a repeated refusal is not recorded every round
 * @param health       rise/fall counters handed over between invocations (stale ones are ignored by the reader)
 * @param backoff      route tables whose writes failed, by table id: not repaired again before their retry time
 */
public record GroupState(boolean paused, Optional<String> pauseReason, Optional<Pin> pin, List<Instant> recentFlips,
                         long lastToken, Optional<DecisionKind> lastRefusal, Optional<GroupHealth> health,
                         Map<String, TableBackoff> backoff) {
    public GroupState {
        recentFlips = List.copyOf(recentFlips);
        backoff = java.util.Collections.unmodifiableMap(new TreeMap<>(backoff));
    }

    public static GroupState initial() {
        return new GroupState(false, Optional.empty(), Optional.empty(), List.of(), 0, Optional.empty(),
                Optional.empty(), Map.of());
    }

    public Optional<Instant> lastFlip() {
        return recentFlips.stream().max(Instant::compareTo);
    }

    public long flipsSince(Instant since) {
        return recentFlips.stream().filter(t -> t.isAfter(since)).count();
    }

    /** Counts an automatic flip at {@code at} for damping; flips older than an hour are forgotten. */
    public GroupState withFlip(Instant at, long token) {
        List<Instant> flips = Stream.concat(recentFlips.stream(), Stream.of(at))
                .filter(t -> t.isAfter(at.minus(Duration.ofHours(1)))).toList();
        return new GroupState(paused, pauseReason, pin, flips, token, lastRefusal, health, backoff);
    }

    public GroupState withToken(long token) {
        return new GroupState(paused, pauseReason, pin, recentFlips, token, lastRefusal, health, backoff);
    }

    public GroupState withPaused(boolean isPaused, Optional<String> reason) {
        return new GroupState(isPaused, reason, pin, recentFlips, lastToken, lastRefusal, health, backoff);
    }

    public GroupState withPin(Optional<Pin> newPin) {
        return new GroupState(paused, pauseReason, newPin, recentFlips, lastToken, lastRefusal, health, backoff);
    }

    public GroupState withLastRefusal(Optional<DecisionKind> refusal) {
        return new GroupState(paused, pauseReason, pin, recentFlips, lastToken, refusal, health, backoff);
    }

    public GroupState withHealth(GroupHealth newHealth) {
        return new GroupState(paused, pauseReason, pin, recentFlips, lastToken, lastRefusal, Optional.of(newHealth),
                backoff);
    }

    public GroupState withBackoff(Map<String, TableBackoff> tables) {
        return new GroupState(paused, pauseReason, pin, recentFlips, lastToken, lastRefusal, health, tables);
    }
}
