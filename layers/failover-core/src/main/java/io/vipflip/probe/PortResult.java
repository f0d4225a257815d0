package io.vipflip.probe;

import java.time.Duration;
import java.util.Optional;

/** One TCP connect attempt: accepted or not, how long it took, and why it failed. */
public record PortResult(int port, boolean open, Duration latency, Optional<String> failure) {
    public static PortResult open(int port, Duration latency) {
        return new PortResult(port, true, latency, Optional.empty());
    }

    public static PortResult failed(int port, Duration latency, String why) {
        return new PortResult(port, false, latency, Optional.of(why));
    }
}
