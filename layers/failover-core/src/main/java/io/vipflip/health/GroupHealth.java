package io.vipflip.health;

import io.vipflip.probe.ProbeRound;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The health of every node of a group: an immutable value advanced one probe round at a time. */
public record GroupHealth(Map<String, NodeHealth> nodes) {
    public GroupHealth {
        nodes = Map.copyOf(nodes);
    }

    public static GroupHealth unknown(Collection<String> nodeNames) {
        Map<String, NodeHealth> nodes = new LinkedHashMap<>();
        nodeNames.forEach(n -> nodes.put(n, NodeHealth.unknown()));
        return new GroupHealth(nodes);
    }

    public NodeHealth of(String node) {
        return nodes.getOrDefault(node, NodeHealth.unknown());
    }

    /** The new health and the transitions one round caused. A node missing from the round counts as failed. */
    public Update observe(ProbeRound round, int rise, int fall, Instant at) {
        Map<String, NodeHealth> next = new LinkedHashMap<>();
        List<HealthTransition> transitions = new ArrayList<>();
        nodes.forEach((name, health) -> {
            boolean passed = round.passed(name);
            NodeHealth after = health.observe(passed, rise, fall, at);
            next.put(name, after);
            if (after.state() != health.state()) {
                String why = passed ? after.passes() + " consecutive passed rounds (rise " + rise + ")"
                        : after.failures() + " consecutive failed rounds (fall " + fall + "): "
                        + (round.nodes().containsKey(name) ? round.nodes().get(name).summary() : "not probed");
                transitions.add(new HealthTransition(name, health.state(), after.state(), at, why));
            }
        });
        return new Update(new GroupHealth(next), transitions);
    }

    /** Marks a node DOWN without probing it (its instance is stopping or gone). */
    public Update forceDown(String node, Instant at, String why) {
        NodeHealth before = of(node);
        Map<String, NodeHealth> next = new LinkedHashMap<>(nodes);
        next.put(node, before.forceDown(at));
        List<HealthTransition> transitions = before.isDown() ? List.of()
                : List.of(new HealthTransition(node, before.state(), HealthState.DOWN, at, why));
        return new Update(new GroupHealth(next), transitions);
    }

    /** These nodes, with the counters {@code earlier} holds for them (nodes only it knows are left out). */
    public GroupHealth withCountersOf(GroupHealth earlier) {
        Map<String, NodeHealth> next = new LinkedHashMap<>(nodes);
        earlier.nodes().forEach((name, h) -> next.computeIfPresent(name, (n, old) -> h));
        return new GroupHealth(next);
    }

    /** Per node, whichever of this and {@code other} was observed last. */
    public GroupHealth newestPerNode(GroupHealth other) {
        Map<String, NodeHealth> next = new LinkedHashMap<>(nodes);
        other.nodes().forEach((name, h) -> next.merge(name, h, (mine, theirs) ->
                theirs.observedAt().orElse(Instant.MIN).isAfter(mine.observedAt().orElse(Instant.MIN)) ? theirs : mine));
        return new GroupHealth(next);
    }

    /** Drops counters not refreshed within {@code maxAge}: after a gap, old evidence says nothing about now. */
    public GroupHealth withoutStale(Instant now, Duration maxAge) {
        Map<String, NodeHealth> next = new LinkedHashMap<>();
        nodes.forEach((name, health) -> next.put(name, health.observedAt()
                .filter(at -> !at.plus(maxAge).isBefore(now)).isPresent() ? health : NodeHealth.unknown()));
        return new GroupHealth(next);
    }

    public record Update(GroupHealth health, List<HealthTransition> transitions) {
        public Update {
            transitions = List.copyOf(transitions);
        }
    }
}
