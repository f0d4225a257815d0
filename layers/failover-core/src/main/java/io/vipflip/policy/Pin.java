package io.vipflip.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * A manual failover's constraint: automation keeps the group on {@code node} (no failback) until the pin is
 * cleared by failback/unpin or expires, but still moves away from it when it fails.
 */
public record Pin(String node, String reason, Optional<Instant> expiresAt) {
    public boolean activeAt(Instant now) {
        return expiresAt.map(now::isBefore).orElse(true);
    }
}
