package io.vipflip.vantage;

import io.vipflip.probe.ProbeTarget;
import java.time.Duration;
import java.util.List;

/**
 * The observers in other Availability Zones (issue 14): asked at once, each answers with what it sees of the
 * targets. An observer that errors, is throttled or does not answer before the deadline is left out (no vote).
 */
public interface VantagePoints {
    /** How many observers there are. */
    int count();

    /**
     * Asks every observer to probe {@code targets} with {@code probeTimeout}; returns by {@code deadline} (measured
     * from the call) with the answers that arrived.
     */
    VantageVotes ask(List<ProbeTarget> targets, Duration probeTimeout, Duration deadline);

    /** No observers (a deployment without them): every quorum group then has too few votes to flip. */
    VantagePoints NONE = new VantagePoints() {
        @Override
        public int count() {
            return 0;
        }

        @Override
        public VantageVotes ask(List<ProbeTarget> targets, Duration probeTimeout, Duration deadline) {
            return new VantageVotes(0, List.of(), List.of("no observers are deployed"));
        }
    };
}
