package io.vipflip.reliability;

import io.vipflip.policy.HistoryKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.history.HistoryEvent;
import io.vipflip.orchestrator.Outcome;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A route write that EC2 applies after its holder stopped waiting must not overwrite a successor's flip, and
 * must be in history (issue 11, docs/decisions.md 25). See {@link SlowWriteScenario}.
 */
class LeaseBoundedWritesIT {

    @Test
    void aWriteStillInFlight_landsBeforeTheSuccessorMayWrite_andEveryChangeIsInHistory() throws Exception {
        try (ReliabilityWorld world = SlowWriteScenario.world()) {
            SlowWriteScenario.Result result = SlowWriteScenario.run(world, Clock.systemUTC(), Clock.systemUTC());

            assertTrue(world.allOn(ReliabilityWorld.ENI_C),
                    "the successor's flip to c must be the last write; the holder's late write to b came after it: "
                            + result.routes());
            assertTrue(result.successor().stream().anyMatch(r -> r.outcome() == Outcome.LEASE_BUSY),
                    "the successor wanted to write while the holder's writes were in flight, and was held off");
            assertEquals(Outcome.PARTIAL, result.holder().outcome(), result.holder().writes().toString());
            assertTrue(result.holder().writes().stream().allMatch(w -> w.mayHaveLanded()),
                    "the holder stopped waiting at its write bound: " + result.holder().writes());
            result.landedVersusHistory().forEach((table, counts) ->
                    assertEquals(counts.get(0), counts.get(1), table + ": writes applied vs. in history"));
            List<HistoryEvent> flips = result.history().stream().filter(e -> e.kind() == HistoryKind.FLIP).toList();
            assertEquals(List.of("b", "c"), flips.stream().map(e -> e.to().orElseThrow()).toList());
        }
    }
}
