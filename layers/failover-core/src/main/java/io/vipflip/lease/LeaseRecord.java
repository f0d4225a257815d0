package io.vipflip.lease;

import java.time.Instant;
import java.util.Optional;

/** The lease item as stored: who holds it (if anyone) until when, and the last token handed out. */
public record LeaseRecord(String group, Optional<String> owner, Instant expiresAt, long token) {
}
