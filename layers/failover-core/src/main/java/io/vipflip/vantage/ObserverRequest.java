package io.vipflip.vantage;

import io.vipflip.probe.ProbeTarget;
import java.time.Duration;
import java.util.List;

/** What a deciding run asks an observer: probe these targets, each port with this timeout. */
public record ObserverRequest(List<ProbeTarget> targets, Duration probeTimeout) {
    /** An observer probes at most this many nodes (50 groups of 5 in one batched ask) and ports per node. */
    public static final int MAX_NODES = 256;
    public static final int MAX_PORTS = 16;
    public static final int MAX_TIMEOUT_MILLIS = 10_000;

    public ObserverRequest {
        targets = List.copyOf(targets);
    }
}
