package io.vipflip.policy;

import static io.vipflip.health.HealthState.DOWN;
import static io.vipflip.health.HealthState.UNKNOWN;
import static io.vipflip.health.HealthState.UP;
import static io.vipflip.policy.PolicyFixture.ENI_A;
import static io.vipflip.policy.PolicyFixture.ENI_B;
import static io.vipflip.policy.PolicyFixture.NOW;
import static io.vipflip.policy.PolicyFixture.TABLES;
import static io.vipflip.policy.PolicyFixture.group;
import static io.vipflip.policy.PolicyFixture.obs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.GroupConfig;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailoverPolicyTest {
    private static final Trigger SCHEDULE = new Trigger.Scheduled();
    private final FailoverPolicy policy = new FailoverPolicy();

    /** GIVEN group + state + observation + trigger THEN the decision's kind and target. */
    static Stream<Arguments> scenarios() {
        GroupState initial = GroupState.initial();
        GroupState paused = initial.withPaused(true, Optional.of("maintenance"));
        GroupState flippedJustNow = initial.withFlip(NOW.minusSeconds(5), 7);
        GroupState pinnedToB = initial.withPin(Optional.of(new Pin("b", "drill")));
        GroupState sixFlipsThisHour = initial;
        for (int i = 1; i <= 6; i++) {
            sixFlipsThisHour = sixFlipsThisHour.withFlip(NOW.minus(Duration.ofMinutes(50 - i)), i);
        }
        GroupConfig failback60 = group(Duration.ofSeconds(60), Duration.ofSeconds(30), 6);
        return Stream.of(
                s("stays on the active node while it is healthy", group(), initial,
                        obs().health("a", UP).health("b", UP).allOn(ENI_A), SCHEDULE, "noop", null),
                s("stays on a lower-priority active node while it is healthy (failback off)", group(), initial,
                        obs().health("a", UP).health("b", UP).allOn(ENI_B), SCHEDULE, "noop", null),
                s("flips to the healthy node when the active one is DOWN", group(), initial,
                        obs().health("a", DOWN).health("b", UP).allOn(ENI_A), SCHEDULE, "flip", "b"),
                s("changes nothing when both nodes are DOWN", group(), initial,
                        obs().health("a", DOWN).health("b", DOWN).allOn(ENI_A), SCHEDULE, "no-healthy-node", null),
                s("waits while the other node's health is still unknown", group(), initial,
                        obs().health("a", DOWN).health("b", UNKNOWN).allOn(ENI_A), SCHEDULE, "noop", null),
                s("waits while the active node's health is unknown (cold start)", group(), initial,
                        obs().health("a", UNKNOWN).health("b", UP).allOn(ENI_A), SCHEDULE, "noop", null),
                s("never flips to a node that failed the confirmation probe", group(), initial,
                        obs().health("a", DOWN).health("b", UP).allOn(ENI_A).confirmed("b", false), SCHEDULE,
                        "no-healthy-node", null),
                s("does not move away from an active node that passed the confirmation probe", group(), initial,
                        obs().health("a", DOWN).health("b", UP).allOn(ENI_A).confirmed("a", true), SCHEDULE, "noop", null),
                s("repairs a table that points at the other node", group(), initial,
                        obs().health("a", UP).health("b", UP).route(TABLES.get(0), RouteStatus.ACTIVE, ENI_A)
                                .route(TABLES.get(1), RouteStatus.ACTIVE, ENI_A)
                                .route(TABLES.get(2), RouteStatus.ACTIVE, ENI_B), SCHEDULE, "repair", "a"),
                s("repairs a missing route", group(), initial,
                        obs().health("a", UP).health("b", UP).route(TABLES.get(0), RouteStatus.ACTIVE, ENI_A)
                                .route(TABLES.get(1), RouteStatus.ACTIVE, ENI_A)
                                .route(TABLES.get(2), RouteStatus.MISSING, null), SCHEDULE, "repair", "a"),
                s("treats a node reached only through blackhole routes as failed", group(), initial,
                        obs().health("a", UNKNOWN).health("b", UP).allTables(RouteStatus.BLACKHOLE, ENI_A), SCHEDULE, "flip", "b"),
                s("places the VIP on the best healthy node when no table routes it", group(), initial,
                        obs().health("a", UP).health("b", UP).allTables(RouteStatus.MISSING, null), SCHEDULE, "flip", "a"),
                s("fails back to the higher-priority node after the delay", failback60, initial,
                        obs().health("a", UP, NOW.minusSeconds(61)).health("b", UP).allOn(ENI_B), SCHEDULE, "flip", "a"),
                s("does not fail back before the delay has passed", failback60, initial,
                        obs().health("a", UP, NOW.minusSeconds(59)).health("b", UP).allOn(ENI_B), SCHEDULE, "noop", null),
                s("does not fail back while pinned", failback60, pinnedToB,
                        obs().health("a", UP, NOW.minusSeconds(600)).health("b", UP).allOn(ENI_B), SCHEDULE, "noop", null),
                s("fails back once the pin is cleared", failback60, pinnedToB.withPin(Optional.empty()),
                        obs().health("a", UP, NOW.minusSeconds(600)).health("b", UP).allOn(ENI_B), SCHEDULE, "flip", "a"),
                s("moves away from the pinned node when it fails", group(), pinnedToB,
                        obs().health("a", UP).health("b", DOWN).allOn(ENI_B), SCHEDULE, "flip", "a"),
                s("completes a partly written manual failover toward the pin, never reverts it", group(), pinnedToB,
                        obs().health("a", UP).health("b", UP).route(TABLES.get(0), RouteStatus.ACTIVE, ENI_B)
                                .route(TABLES.get(1), RouteStatus.ACTIVE, ENI_A)
                                .route(TABLES.get(2), RouteStatus.ACTIVE, ENI_A), SCHEDULE, "flip", "b"),
                s("repairs drift toward the pin, not toward the higher-priority node", group(), pinnedToB,
                        obs().health("a", UP).health("b", UP).route(TABLES.get(0), RouteStatus.ACTIVE, ENI_B)
                                .route(TABLES.get(1), RouteStatus.ACTIVE, ENI_B)
                                .route(TABLES.get(2), RouteStatus.ACTIVE, ENI_A), SCHEDULE, "repair", "b"),
                s("waits while the pinned node's health is unknown rather than reverting toward another", group(),
                        pinnedToB, obs().health("a", UP).health("b", UNKNOWN)
                                .route(TABLES.get(0), RouteStatus.ACTIVE, ENI_B)
                                .route(TABLES.get(1), RouteStatus.ACTIVE, ENI_A)
                                .route(TABLES.get(2), RouteStatus.ACTIVE, ENI_A), SCHEDULE, "noop", null),
                s("returns to the pinned node once it is healthy again", group(), pinnedToB,
                        obs().health("a", UP).health("b", UP).allOn(ENI_A), SCHEDULE, "flip", "b"),
                s("returning to the pinned node is damped like any automatic flip", group(),
                        flippedJustNow.withPin(pinnedToB.pin()),
                        obs().health("a", UP).health("b", UP).allOn(ENI_A), SCHEDULE, "refused", null),
                s("refuses an automatic flip within minSecondsBetweenFlips", group(), flippedJustNow,
                        obs().health("a", DOWN).health("b", UP).allOn(ENI_A), SCHEDULE, "refused", null),
                s("refuses an automatic flip beyond maxFlipsPerHour", group(), sixFlipsThisHour,
                        obs().health("a", DOWN).health("b", UP).allOn(ENI_A), SCHEDULE, "refused", null),
                s("does nothing automatic while paused", group(), paused,
                        obs().health("a", DOWN).health("b", UP).allOn(ENI_A), SCHEDULE, "paused", null),
                s("an alarm is decided by the same rules", group(), initial,
                        obs().health("a", DOWN).health("b", UP).allOn(ENI_A), new Trigger.Alarm("web-a-status", "a"),
                        "flip", "b"),
                s("manual failover to a healthy node flips, even while paused", group(), paused,
                        obs().health("a", UP).health("b", UP).allOn(ENI_A),
                        new Trigger.ManualFailover("b", "drill", false), "flip", "b"),
                s("manual failover is not damped", group(), flippedJustNow,
                        obs().health("a", UP).health("b", UP).allOn(ENI_A),
                        new Trigger.ManualFailover("b", "drill", false), "flip", "b"),
                s("manual failover to an unhealthy node is refused without force", group(), initial,
                        obs().health("a", UP).health("b", DOWN).allOn(ENI_A),
                        new Trigger.ManualFailover("b", "drill", false), "refused", null),
                s("forced manual failover skips the health check", group(), initial,
                        obs().health("a", UP).health("b", DOWN).allOn(ENI_A),
                        new Trigger.ManualFailover("b", "drill", true), "flip", "b"),
                s("manual failover to an unknown node is refused", group(), initial,
                        obs().health("a", UP).health("b", UP).allOn(ENI_A),
                        new Trigger.ManualFailover("c", "typo", true), "refused", null),
                s("manual failover to the active node changes nothing", group(), initial,
                        obs().health("a", UP).health("b", UP).allOn(ENI_A),
                        new Trigger.ManualFailover("a", "again", false), "noop", null),
                s("manual failback returns to the highest-priority healthy node", group(), pinnedToB,
                        obs().health("a", UP).health("b", UP).allOn(ENI_B), new Trigger.ManualFailback("done"), "flip", "a"),
                s("manual failover to a node that failed its confirmation probe is refused without force", group(),
                        initial, obs().health("a", UP).health("b", UP).allOn(ENI_A).confirmed("b", false),
                        new Trigger.ManualFailover("b", "drill", false), "refused", null),
                s("manual failback on the preferred node changes nothing", group(), pinnedToB,
                        obs().health("a", UP).health("b", UP).allOn(ENI_A), new Trigger.ManualFailback("done"), "noop", null),
                s("places the VIP on the healthy pinned node when no table routes it", group(), pinnedToB,
                        obs().health("a", UP).health("b", UP).allTables(RouteStatus.MISSING, null), SCHEDULE, "flip", "b"),
                s("no table routes the VIP and the pinned node is DOWN: placed on the healthy one", group(), pinnedToB,
                        obs().health("a", UP).health("b", DOWN).allTables(RouteStatus.MISSING, null), SCHEDULE, "flip", "a"),
                s("failback enabled and the highest-priority node active: nothing to fail back to", failback60, initial,
                        obs().health("a", UP, NOW.minusSeconds(600)).health("b", UP, NOW.minusSeconds(600)).allOn(ENI_A),
                        SCHEDULE, "noop", null),
                s("no table routes the VIP and no node is healthy: nothing to place", group(), initial,
                        obs().health("a", DOWN).health("b", DOWN).allTables(RouteStatus.MISSING, null), SCHEDULE, "no-healthy-node", null),
                s("a node seen UP but reached only through blackholes is left for the other healthy node", group(),
                        initial, obs().health("a", UP).health("b", UP).allTables(RouteStatus.BLACKHOLE, ENI_A), SCHEDULE, "flip", "b"),
                s("a blackholed active node of unknown health is not waited for when the other is DOWN", group(),
                        initial, obs().health("a", UNKNOWN).health("b", DOWN).allTables(RouteStatus.BLACKHOLE, ENI_A), SCHEDULE, "no-healthy-node", null),
                s("manual failback with no healthy node changes nothing", group(), pinnedToB,
                        obs().health("a", DOWN).health("b", DOWN).allOn(ENI_B), new Trigger.ManualFailback("done"),
                        "no-healthy-node", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void decides(String rule, GroupConfig group, GroupState state, PolicyFixture.Obs obs, Trigger trigger,
                 String expectedKind, String expectedTarget) {
        Decision decision = policy.decide(group, state, obs.build(), trigger);

        assertEquals(expectedKind, decision.kind().wire(), () -> rule + ": " + decision);
        if (expectedTarget != null) {
            assertEquals(expectedTarget, ((Decision.RouteWrite) decision).target(), rule);
        }
    }

    @Test
    void flipRewritesEveryTable_andRepairOnlyTheDriftedOnes() {
        Decision flip = policy.decide(group(), GroupState.initial(),
                obs().health("a", DOWN).health("b", UP).allOn(ENI_A).build(), SCHEDULE);
        Decision repair = policy.decide(group(), GroupState.initial(),
                obs().health("a", UP).route(TABLES.get(0), RouteStatus.ACTIVE, ENI_A)
                        .route(TABLES.get(1), RouteStatus.BLACKHOLE, ENI_A)
                        .route(TABLES.get(2), RouteStatus.ACTIVE, ENI_B).build(), SCHEDULE);

        assertEquals(TABLES, ((Decision.Flip) flip).changes().stream().map(RouteChange::tableId).toList());
        assertTrue(((Decision.Flip) flip).changes().stream().allMatch(c -> c.targetEni().equals(ENI_B)));
        assertEquals(List.of(TABLES.get(1), TABLES.get(2)),
                ((Decision.Repair) repair).changes().stream().map(RouteChange::tableId).toList());
    }

    @Test
    void flappingNode_isDampedAfterTheFirstFlip() {
        // a fails, vipflip flips to b; then b flaps down while a is back: the second flip comes too soon.
        GroupConfig group = group();
        GroupState state = GroupState.initial();
        Decision first = policy.decide(group, state, obs().health("a", DOWN).health("b", UP).allOn(ENI_A).build(), SCHEDULE);
        assertInstanceOf(Decision.Flip.class, first);
        state = state.withFlip(NOW, 1);

        Instant later = NOW.plusSeconds(10);
        Observation flap = new Observation(later, obs().build().nodes(),
                obs().health("a", UP).health("b", DOWN).build().health(),
                obs().allOn(ENI_B).build().routes(), java.util.Map.of());
        Decision second = policy.decide(group, state, flap, SCHEDULE);

        assertInstanceOf(Decision.Refused.class, second);
        assertTrue(second.reason().contains("damping"), second.reason());
        Observation afterWindow = new Observation(NOW.plusSeconds(31), flap.nodes(), flap.health(), flap.routes(),
                java.util.Map.of());
        assertEquals(DecisionKind.FLIP, policy.decide(group, state, afterWindow, SCHEDULE).kind());
    }

    private static Arguments s(String rule, GroupConfig group, GroupState state, PolicyFixture.Obs obs,
                               Trigger trigger, String kind, String target) {
        return Arguments.of(rule, group, state, obs, trigger, kind, target);
    }

    /** The reasons are what operators read in the history and notifications: they name the cause. */
    @Test
    void reasonsNameTheCause() {
        Decision blackholed = policy.decide(group(), GroupState.initial(), obs().health("a", UP).health("b", UP)
                .route(TABLES.get(0), RouteStatus.BLACKHOLE, ENI_A).route(TABLES.get(1), RouteStatus.BLACKHOLE, ENI_A)
                .route(TABLES.get(2), RouteStatus.BLACKHOLE, ENI_A).build(), SCHEDULE);
        Decision down = policy.decide(group(), GroupState.initial(),
                obs().health("a", DOWN).health("b", UP).allOn(ENI_A).build(), SCHEDULE);
        Decision forced = policy.decide(group(), GroupState.initial(),
                obs().health("a", UP).health("b", DOWN).allOn(ENI_A).build(), new Trigger.ManualFailover("b", "drill", true));
        Decision asked = policy.decide(group(), GroupState.initial(),
                obs().health("a", UP).health("b", UP).allOn(ENI_A).build(), new Trigger.ManualFailover("b", "drill", false));
        Decision repair = policy.decide(group(), GroupState.initial(), obs().health("a", UP).health("b", UP)
                .route(TABLES.get(0), RouteStatus.ACTIVE, ENI_A).route(TABLES.get(1), RouteStatus.ACTIVE, ENI_A)
                .route(TABLES.get(2), RouteStatus.ACTIVE, ENI_B).build(), SCHEDULE);

        assertEquals("a is blackholed; b is healthy", blackholed.reason());
        assertEquals("a is DOWN; b is healthy", down.reason());
        assertEquals("manual failover: drill (forced)", forced.reason());
        assertEquals("manual failover: drill", asked.reason());
        assertEquals("1 route(s) drifted from a: " + TABLES.get(2) + " "
                + ((Decision.Repair) repair).changes().getFirst().before().describeTarget(), repair.reason());
        assertTrue(repair.reason().contains(ENI_B), repair.reason());
    }
}
