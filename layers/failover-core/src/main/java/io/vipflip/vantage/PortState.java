package io.vipflip.vantage;

import io.vipflip.probe.PortResult;
import java.time.Duration;

/** What one vantage point saw of one port: it accepted, it refused or failed, or it did not answer in time. */
public enum PortState {
    UP,
    DOWN,
    TIMEOUT;

    /** A failure that lasted the whole probe timeout is a silence (a lost node, a partition), not a refusal. */
    public static PortState of(PortResult result, Duration timeout) {
        if (result.open()) {
            return UP;
        }
        return result.latency().compareTo(timeout) >= 0 ? TIMEOUT : DOWN;
    }
}
