package io.vipflip.simulation;

import io.vipflip.probe.NodeProbe;
import io.vipflip.probe.PortResult;
import io.vipflip.probe.ProbeRound;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.probe.Prober;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probes answer from the world's truth: an up node accepts every port, a down one refuses. Remembers what it last
 * answered for each node, so the invariants know what the process was told (e.g. by its confirmation probe).
 */
class SimProber implements Prober {
    private final SimWorld world;
    final Map<String, Boolean> lastAnswer = new ConcurrentHashMap<>();
    /** What the confirmation probe (the one taken under the lease) answered in the current run. */
    final Map<String, Boolean> confirmation = new ConcurrentHashMap<>();
    private final java.util.function.BooleanSupplier underLease;

    SimProber(SimWorld world, java.util.function.BooleanSupplier underLease) {
        this.world = world;
        this.underLease = underLease;
    }

    void newRun() {
        confirmation.clear();
    }

    @Override
    public ProbeRound probe(List<ProbeTarget> targets, Duration timeout) {
        Map<String, NodeProbe> nodes = new LinkedHashMap<>();
        for (ProbeTarget target : targets) {
            boolean up = world.isUp(target.node());
            lastAnswer.put(target.node(), up);
            if (underLease.getAsBoolean()) {
                confirmation.put(target.node(), up);
            }
            nodes.put(target.node(), new NodeProbe(target.node(), target.ports().stream()
                    .map(p -> up ? PortResult.open(p, Duration.ofMillis(1)) : PortResult.failed(p, Duration.ZERO, "refused"))
                    .toList()));
        }
        return new ProbeRound(nodes);
    }
}
