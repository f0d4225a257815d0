package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Trigger;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A manual failover whose write to one table failed leaves the group split between the old node (a, the
 * higher priority) and the operator's target (b). Automation must complete the move toward the pin, not
 * "repair" the written tables back to a (issue 11, Wrong flips).
 */
class PinnedFailoverIT {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    private RunResult round(Orchestrator orchestrator, Trigger trigger) {
        clock.advance(Duration.ofMillis(500));
        return orchestrator.run("web", trigger);
    }

    @Test
    void aPartlyWrittenManualFailover_isCompletedTowardThePin_notReverted() {
        try (ReliabilityWorld world = new ReliabilityWorld(2, 1, 1)) {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            assertEquals(Outcome.NO_CHANGE, round(orchestrator, new Trigger.Scheduled()).outcome());
            String failing = world.tableIds().get(1);
            world.endpoint.faults().refuseWritesTo(failing, "UnauthorizedOperation"); // definitely not written

            RunResult manual = round(orchestrator, new Trigger.ManualFailover("b", "drill", false));

            assertEquals(Outcome.PARTIAL, manual.outcome());
            assertEquals(ReliabilityWorld.ENI_B, world.routes().get(world.tableIds().get(0)));
            assertEquals(ReliabilityWorld.ENI_A, world.routes().get(failing));
            world.endpoint.faults().clear();

            RunResult next = round(orchestrator, new Trigger.Scheduled());

            assertTrue(world.allOn(ReliabilityWorld.ENI_B), next.decision() + " " + world.routes());
        }
    }

    @Test
    void aManualFailoverWhoseEveryWriteIsRefused_pinsNothing() {
        try (ReliabilityWorld world = new ReliabilityWorld(2, 1, 1)) {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            assertEquals(Outcome.NO_CHANGE, round(orchestrator, new Trigger.Scheduled()).outcome());
            world.tableIds().forEach(t -> world.endpoint.faults().refuseWritesTo(t, "UnauthorizedOperation"));

            RunResult manual = round(orchestrator, new Trigger.ManualFailover("b", "drill", false));

            assertEquals(Outcome.PARTIAL, manual.outcome());
            assertTrue(world.allOn(ReliabilityWorld.ENI_A));
            assertEquals(java.util.Optional.empty(), world.states().read("web").pin(),
                    "the VIP did not move: automation must not be held to b");
        }
    }
}
