package io.vipflip.vantage;

import io.vipflip.probe.ProbeTarget;
import java.time.Duration;
import java.util.List;

/** What a deciding run asks an observer: probe these targets, each port with this timeout. */
public record ObserverRequest(List<ProbeTarget> targets, Duration probeTimeout) {
    /** An observer probes at most this many nodes and ports per node: a request beyond it is not vipflip's. */
    public static final int MAX_NODES = 32;
    public static final int MAX_PORTS = 16;
    public static final int MAX_TIMEOUT_MILLIS = 10_000;

    public ObserverRequest {
        targets = List.copyOf(targets);
    }
}
