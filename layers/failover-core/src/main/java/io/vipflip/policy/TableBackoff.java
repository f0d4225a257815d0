package io.vipflip.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * A route table whose writes fail: automation repairs it again only from {@code retryAt} (a flip still writes it).
 *
 * @param failures consecutive failed writes
 * @param since    when the first of them failed
 * @param error    EC2's answer to the last one
 */
public record TableBackoff(int failures, Instant since, Instant retryAt, String error) {
    /** The wait after the first failure; it doubles with each further failure. */
    public static final Duration FIRST_WAIT = Duration.ofSeconds(15);
    /** The longest wait: a table fixed by hand (an IAM policy, a quota) is repaired within this, or by a reconcile. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(15);

    /** The back-off after one more failed write at {@code now}. */
    public static TableBackoff after(java.util.Optional<TableBackoff> previous, Instant now, String error) {
        int failures = previous.map(TableBackoff::failures).orElse(0) + 1;
        return new TableBackoff(failures, previous.map(TableBackoff::since).orElse(now), now.plus(wait(failures)),
                error);
    }

    /** FIRST_WAIT × 2^(failures − 1), at most MAX_WAIT. */
    static Duration wait(int failures) {
        int doublings = Math.min(failures - 1, 20);
        Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    public boolean waitingAt(Instant now) {
        return now.isBefore(retryAt);
    }
}
