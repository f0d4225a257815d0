package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.history.HistoryEvent;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.HistoryKind;
import io.vipflip.policy.Trigger;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.orchestrator.Orchestrator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 100-table flip under EC2's token buckets (issue 13 §3): the first 50 writes take the mutating bucket's burst, the
 * rest are sent again paced to its refill (5/s), under a lease sized for them although the configured one (10 s)
 * is shorter. The buckets run on the real clock here: nothing is timed, only what lands is checked.
 */
class ThrottledFlipIT {

    @Test
    void aHundredTableFlip_underThrottling_pointsEveryTableAtTheSurvivor() {
        try (ReliabilityWorld world = new ReliabilityWorld(100, 1, 1)) {
            world.endpoint.throttling().enabled(true);
            world.kill("a");

            Orchestrator orchestrator = world.orchestrator("holder", Clock.systemUTC());

            RunResult flip = orchestrator.run("web", new Trigger.Scheduled());
            // On a loaded machine the real clock may end the lease first: the next holder re-reads and repairs the
            // rest at once (a throttled write is no refusal and keeps no lease), never more than a few runs.
            List<RunResult> repairs = new ArrayList<>();
            while (!world.allOn(ReliabilityWorld.ENI_B) && repairs.size() < 3) {
                repairs.add(orchestrator.run("web", new Trigger.Scheduled()));
            }

            assertTrue(world.allOn(ReliabilityWorld.ENI_B), "every table points at the survivor: " + world.routes());
            assertEquals(100, flip.writes().size());
            long landed = flip.writes().stream().filter(RouteWriteOutcome::succeeded).count();
            assertTrue(landed > 75, "well beyond the bucket's burst of 50 within the first lease: " + landed);
            assertTrue(flip.writes().stream().allMatch(w -> w.succeeded() || w.throttled()), flip.writes().toString());
            assertTrue(world.endpoint.calls().all().stream().anyMatch(c -> c.error().equals("RequestLimitExceeded")),
                    "the flip met EC2's mutating bucket (50 tokens for 100 writes)");
            HistoryEvent first = world.history().stream().filter(e -> e.token() == flip.token()).findFirst().orElseThrow();
            assertEquals(HistoryKind.FLIP, first.kind());
            assertTrue(repairs.stream().allMatch(r -> r.outcome() == Outcome.REPAIRED || r.outcome() == Outcome.FLIPPED
                    || r.outcome() == Outcome.PARTIAL), repairs.toString());
        }
    }
}
