package io.vipflip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.health.GroupHealth;
import io.vipflip.health.HealthState;
import io.vipflip.health.NodeHealth;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Decision;
import io.vipflip.route.RouteStatus;
import io.vipflip.route.VipRoute;
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

    private static RunResult bothDown(String group, List<VipRoute> routes) {
        GroupHealth health = new GroupHealth(Map.of(
                "a", new NodeHealth(HealthState.DOWN, 0, 3, Optional.empty(), Optional.of(Instant.EPOCH)),
                "b", new NodeHealth(HealthState.DOWN, 0, 3, Optional.empty(), Optional.of(Instant.EPOCH))));
        return new RunResult(group, "schedule", new Decision.NoOp("x"), Outcome.NO_HEALTHY_NODE, 0, routes, routes,
                List.of(), Optional.empty(), health, List.of(), Map.of(), Map.of());
    }

    private static boolean beats(RunReporter reporter) {
        return reporter.metrics().stream().anyMatch(p -> p.name().equals("Heartbeat"));
    }

    @Test
    void noHeartbeat_whenEveryRoundFailed() {
        RunReporter reporter = new RunReporter(true);
        reporter.onError("web", new IllegalStateException("AccessDeniedException"));
        reporter.onError("web", new IllegalStateException("AccessDeniedException"));

        assertFalse(beats(reporter), "an error that repeats every round must let the heartbeat alarm fire");
        assertEquals(2, value(reporter.metrics(), "Error", Map.of()), "the deployment-wide total the alarm watches");
    }

    @Test
    void noHeartbeat_whenOneGroupFailedAllItsRounds_evenIfAnotherGroupWasWatched() {
        RunReporter reporter = new RunReporter(true);
        reporter.onRun(run(Outcome.NO_CHANGE, HealthState.UP));
        reporter.onError("api", new IllegalStateException("table not readable"));

        assertFalse(beats(reporter), "group api was never observed in this invocation");
    }

    @Test
    void heartbeat_whenAFailedGroupAlsoCompletedARound() {
        RunReporter reporter = new RunReporter(true);
        reporter.onError("web", new IllegalStateException("throttled once"));
        reporter.onRun(run(Outcome.NO_CHANGE, HealthState.UP));

        assertTrue(beats(reporter));
    }

    @Test
    void aWatcherItemError_isCountedApart_andNeitherWithholdsTheHeartbeatNorCountsAsAGroupError() {
        RunReporter reporter = new RunReporter(true);
        reporter.onError(io.vipflip.orchestrator.WatchLoop.WATCHER, new IllegalStateException("write outcome unknown"));
        reporter.onError(io.vipflip.orchestrator.WatchLoop.WATCHER, new IllegalStateException("throttled"));
        reporter.onRun(run(Outcome.NO_CHANGE, HealthState.UP));

        List<MetricPoint> points = reporter.metrics();

        assertTrue(beats(reporter), "the loop watched on");
        assertEquals(2, value(points, "WatcherErrors", Map.of()));
        assertEquals(0, value(points, "Error", Map.of()), "the alarmed total counts group rounds only");
        assertTrue(points.stream().noneMatch(p -> p.dimensions().containsValue(io.vipflip.orchestrator.WatchLoop.WATCHER)),
                "no metric for a group named (watcher)");
    }

    @Test
    void noHeartbeat_whenNothingRan() {
        assertFalse(beats(new RunReporter(true)));
    }

    @Test
    void alarmedCounters_areAlsoWrittenAsDeploymentWideTotals() {
        RunReporter reporter = new RunReporter(true);
        reporter.onRun(run(Outcome.FLIPPED, HealthState.DOWN));
        reporter.onRun(bothDown("api", List.of(VipRoute.toEni("rtb-1", "192.168.100.20/32", RouteStatus.ACTIVE, "eni-1"))));

        List<MetricPoint> points = reporter.metrics();

        assertEquals(1, value(points, "Failover", Map.of()));
        assertEquals(1, value(points, "NoHealthyNode", Map.of()));
        assertEquals(1, value(points, "NoHealthyNode", Map.of("Group", "api")));
        assertEquals(0, value(points, "NoHealthyNode", Map.of("Group", "web")));
    }

    @Test
    void aGroupWhoseNodesAreAllDown_andWhoseVipWasNeverRouted_saysNoNodeEverAnswered() {
        RunReporter reporter = new RunReporter(true);
        List<VipRoute> neverPlaced = List.of(VipRoute.missing("rtb-1", "192.168.100.10/32"),
                VipRoute.missing("rtb-2", "192.168.100.10/32"));
        reporter.onRun(bothDown("web", neverPlaced));
        reporter.onRun(bothDown("web", neverPlaced));

        List<MetricPoint> points = reporter.metrics();

        assertEquals(1, value(points, "NoNodeEverAnswered", Map.of("Group", "web")), "once per invocation");
        assertEquals(1, value(points, "NoNodeEverAnswered", Map.of()));
    }

    @Test
    void aGroupThatLostItsNodes_afterTheVipWasRouted_isAnOutageNotANeverAnsweredGroup() {
        RunReporter reporter = new RunReporter(true);
        reporter.onRun(bothDown("web", List.of(VipRoute.missing("rtb-1", "192.168.100.10/32"),
                VipRoute.toEni("rtb-2", "192.168.100.10/32", RouteStatus.ACTIVE, "eni-0aaaaaaaaaaaaaaa1"))));

        assertEquals(0, value(reporter.metrics(), "NoNodeEverAnswered", Map.of("Group", "web")));
    }

    @Test
    void tablesInRepairBackoff_isTheMostOfTheInvocationPerGroup() {
        RunReporter reporter = new RunReporter(true);
        RunResult quiet = run(Outcome.NO_CHANGE, HealthState.UP);
        io.vipflip.policy.TableBackoff refused = new io.vipflip.policy.TableBackoff(2, Instant.EPOCH,
                Instant.EPOCH.plusSeconds(30), "UnauthorizedOperation");
        reporter.onRun(new RunResult(quiet.group(), quiet.trigger(), quiet.decision(), Outcome.PARTIAL, 3,
                List.of(), List.of(), List.of(), Optional.empty(), quiet.health(), List.of(), Map.of(), Map.of(),
                Map.of("rtb-1", refused, "rtb-2", refused)));
        reporter.onRun(quiet);

        assertEquals(2, value(reporter.metrics(), "TablesInRepairBackoff", Map.of("Group", "web")));
    }
}
