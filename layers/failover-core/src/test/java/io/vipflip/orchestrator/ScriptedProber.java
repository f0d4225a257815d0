package io.vipflip.orchestrator;

import io.vipflip.probe.NodeProbe;
import io.vipflip.probe.PortResult;
import io.vipflip.probe.ProbeRound;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.probe.Prober;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers each node as the test says (up or refused, with a latency), takes a set time on the test's clock per
 * round, and remembers which nodes every round probed: what a run probes, and when, is what the tests judge.
 */
final class ScriptedProber implements Prober {
    private final MutableClock clock;
    private final Map<String, Boolean> down = new ConcurrentHashMap<>();
    private final Map<String, Duration> latency = new ConcurrentHashMap<>();
    private final List<List<String>> rounds = new CopyOnWriteArrayList<>();
    private volatile Duration roundTakes = Duration.ZERO;

    ScriptedProber(MutableClock clock) {
        this.clock = clock;
    }

    ScriptedProber down(String node) {
        down.put(node, true);
        return this;
    }

    ScriptedProber up(String node) {
        down.remove(node);
        return this;
    }

    ScriptedProber latency(String node, Duration took) {
        latency.put(node, took);
        return this;
    }

    ScriptedProber roundTakes(Duration took) {
        roundTakes = took;
        return this;
    }

    /** The nodes of every round so far, in order. */
    List<List<String>> rounds() {
        return List.copyOf(rounds);
    }

    void forget() {
        rounds.clear();
    }

    @Override
    public ProbeRound probe(List<ProbeTarget> targets, Duration timeout) {
        rounds.add(targets.stream().map(ProbeTarget::node).toList());
        clock.advance(roundTakes);
        Map<String, NodeProbe> nodes = new LinkedHashMap<>();
        for (ProbeTarget target : targets) {
            Duration took = latency.getOrDefault(target.node(), Duration.ofMillis(1));
            boolean refused = down.containsKey(target.node());
            nodes.put(target.node(), new NodeProbe(target.node(), target.ports().stream()
                    .map(p -> refused ? PortResult.failed(p, took, "refused") : PortResult.open(p, took))
                    .toList()));
        }
        return new ProbeRound(nodes);
    }
}
