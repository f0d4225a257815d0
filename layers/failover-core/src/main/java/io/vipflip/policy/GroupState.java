package io.vipflip.policy;

import io.vipflip.health.GroupHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What vipflip remembers about a group between runs (the DynamoDB state item). Who is active is NOT here:
 * the route tables are the source of truth for that.
 *
 * @param recentFlips times of the flips of the last hour (damping)
 * @param lastToken   the fencing token of the last write
 * @param lastOutcome the kind of the last recorded refusal, so a repeated refusal is not recorded every round
 * @param health      rise/fall counters handed over between invocations (stale ones are ignored by the reader)
 */
public record GroupState(boolean paused, Optional<String> pauseReason, Optional<Pin> pin, List<Instant> recentFlips,
                         long lastToken, Optional<String> lastOutcome, Optional<GroupHealth> health) {
    public GroupState {
        recentFlips = List.copyOf(recentFlips);
    }

    public static GroupState initial() {
        return new GroupState(false, Optional.empty(), Optional.empty(), List.of(), 0, Optional.empty(),
                Optional.empty());
    }

    public Optional<Instant> lastFlip() {
        return recentFlips.stream().max(Instant::compareTo);
    }

    public long flipsSince(Instant since) {
        return recentFlips.stream().filter(t -> t.isAfter(since)).count();
    }

    public GroupState withFlip(Instant at, long token) {
        List<Instant> flips = Stream.concat(recentFlips.stream(), Stream.of(at))
                .filter(t -> t.isAfter(at.minus(Duration.ofHours(1)))).toList();
        return new GroupState(paused, pauseReason, pin, flips, token, Optional.empty(), health);
    }

    public GroupState withToken(long token) {
        return new GroupState(paused, pauseReason, pin, recentFlips, token, lastOutcome, health);
    }

    public GroupState withPaused(boolean isPaused, Optional<String> reason) {
        return new GroupState(isPaused, reason, pin, recentFlips, lastToken, lastOutcome, health);
    }

    public GroupState withPin(Optional<Pin> newPin) {
        return new GroupState(paused, pauseReason, newPin, recentFlips, lastToken, lastOutcome, health);
    }

    public GroupState withLastOutcome(Optional<String> outcome) {
        return new GroupState(paused, pauseReason, pin, recentFlips, lastToken, outcome, health);
    }

    public GroupState withHealth(GroupHealth newHealth) {
        return new GroupState(paused, pauseReason, pin, recentFlips, lastToken, lastOutcome, Optional.of(newHealth));
    }
}
