package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.policy.Trigger;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Faults injected through the EC2 endpoint's control interface and by stopping DynamoDB Local, while the active
 * node dies. Each ends with the fault cleared and every table on the survivor within 2 rounds.
 */
class FaultsIT {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    private RunResult round(Orchestrator orchestrator) {
        clock.advance(Duration.ofMillis(500));
        return orchestrator.run("web", new Trigger.Scheduled());
    }

    /** Runs up to 2 rounds and says whether every table is on b afterwards. */
    private boolean convergesWithinTwoRounds(ReliabilityWorld world, Orchestrator orchestrator) {
        for (int i = 0; i < 2 && !world.allOn(ReliabilityWorld.ENI_B); i++) {
            round(orchestrator);
        }
        return world.allOn(ReliabilityWorld.ENI_B);
    }

    private void withActiveNodeDead(int tables, Consumer<ReliabilityWorld> faultAndRounds) {
        try (ReliabilityWorld world = new ReliabilityWorld(tables, 1, 1)) {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            round(orchestrator);
            world.kill("a");
            faultAndRounds.accept(world);
        }
    }

    @Test
    void halfOfAllCallsThrottled_theSdkRetries_andEveryTableFlips() {
        withActiveNodeDead(10, world -> {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            world.endpoint.faults().throttleFraction(0.5, 42);
            round(orchestrator);
            round(orchestrator);
            world.endpoint.faults().clear();
            assertTrue(world.endpoint.calls().all().stream().anyMatch(c -> c.error().equals("RequestLimitExceeded")));
            assertTrue(convergesWithinTwoRounds(world, orchestrator), world.routes().toString());
        });
    }

    @Test
    void serverErrors_areRetried_andTheFlipCompletes() {
        withActiveNodeDead(3, world -> {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            world.endpoint.faults().serverErrorsNext(3);
            round(orchestrator);
            world.endpoint.faults().clear();
            assertTrue(world.endpoint.calls().all().stream().anyMatch(c -> c.status() == 500));
            assertTrue(convergesWithinTwoRounds(world, orchestrator), world.routes().toString());
        });
    }

    @Test
    void twoSecondLatencySpikes_slowTheFlipButDoNotBreakIt() {
        withActiveNodeDead(3, world -> {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            world.endpoint.faults().latency(Duration.ofSeconds(2));
            RunResult slow = round(orchestrator);
            world.endpoint.faults().clear();
            assertEquals(Outcome.FLIPPED, slow.outcome(), slow.decision().reason());
            assertTrue(convergesWithinTwoRounds(world, orchestrator));
        });
    }

    @Test
    void oneTableFailingWritesForThreeRounds_isReportedEachRound_andRepairedOnceItHeals() {
        withActiveNodeDead(3, world -> {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            String broken = world.tableIds().get(1);
            world.endpoint.faults().failWritesTo(broken, -1);
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                outcomes.add(round(orchestrator).outcome());
            }
            assertEquals(List.of(Outcome.PARTIAL, Outcome.PARTIAL, Outcome.PARTIAL), outcomes);
            assertEquals(ReliabilityWorld.ENI_A, world.routes().get(broken));
            assertEquals(ReliabilityWorld.ENI_B, world.routes().get(world.tableIds().get(0)), "the others flipped");
            world.endpoint.faults().clear();
            assertTrue(convergesWithinTwoRounds(world, orchestrator), world.routes().toString());
        });
    }

    @Test
    void dynamoDbUnreachable_noFlipWithoutALease_aClearError_thenConvergence() {
        withActiveNodeDead(3, world -> {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            List<String> errors = new ArrayList<>();
            WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);
            LocalDynamo.server().stop();
            try {
                WatchLoop.Summary summary = loop.run(WatchLoop.SAFETY_MARGIN.plusMillis(1500), new WatchLoop.Listener() {
                    public void onRun(RunResult result) {
                    }

                    public void onError(String group, RuntimeException error) {
                        errors.add(group + ": " + error.getClass().getSimpleName());
                    }
                });
                assertTrue(summary.errors() >= 2, "each round failed cleanly: " + summary);
                assertEquals(0, world.endpoint.calls().writes(), "fail safe: no route write without a lease");
                assertTrue(world.allOn(ReliabilityWorld.ENI_A));
                assertTrue(errors.getFirst().startsWith("web: "), errors.toString());
            } finally {
                LocalDynamo.server().start();
            }
            assertTrue(convergesWithinTwoRounds(world, orchestrator), world.routes().toString());
        });
    }

    @Test
    void ec2Unreachable_roundsFailWithoutCrashing_thenConvergence() {
        try (ReliabilityWorld world = new ReliabilityWorld(3, 1, 1)) {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            round(orchestrator);
            world.kill("a");
            int port = world.endpoint.endpoint().getPort();
            world.endpoint.close();
            WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);
            WatchLoop.Summary summary = loop.run(WatchLoop.SAFETY_MARGIN.plusMillis(1500), r -> { });
            assertTrue(summary.errors() >= 2, summary.toString());

            try (Ec2Endpoint back = Ec2Endpoint.start(world.endpoint.world(), port)) {
                for (int i = 0; i < 2 && !world.allOn(ReliabilityWorld.ENI_B); i++) {
                    round(orchestrator);
                }
                assertTrue(world.allOn(ReliabilityWorld.ENI_B), world.routes().toString());
            }
        }
    }
}
