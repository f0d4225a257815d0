package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.Lease;
import io.vipflip.testing.LocalDynamo;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A holder whose clock is behind by up to the documented margin (README, Clock: 2 s) never writes while another
 * process could take the lease over; beyond the margin it could, which is why the margin is documented.
 */
class ClockSkewIT {
    private static final Duration LEASE = Duration.ofSeconds(20);
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /** Sweeps real time across the lease's life; true if holder and successor could ever both act. */
    private boolean overlapPossible(Duration holderBehindBy) {
        DynamoLeaseStore leases = new DynamoLeaseStore(LocalDynamo.client(), LocalDynamo.freshTable());
        Lease lease = leases.acquire("web", "holder", T0.minus(holderBehindBy), LEASE).orElseThrow();
        for (long ms = 0; ms <= LEASE.toMillis() + 5_000; ms += 50) {
            Instant real = T0.plusMillis(ms);
            Instant holderNow = real.minus(holderBehindBy);
            boolean holderWouldWrite = lease.validAt(holderNow, Lease.SKEW_MARGIN) && leases.stillHeld(lease, holderNow);
            boolean successorCouldTakeOver = leases.read("web").orElseThrow().expiresAt().isBefore(real);
            if (holderWouldWrite && successorCouldTakeOver) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aHolderBehindByUpToTheMargin_neverActsWhileASuccessorCould() {
        assertFalse(overlapPossible(Duration.ZERO));
        assertFalse(overlapPossible(Duration.ofMillis(1000)));
        assertFalse(overlapPossible(Lease.SKEW_MARGIN.minusMillis(100)));
    }

    @Test
    void beyondTheMargin_anOverlapBecomesPossible_soTheMarginIsTheBound() {
        assertTrue(overlapPossible(Lease.SKEW_MARGIN.plusMillis(500)));
    }
}
