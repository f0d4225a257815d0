package io.vipflip.policy;

import static io.vipflip.policy.PolicyFixture.ENI_A;
import static io.vipflip.policy.PolicyFixture.ENI_B;
import static io.vipflip.policy.PolicyFixture.NOW;
import static io.vipflip.policy.PolicyFixture.TABLES;
import static io.vipflip.policy.PolicyFixture.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteStatus;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.route.VipRoute;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A write EC2 throttled (RequestLimitExceeded) is not a refusal of its table (docs/decisions.md 56). */
class ThrottledWriteSettlementTest {
    private final FailoverPolicy policy = new FailoverPolicy();

    private static RouteChange change(String table) {
        return new RouteChange(table, VIP, ENI_B, VipRoute.toEni(table, VIP, RouteStatus.ACTIVE, ENI_A));
    }

    @Test
    void aThrottledRepair_neitherEntersNorExtendsTheTablesBackOff() {
        String table = TABLES.get(1);
        RouteWriteOutcome throttled = RouteWriteOutcome.throttled(change(table), "ReplaceRoute",
                "RequestLimitExceeded: Request limit exceeded.", Duration.ofMillis(30));
        Decision.Repair repair = new Decision.Repair("b", List.of(change(table)), "drifted");

        Settlement settled = policy.settle(GroupState.initial(), repair, new Trigger.Scheduled(), 4, List.of(throttled), NOW);

        assertFalse(settled.next().backoff().containsKey(table), "EC2 did not refuse the table, it was busy");
        assertFalse(settled.note().contains("repair back-off entered"), settled.note());
        assertTrue(throttled.sent() && !throttled.mayHaveLanded() && !throttled.succeeded());
    }

    @Test
    void aThrottledSendAfterOneThatMayHaveLanded_mayHaveLandedToo() {
        RouteWriteOutcome throttled = RouteWriteOutcome.throttled(change(TABLES.get(0)), "ReplaceRoute",
                "RequestLimitExceeded: Request limit exceeded.", Duration.ofMillis(30));

        RouteWriteOutcome afterAnUnanswered = throttled.after(Duration.ofSeconds(1), true);
        RouteWriteOutcome alone = throttled.after(Duration.ofSeconds(1), false);

        assertTrue(afterAnUnanswered.mayHaveLanded());
        assertFalse(afterAnUnanswered.throttled(), "no longer a plain throttle: an earlier send may have landed");
        assertTrue(alone.throttled() && !alone.mayHaveLanded());
        assertEquals(Duration.ofSeconds(1), alone.took());
    }
}
