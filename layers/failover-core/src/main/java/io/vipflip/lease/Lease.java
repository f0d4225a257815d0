package io.vipflip.lease;

import java.time.Instant;

/**
 * A held lease on a group. The fencing {@code token} grows by one on every acquisition; every write made under
 * the lease is conditioned on it, so a holder that lost the lease cannot record anything. Route writes end before
 * {@code expiresAt} less the skew margin and settle time ({@link io.vipflip.config.TimingBudget#writeDeadline}).
 */
public record Lease(String group, String owner, long token, Instant expiresAt) {
}
