package io.vipflip.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One lease per group; whoever holds it is the only one allowed to change the group's routes and state. */
public interface LeaseStore {

    /** Takes the lease when it is free or expired at {@code now}; empty while anyone holds it, the caller included. */
    Optional<Lease> acquire(String group, String owner, Instant now, Duration duration);

    /** True when the stored lease is still exactly this one (owner and token) and unexpired at {@code now}. */
    boolean stillHeld(Lease lease, Instant now);

    /** Gives the lease up early; false when it was no longer ours (taken over after expiry). */
    boolean release(Lease lease);

    /**
     * As {@link #release(Lease)}, the call ending by {@code deadline}; not sent when no time is left (the lease then
     * expires on its own). False when not released.
     */
    default boolean release(Lease lease, Instant now, Instant deadline) {
        return release(lease);
    }

    Optional<LeaseRecord> read(String group);
}
