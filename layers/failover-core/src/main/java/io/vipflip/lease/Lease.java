package io.vipflip.lease;

import java.time.Duration;
import java.time.Instant;

/**
 * A held lease on a group. The fencing {@code token} grows by one on every acquisition; every write made under
 * the lease is conditioned on it, so a holder that lost the lease cannot record anything.
 */
public record Lease(String group, String owner, long token, Instant expiresAt) {
    /** How much clock skew between two runs the lease tolerates: no route write with less than this left. */
    public static final Duration SKEW_MARGIN = Duration.ofSeconds(2);

    /** True while the lease has more than {@code margin} left on our clock (the margin absorbs clock skew). */
    public boolean validAt(Instant now, Duration margin) {
        return now.plus(margin).isBefore(expiresAt);
    }
}
