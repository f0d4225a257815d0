package io.vipflip.probe;

import java.time.Duration;
import java.util.List;

/** Probes every target in parallel; one round takes about one timeout however many targets there are. */
public interface Prober {
    ProbeRound probe(List<ProbeTarget> targets, Duration timeout);
}
