package io.vipflip.health;

import java.time.Instant;
import java.util.Optional;

/**
 * Rise/fall health of one node, with HAProxy's semantics: {@code fall} consecutive failed rounds take a node
 * DOWN, {@code rise} consecutive passed rounds take it UP; a node starts UNKNOWN.
 *
 * @param upSince    when the node last became UP (drives the failback delay)
 * @param observedAt when the last round was counted; counters older than a few intervals are stale
 */
public record NodeHealth(HealthState state, int passes, int failures, Optional<Instant> upSince,
                         Optional<Instant> observedAt) {

    public static NodeHealth unknown() {
        return new NodeHealth(HealthState.UNKNOWN, 0, 0, Optional.empty(), Optional.empty());
    }

    /** Counts one round's result and returns the new health; the state changes only at a rise/fall threshold. */
    public NodeHealth observe(boolean passed, int rise, int fall, Instant at) {
        int newPasses = passed ? passes + 1 : 0;
        int newFailures = passed ? 0 : failures + 1;
        HealthState next = state;
        if (passed && state != HealthState.UP && newPasses >= rise) {
            next = HealthState.UP;
        } else if (!passed && state != HealthState.DOWN && newFailures >= fall) {
            next = HealthState.DOWN;
        }
        Optional<Instant> since = next == HealthState.UP ? (state == HealthState.UP ? upSince : Optional.of(at))
                : Optional.empty();
        return new NodeHealth(next, newPasses, newFailures, since, Optional.of(at));
    }

    /** Authoritative DOWN, e.g. the instance was stopped: no probe needed. */
    public NodeHealth forceDown(Instant at) {
        return new NodeHealth(HealthState.DOWN, 0, Math.max(failures, 1), Optional.empty(), Optional.of(at));
    }

    public boolean isUp() {
        return state == HealthState.UP;
    }

    public boolean isDown() {
        return state == HealthState.DOWN;
    }
}
