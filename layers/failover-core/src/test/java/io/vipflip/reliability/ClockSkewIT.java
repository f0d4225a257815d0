package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two real orchestrators on skewed clocks (README, Clock). The successor's clock runs ahead of the holder's, so
 * it believes the lease expired early. Within the skew margin the holder's writes, cut at its write bound and
 * applied late by a slow EC2, still land before the successor may write; far beyond it they land after the
 * successor's flip and undo it, which is why the margin is a documented bound (see {@link SlowWriteScenario}).
 */
class ClockSkewIT {

    private static SlowWriteScenario.Result successorAheadBy(ReliabilityWorld world, Duration skew) throws Exception {
        return SlowWriteScenario.run(world, Clock.systemUTC(), Clock.offset(Clock.systemUTC(), skew));
    }

    @Test
    void aSuccessorAheadByLessThanTheMargin_neverWritesWhileTheHoldersWriteCanLand() throws Exception {
        try (ReliabilityWorld world = SlowWriteScenario.world()) {
            SlowWriteScenario.Result result = successorAheadBy(world, Duration.ofMillis(900));

            assertTrue(world.allOn(ReliabilityWorld.ENI_C), result.routes().toString());
        }
    }

    @Test
    void aSuccessorFarBeyondTheMarginPlusTheSettleTime_canBeUndoneByALateWrite_soTheMarginIsTheBound()
            throws Exception {
        try (ReliabilityWorld world = SlowWriteScenario.world()) {
            // 4.5 s ahead: it takes the lease 5.5 s after the holder did, before the holder's 7 s write lands.
            SlowWriteScenario.Result result = successorAheadBy(world, Duration.ofMillis(4500));

            assertFalse(world.allOn(ReliabilityWorld.ENI_C), "the holder's late write landed last: " + result.routes());
        }
    }
}
