package io.vipflip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.health.GroupHealth;
import io.vipflip.health.HealthState;
import io.vipflip.health.NodeHealth;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Decision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunReporterTest {
    private static RunResult run(Outcome outcome, HealthState a) {
        GroupHealth health = new GroupHealth(Map.of(
                "a", new NodeHealth(a, 0, 0, Optional.empty(), Optional.of(Instant.EPOCH)),
                "b", new NodeHealth(HealthState.UP, 1, 0, Optional.of(Instant.EPOCH), Optional.of(Instant.EPOCH))));
        return new RunResult("web", "schedule", new Decision.NoOp("x"), outcome, 0, List.of(), List.of(), List.of(),
                Optional.empty(), health, List.of(), Map.of("total", 120L), Map.of("a", 300L, "b", 2L));
    }

    private static double value(List<MetricPoint> points, String name, Map<String, String> dims) {
        return points.stream().filter(p -> p.name().equals(name) && p.dimensions().equals(dims))
                .mapToDouble(MetricPoint::value).findFirst().orElse(Double.NaN);
    }

    @Test
    void talliesAnInvocationIntoOneSetOfFigures() {
        RunReporter reporter = new RunReporter(true);
        reporter.onRun(run(Outcome.NO_CHANGE, HealthState.UP));
        reporter.onRun(run(Outcome.NO_CHANGE, HealthState.DOWN));
        reporter.onRun(run(Outcome.FLIPPED, HealthState.DOWN));
        reporter.onRun(run(Outcome.LEASE_BUSY, HealthState.DOWN));
        reporter.onError("web", new IllegalStateException("DynamoDB unreachable"));

        List<MetricPoint> points = reporter.metrics();

        assertEquals(1, value(points, "Heartbeat", Map.of()));
        assertEquals(4, value(points, "Rounds", Map.of("Group", "web")));
        assertEquals(1, value(points, "Failover", Map.of("Group", "web")));
        assertEquals(1, value(points, "LeaseContention", Map.of("Group", "web")));
        assertEquals(1, value(points, "Error", Map.of("Group", "web")));
        assertEquals(0, value(points, "NodeHealthy", Map.of("Group", "web", "Node", "a")), "DOWN at some round");
        assertEquals(1, value(points, "NodeHealthy", Map.of("Group", "web", "Node", "b")));
        assertEquals(120, value(points, "FlipDuration", Map.of("Group", "web")));
        assertEquals(300, value(points, "ProbeLatency", Map.of("Group", "web", "Node", "a")), "the worst round");
        assertEquals(2, value(points, "ProbeLatency", Map.of("Group", "web", "Node", "b")));
    }

    @Test
    void onlyTheScheduledFunctionBeats() {
        RunReporter manual = new RunReporter(false);
        manual.onRun(run(Outcome.NO_CHANGE, HealthState.UP));

        assertTrue(manual.metrics().stream().noneMatch(p -> p.name().equals("Heartbeat")));
    }
}
