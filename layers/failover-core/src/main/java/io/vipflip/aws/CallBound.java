package io.vipflip.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * A per-request apiCallTimeout (all attempts and backoff) that ends a call by a deadline: the client's own
 * {@link io.vipflip.config.TimingBudget#API_CALL_TIMEOUT} when that comes first.
 */
public final class CallBound {
    /** Less than this left: the call is not worth starting (one round trip). */
    public static final Duration MIN_CALL = Duration.ofMillis(100);

    private CallBound() {
    }

    /** The bound for a call starting now; empty when less than {@link #MIN_CALL} is left before {@code deadline}. */
    public static Optional<AwsRequestOverrideConfiguration> until(Instant deadline, Instant now) {
        return timeout(deadline, now).map(t -> AwsRequestOverrideConfiguration.builder().apiCallTimeout(t).build());
    }

    /** The time a call starting now may take; empty when less than {@link #MIN_CALL} is left. */
    public static Optional<Duration> timeout(Instant deadline, Instant now) {
        Duration limit = io.vipflip.config.TimingBudget.API_CALL_TIMEOUT;
        if (deadline.isAfter(now.plus(limit))) {
            return Optional.of(limit);
        }
        Duration left = Duration.between(now, deadline);
        return left.compareTo(MIN_CALL) < 0 ? Optional.empty() : Optional.of(left);
    }

    /**
     * As {@link #until}, throwing when no time is left: for calls whose result is needed. The exception is the one the
     * SDK throws when the bound cuts a call short, so a caller handles "not sent" and "cut short" alike.
     */
    public static AwsRequestOverrideConfiguration required(Instant deadline, Instant now, String what) {
        return until(deadline, now).orElseThrow(() -> ApiCallTimeoutException.create("no time left before " + deadline
                + " to " + what, null));
    }
}
