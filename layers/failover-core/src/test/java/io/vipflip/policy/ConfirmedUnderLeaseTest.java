package io.vipflip.policy;

import static io.vipflip.health.HealthState.DOWN;
import static io.vipflip.health.HealthState.UP;
import static io.vipflip.policy.PolicyFixture.ENI_A;
import static io.vipflip.policy.PolicyFixture.group;
import static io.vipflip.policy.PolicyFixture.obs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Under the lease, a route write goes only toward a node the confirmation probe just passed (the simulation found
 * flips to a next-best node that nobody probed under the lease and that had just failed its last probe).
 */
class ConfirmedUnderLeaseTest {
    private final FailoverPolicy policy = new FailoverPolicy();
    private final Trigger scheduled = new Trigger.Scheduled();

    private Decision flipToB(Observation obs) {
        Decision decision = policy.decide(group(), GroupState.initial(), obs, scheduled);
        assertEquals(DecisionKind.FLIP, decision.kind(), decision.reason());
        return decision;
    }

    @Test
    void aTargetThatWasNotProbedUnderTheLease_getsNoWrite() {
        Observation confirmed = obs().health("a", DOWN).health("b", UP).allOn(ENI_A).confirmed("a", false).build();

        Decision decision = policy.confirmedUnderLease(flipToB(confirmed), confirmed, scheduled);

        assertEquals(DecisionKind.REFUSED, decision.kind());
        assertTrue(decision.reason().contains("target b was not confirmed"), decision.reason());
    }

    @Test
    void aTargetThatPassedTheProbeUnderTheLease_isWritten() {
        Observation confirmed = obs().health("a", DOWN).health("b", UP).allOn(ENI_A).confirmed("a", false)
                .confirmed("b", true).build();
        Decision flip = flipToB(confirmed);

        assertSame(flip, policy.confirmedUnderLease(flip, confirmed, scheduled));
    }

    @Test
    void anOperatorsForcedFailover_skipsTheProbeByChoice() {
        Observation unprobed = obs().health("a", UP).health("b", UP).allOn(ENI_A).build();
        Trigger forced = new Trigger.ManualFailover("b", "maintenance", true);
        Decision flip = policy.decide(group(), GroupState.initial(), unprobed, forced);
        assertEquals(DecisionKind.FLIP, flip.kind(), flip.reason());

        assertSame(flip, policy.confirmedUnderLease(flip, unprobed, forced));
        Decision noOp = new Decision.NoOp("nothing to do");
        assertSame(noOp, policy.confirmedUnderLease(noOp, unprobed, scheduled));
    }
}
