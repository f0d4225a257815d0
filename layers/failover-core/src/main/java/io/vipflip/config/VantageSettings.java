package io.vipflip.config;

import java.time.Duration;

/**
 * Whose eyes an automatic flip away from the active node needs (issue 14). {@link Mode#LOCAL}: the deciding run's
 * probes alone. {@link Mode#QUORUM}: also the AZ observers', asked under the lease; those that have not answered
 * by {@code deadline} have no vote.
 */
public record VantageSettings(Mode mode, Duration deadline) {
    /** Extra time over the probe timeout for a warm observer's invoke round trip (docs/decisions.md). */
    public static final int DEFAULT_EXTRA_MILLIS = 200;

    public enum Mode {
        LOCAL,
        QUORUM
    }

    public static VantageSettings local(Duration probeTimeout) {
        return new VantageSettings(Mode.LOCAL, probeTimeout.plusMillis(DEFAULT_EXTRA_MILLIS));
    }

    public boolean quorum() {
        return mode == Mode.QUORUM;
    }
}
