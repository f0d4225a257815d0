package io.vipflip.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.health.GroupHealth;
import io.vipflip.route.ResolvedNode;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteStatus;
import io.vipflip.route.VipRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small pieces the policy's rules stand on: trigger kinds and labels, damping's memory, who holds the VIP. */
class PolicyBasicsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String VIP = "192.168.100.10/32";

    @Test
    void triggers_sayWhoAsked_andLabelThemselvesForHistory() {
        List<Trigger> automatic = List.of(new Trigger.Scheduled(), new Trigger.Alarm("cpu", "a"),
                new Trigger.InstanceStopped("i-1", "a", "stopping"));
        for (Trigger trigger : automatic) {
            assertTrue(trigger.automatic(), trigger.toString());
            assertFalse(trigger.operatorRequest(), trigger.toString());
        }
        Trigger reconcile = new Trigger.Reconcile("drift");
        assertTrue(reconcile.automatic(), "a reconcile obeys the automatic rules");
        assertTrue(reconcile.operatorRequest(), "but an operator waits for it");
        for (Trigger manual : List.of(new Trigger.ManualFailover("b", "test", false), new Trigger.ManualFailback("test"))) {
            assertFalse(manual.automatic(), manual.toString());
            assertTrue(manual.operatorRequest(), manual.toString());
        }
        assertEquals(List.of("schedule", "alarm:cpu", "instance:i-1:stopping", "manual:reconcile", "manual:failover",
                        "manual:failback"),
                List.of(new Trigger.Scheduled().label(), new Trigger.Alarm("cpu", "a").label(),
                        new Trigger.InstanceStopped("i-1", "a", "stopping").label(), reconcile.label(),
                        new Trigger.ManualFailover("b", "test", false).label(), new Trigger.ManualFailback("x").label()));
    }

    @Test
    void dampingRemembers_onlyTheLastHoursFlips_andCountsThoseAfterAnInstant() {
        GroupState state = GroupState.initial().withFlip(T0, 1).withFlip(T0.plusSeconds(600), 2);

        assertEquals(2, state.flipsSince(T0.minusSeconds(1)));
        assertEquals(1, state.flipsSince(T0), "strictly after");
        assertEquals(0, state.flipsSince(T0.plusSeconds(600)));
        GroupState later = state.withFlip(T0.plus(Duration.ofHours(1)).plusSeconds(1), 3);
        assertEquals(List.of(T0.plusSeconds(600), T0.plus(Duration.ofHours(1)).plusSeconds(1)), later.recentFlips(),
                "the flip of more than an hour before is forgotten");
        assertEquals(3, later.lastToken());
        assertEquals(Optional.of(T0.plus(Duration.ofHours(1)).plusSeconds(1)), later.lastFlip());
    }

    private static Observation routes(VipRoute... routes) {
        List<ResolvedNode> nodes = List.of(
                new ResolvedNode("a", "i-a", Optional.of("eni-a"), Optional.of("10.0.0.1"), 200),
                new ResolvedNode("b", "i-b", Optional.of("eni-b"), Optional.of("10.0.0.2"), 100));
        return new Observation(T0, nodes, GroupHealth.unknown(List.of("a", "b")), new RouteSnapshot(List.of(routes),
                List.of()), Map.of());
    }

    @Test
    void theActiveNode_isWhereMostActiveRoutesPoint_elseWhereTheBlackholesDo() {
        assertEquals(Optional.of("b"), ActiveNode.of(routes(VipRoute.toEni("t1", VIP, RouteStatus.ACTIVE, "eni-b"),
                VipRoute.toEni("t2", VIP, RouteStatus.ACTIVE, "eni-b"), VipRoute.toEni("t3", VIP, RouteStatus.ACTIVE, "eni-a"))));
        assertEquals(Optional.of("b"), ActiveNode.of(routes(VipRoute.toEni("t1", VIP, RouteStatus.ACTIVE, "eni-b"),
                        VipRoute.toEni("t2", VIP, RouteStatus.BLACKHOLE, "eni-a"), VipRoute.toEni("t3", VIP, RouteStatus.BLACKHOLE, "eni-a"))),
                "an active route outweighs blackholes");
        Observation onlyBlackholes = routes(VipRoute.toEni("t1", VIP, RouteStatus.BLACKHOLE, "eni-a"),
                VipRoute.missing("t2", VIP));
        assertEquals(Optional.of("a"), ActiveNode.of(onlyBlackholes));
        assertTrue(ActiveNode.blackholed(onlyBlackholes, "a"));
        assertFalse(ActiveNode.blackholed(onlyBlackholes, "b"), "b is routed nowhere, not blackholed");
        Observation mixed = routes(VipRoute.toEni("t1", VIP, RouteStatus.BLACKHOLE, "eni-a"),
                VipRoute.toEni("t2", VIP, RouteStatus.ACTIVE, "eni-a"));
        assertFalse(ActiveNode.blackholed(mixed, "a"), "one active route still carries traffic");
        assertEquals(Optional.empty(), ActiveNode.of(routes(VipRoute.missing("t1", VIP))));
    }
}
