package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Trigger;
import io.vipflip.runtime.Engine;
import io.vipflip.testing.LocalDynamo;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two engines built from one init carry the same owner string (as two environments restored from one SnapStart
 * snapshot would without the afterRestore hook). They race on one failure: at most one holds the lease and the
 * tables are written once (issue 11). Slow EC2 calls make the two runs overlap.
 */
class SnapStartTwinsIT {

    @Test
    void twoEnginesFromOneInit_raceOnAFailure_andOnlyOneWrites() throws Exception {
        for (int trial = 0; trial < 3; trial++) {
            try (ReliabilityWorld world = new ReliabilityWorld(3, 1, 1);
                 ExecutorService pool = Executors.newFixedThreadPool(2)) {
                List<Engine> twins = List.of(twin(world), twin(world));
                world.kill("a");
                world.endpoint.faults().latency(Duration.ofMillis(200));
                world.endpoint.calls().clear();
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<RunResult>> runs = twins.stream().map(e -> pool.submit(() -> {
                    start.await();
                    return e.orchestrator().run("web", new Trigger.Scheduled());
                })).toList();
                long holders = 0;
                for (Future<RunResult> run : runs) {
                    Outcome outcome = run.get().outcome();
                    if (outcome != Outcome.LEASE_BUSY && outcome != Outcome.NO_CHANGE) {
                        holders++;
                    }
                }
                assertTrue(holders <= 1, "trial " + trial + ": " + holders + " runs acted under the lease");
                assertEquals(world.tables, world.endpoint.calls().writes(), "each table written once");
                assertTrue(world.allOn(ReliabilityWorld.ENI_B), world.routes().toString());
            }
        }
    }

    private static Engine twin(ReliabilityWorld world) {
        return Engine.create(world.config, world.table, world.ec2, LocalDynamo.client(), Clock.systemUTC(),
                "vipflip-HealthCheck:snapshotted-uuid");
    }
}
