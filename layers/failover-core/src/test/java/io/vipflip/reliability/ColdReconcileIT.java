package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Trigger;
import io.vipflip.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An operator's reconcile in a cold container (no health known yet, rise 2) must repair drift now, not answer
 * "waiting for the health of …" (issue 11, Wrong flips: a cold reconcile never repairs).
 */
class ColdReconcileIT {
    @Test
    void aColdReconcile_probesUntilHealthIsKnown_andRepairsTheDriftedTable() {
        try (ReliabilityWorld world = new ReliabilityWorld(2, 2, 2)) {
            String drifted = world.tableIds().get(1);
            world.endpoint.world().route(drifted, ReliabilityWorld.VIP, ReliabilityWorld.ENI_B);
            Orchestrator cold = world.orchestrator("manual", new MutableClock(Instant.parse("2026-11-25T10:00:00Z")));

            RunResult result = cold.run("web", new Trigger.Reconcile("operator: fix the drift"));

            assertEquals(Outcome.REPAIRED, result.outcome(), result.decision().toString());
            assertTrue(world.allOn(ReliabilityWorld.ENI_A), world.routes().toString());
        }
    }

    @Test
    void aColdScheduledRound_stillWaitsForRise_beforeRepairing() {
        try (ReliabilityWorld world = new ReliabilityWorld(2, 2, 2)) {
            String drifted = world.tableIds().get(1);
            world.endpoint.world().route(drifted, ReliabilityWorld.VIP, ReliabilityWorld.ENI_B);
            Orchestrator cold = world.orchestrator("watch", new MutableClock(Instant.parse("2026-11-25T10:00:00Z")));

            RunResult result = cold.run("web", new Trigger.Scheduled());

            assertEquals(Outcome.NO_CHANGE, result.outcome(), result.decision().toString());
            assertEquals(ReliabilityWorld.ENI_B, world.routes().get(drifted), "automation does not act on unknown health");
        }
    }
}
