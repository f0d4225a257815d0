package io.vipflip.policy;

import static io.vipflip.health.HealthState.DOWN;
import static io.vipflip.health.HealthState.UP;
import static io.vipflip.policy.PolicyFixture.ENI_A;
import static io.vipflip.policy.PolicyFixture.ENI_B;
import static io.vipflip.policy.PolicyFixture.NOW;
import static io.vipflip.policy.PolicyFixture.TABLES;
import static io.vipflip.policy.PolicyFixture.VIP;
import static io.vipflip.policy.PolicyFixture.group;
import static io.vipflip.policy.PolicyFixture.obs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteStatus;
import io.vipflip.route.RouteWriteOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rules the policy applies to a leased run's result ({@link FailoverPolicy#settle}, {@link FailoverPolicy#worthActing}):
 * damping bookkeeping, the pin, repeated-refusal suppression, the history kind, and the per-table repair back-off.
 */
class SettlementTest {
    private static final Trigger SCHEDULE = new Trigger.Scheduled();
    private static final Trigger FAILOVER_TO_B = new Trigger.ManualFailover("b", "drill", false);
    private final FailoverPolicy policy = new FailoverPolicy();

    private static RouteWriteOutcome ok(String table) {
        return RouteWriteOutcome.ok(change(table), "ReplaceRoute", Duration.ofMillis(5));
    }

    private static RouteWriteOutcome refused(String table) {
        return RouteWriteOutcome.failed(change(table), "ReplaceRoute", "UnauthorizedOperation: no", Duration.ofMillis(5));
    }

    private static RouteWriteOutcome unknown(String table) {
        return RouteWriteOutcome.unknown(change(table), "ReplaceRoute", "ApiCallTimeoutException", Duration.ofSeconds(2));
    }

    private static RouteChange change(String table) {
        return new RouteChange(table, VIP, ENI_B, io.vipflip.route.VipRoute.toEni(table, VIP, RouteStatus.ACTIVE, ENI_A));
    }

    private static Decision.Flip flipToB() {
        return new Decision.Flip(Optional.of("a"), "b", TABLES.stream().map(SettlementTest::change).toList(), "a is DOWN");
    }

    private static Decision.Repair repairOf(String table) {
        return new Decision.Repair("b", List.of(change(table)), "drifted");
    }

    @Test
    void anAutomaticFlipThatLanded_countsForDamping_anOperatorsDoesNot() {
        GroupState automatic = policy.settle(GroupState.initial(), flipToB(), SCHEDULE, 7,
                List.of(ok(TABLES.get(0))), NOW).next();
        GroupState manual = policy.settle(GroupState.initial(), flipToB(), FAILOVER_TO_B, 7,
                List.of(ok(TABLES.get(0))), NOW).next();

        assertEquals(List.of(NOW), automatic.recentFlips());
        assertEquals(7, automatic.lastToken());
        assertEquals(List.of(), manual.recentFlips());
    }

    @Test
    void aFlipThatMayHaveLanded_countsForDamping_oneThatWasRefusedEverywhere_doesNot() {
        GroupState mayHave = policy.settle(GroupState.initial(), flipToB(), SCHEDULE, 7,
                List.of(unknown(TABLES.get(0))), NOW).next();
        GroupState refusedEverywhere = policy.settle(GroupState.initial(), flipToB(), SCHEDULE, 7,
                TABLES.stream().map(SettlementTest::refused).toList(), NOW).next();

        assertEquals(List.of(NOW), mayHave.recentFlips());
        assertEquals(List.of(), refusedEverywhere.recentFlips());
    }

    @Test
    void aManualFailover_pinsOnlyWhenSomethingOfItLanded() {
        Settlement partly = policy.settle(GroupState.initial(), flipToB(), FAILOVER_TO_B, 3,
                List.of(ok(TABLES.get(0)), refused(TABLES.get(1))), NOW);
        Settlement nothing = policy.settle(GroupState.initial(), flipToB(), FAILOVER_TO_B, 3,
                TABLES.stream().map(SettlementTest::refused).toList(), NOW);
        Settlement alreadyThere = policy.settle(GroupState.initial(), new Decision.NoOp("already on b"), FAILOVER_TO_B,
                3, List.of(), NOW);

        assertEquals(Optional.of(new Pin("b", "drill")), partly.next().pin());
        assertEquals(Optional.empty(), nothing.next().pin(), "every write was refused: the VIP did not move");
        assertEquals(Optional.of(new Pin("b", "drill")), alreadyThere.next().pin());
        assertEquals(Optional.of(HistoryKind.PINNED), alreadyThere.history());
    }

    @Test
    void aManualFailback_clearsThePin() {
        GroupState pinned = GroupState.initial().withPin(Optional.of(new Pin("b", "drill")));

        Settlement settled = policy.settle(pinned, new Decision.NoOp("already on a"),
                new Trigger.ManualFailback("done"), 4, List.of(), NOW);

        assertEquals(Optional.empty(), settled.next().pin());
        assertEquals(Optional.of(HistoryKind.UNPINNED), settled.history());
    }

    @Test
    void aRefusal_isRememberedSoThatItsRepetitionIsNotWorthTheLease_aNewKindIs() {
        Decision none = new Decision.NoHealthyNode("both down");
        assertTrue(policy.worthActing(none, GroupState.initial(), SCHEDULE));

        GroupState after = policy.settle(GroupState.initial(), none, SCHEDULE, 5, List.of(), NOW).next();

        assertEquals(Optional.of(DecisionKind.NO_HEALTHY_NODE), after.lastRefusal());
        assertFalse(policy.worthActing(none, after, SCHEDULE), "the same refusal again: recorded once");
        assertTrue(policy.worthActing(new Decision.Refused("damping"), after, SCHEDULE));
        assertTrue(policy.worthActing(none, after, new Trigger.ManualFailback("now")), "an operator always gets an answer");
        GroupState recovered = policy.settle(after, flipToB(), SCHEDULE, 6, List.of(ok(TABLES.get(0))), NOW).next();
        assertEquals(Optional.empty(), recovered.lastRefusal());
    }

    @Test
    void anAutomaticNoOp_isNotWorthTheLease_andLeavesNoHistory() {
        assertFalse(policy.worthActing(new Decision.NoOp("fine"), GroupState.initial(), SCHEDULE));
        assertEquals(Optional.empty(),
                policy.settle(GroupState.initial(), new Decision.NoOp("fine"), SCHEDULE, 5, List.of(), NOW).history());
    }

    @Test
    void aRefusedRepair_entersBackOff_andIsAnnouncedOnce() {
        Settlement first = policy.settle(GroupState.initial(), repairOf(TABLES.get(1)), SCHEDULE, 9,
                List.of(refused(TABLES.get(1))), NOW);

        TableBackoff backoff = first.next().backoff().get(TABLES.get(1));
        assertEquals(1, backoff.failures());
        assertEquals(NOW.plus(TableBackoff.FIRST_WAIT), backoff.retryAt());
        assertTrue(first.announce());
        assertTrue(first.note().contains("repair back-off entered: " + TABLES.get(1)), first.note());

        Instant retry = backoff.retryAt();
        Settlement second = policy.settle(first.next(), repairOf(TABLES.get(1)), SCHEDULE, 10,
                List.of(refused(TABLES.get(1))), retry);

        assertEquals(2, second.next().backoff().get(TABLES.get(1)).failures());
        assertEquals(retry.plus(TableBackoff.FIRST_WAIT.multipliedBy(2)), second.next().backoff().get(TABLES.get(1)).retryAt());
        assertEquals(Optional.of(HistoryKind.REPAIR), second.history(), "the retry is recorded");
        assertFalse(second.announce(), "but nobody is told again");
    }

    @Test
    void aRepairNeverSent_forLackOfLeaseTime_neitherEntersNorExtendsBackOff() {
        RouteWriteOutcome notSent = RouteWriteOutcome.notSent(change(TABLES.get(1)), "ReplaceRoute", Duration.ZERO);

        Settlement fresh = policy.settle(GroupState.initial(), repairOf(TABLES.get(1)), SCHEDULE, 9,
                List.of(notSent), NOW);
        assertFalse(fresh.next().backoff().containsKey(TABLES.get(1)), "EC2 never refused the table");
        assertFalse(fresh.note().contains("repair back-off entered"), fresh.note());

        Settlement refusedOnce = policy.settle(GroupState.initial(), repairOf(TABLES.get(1)), SCHEDULE, 9,
                List.of(refused(TABLES.get(1))), NOW);
        Instant retry = refusedOnce.next().backoff().get(TABLES.get(1)).retryAt();
        Settlement later = policy.settle(refusedOnce.next(), repairOf(TABLES.get(1)), SCHEDULE, 10,
                List.of(notSent), retry);
        assertEquals(refusedOnce.next().backoff().get(TABLES.get(1)), later.next().backoff().get(TABLES.get(1)),
                "an unsent retry neither doubles the wait nor ends it");
    }

    @Test
    void aRepairThatSucceeds_leavesBackOff_andIsAnnounced() {
        GroupState backingOff = GroupState.initial().withBackoff(Map.of(TABLES.get(1),
                new TableBackoff(3, NOW.minusSeconds(100), NOW, "UnauthorizedOperation")));

        Settlement settled = policy.settle(backingOff, repairOf(TABLES.get(1)), SCHEDULE, 11,
                List.of(ok(TABLES.get(1))), NOW);

        assertEquals(Map.of(), settled.next().backoff());
        assertTrue(settled.announce());
        assertTrue(settled.note().contains("repair back-off left: " + TABLES.get(1)), settled.note());
    }

    @Test
    void theWait_doublesFromFifteenSeconds_andIsCappedAtFifteenMinutes() {
        assertEquals(Duration.ofSeconds(15), TableBackoff.wait(1));
        assertEquals(Duration.ofSeconds(30), TableBackoff.wait(2));
        assertEquals(Duration.ofSeconds(480), TableBackoff.wait(6));
        assertEquals(Duration.ofMinutes(15), TableBackoff.wait(7));
        assertEquals(Duration.ofMinutes(15), TableBackoff.wait(500));
    }

    @Test
    void aTableInBackOff_isNotRepairedBeforeItsRetryTime_theOthersAre() {
        GroupState backingOff = GroupState.initial().withBackoff(Map.of(TABLES.get(1),
                new TableBackoff(1, NOW, NOW.plusSeconds(15), "UnauthorizedOperation")));
        // a holds the VIP (a tie of one table each goes to the higher priority); tables 1 and 2 drifted.
        PolicyFixture.Obs drifted = obs().health("a", UP).health("b", UP)
                .route(TABLES.get(0), RouteStatus.ACTIVE, ENI_A)
                .route(TABLES.get(1), RouteStatus.ACTIVE, ENI_B)
                .route(TABLES.get(2), RouteStatus.MISSING, null);

        Decision onlyTheOther = policy.decide(group(), backingOff, drifted.build(), SCHEDULE);
        Decision none = policy.decide(group(), backingOff, obs().health("a", UP).health("b", UP)
                .route(TABLES.get(0), RouteStatus.ACTIVE, ENI_A).route(TABLES.get(1), RouteStatus.ACTIVE, ENI_B)
                .route(TABLES.get(2), RouteStatus.ACTIVE, ENI_A).build(), SCHEDULE);

        assertEquals(List.of(TABLES.get(2)),
                ((Decision.Repair) onlyTheOther).changes().stream().map(RouteChange::tableId).toList());
        assertInstanceOf(Decision.NoOp.class, none);
        assertFalse(policy.worthActing(none, backingOff, SCHEDULE), "no lease, no write while backing off");
    }

    @Test
    void aTableInBackOff_isRepairedAtItsRetryTime_orAtOnceOnAnOperatorsReconcile() {
        GroupState backingOff = GroupState.initial().withBackoff(Map.of(TABLES.get(1),
                new TableBackoff(1, NOW.minusSeconds(15), NOW, "UnauthorizedOperation")));
        Observation drifted = obs().health("a", UP).health("b", UP).route(TABLES.get(0), RouteStatus.ACTIVE, ENI_A)
                .route(TABLES.get(1), RouteStatus.ACTIVE, ENI_B).route(TABLES.get(2), RouteStatus.ACTIVE, ENI_A).build();
        Observation early = new Observation(NOW.minusSeconds(1), drifted.nodes(), drifted.health(), drifted.routes(),
                Map.of());

        assertInstanceOf(Decision.Repair.class, policy.decide(group(), backingOff, drifted, SCHEDULE));
        assertInstanceOf(Decision.NoOp.class, policy.decide(group(), backingOff, early, SCHEDULE));
        assertInstanceOf(Decision.Repair.class, policy.decide(group(), backingOff, early, new Trigger.Reconcile("now")));
    }

    @Test
    void aTableInBackOffThatPointsRightAgain_leavesIt_withAnEntry() {
        GroupState backingOff = GroupState.initial().withBackoff(Map.of(TABLES.get(1),
                new TableBackoff(2, NOW.minusSeconds(60), NOW.plusSeconds(30), "UnauthorizedOperation")));

        Decision decision = policy.decide(group(), backingOff, obs().health("a", UP).health("b", UP).allOn(ENI_A).build(),
                SCHEDULE);

        assertEquals(new Decision.BackoffEnded(List.of(TABLES.get(1)), decision.reason()), decision);
        assertTrue(policy.worthActing(decision, backingOff, SCHEDULE));
        Settlement settled = policy.settle(backingOff, decision, SCHEDULE, 12, List.of(), NOW);
        assertEquals(Map.of(), settled.next().backoff());
        assertEquals(Optional.of(HistoryKind.BACKOFF_ENDED), settled.history());
        assertTrue(settled.announce());
    }

    @Test
    void aFlip_writesTablesInBackOffToo() {
        GroupState backingOff = GroupState.initial().withBackoff(Map.of(TABLES.get(1),
                new TableBackoff(2, NOW.minusSeconds(60), NOW.plusSeconds(30), "UnauthorizedOperation")));

        Decision flip = policy.decide(group(), backingOff, obs().health("a", DOWN).health("b", UP).allOn(ENI_A).build(),
                SCHEDULE);

        assertEquals(TABLES, ((Decision.Flip) flip).changes().stream().map(RouteChange::tableId).toList());
    }

    @Test
    void historyKinds_readTheWireNamesEarlierVersionsStored_andAnUnknownOneSafely() {
        assertEquals(HistoryKind.NO_HEALTHY_NODE, HistoryKind.fromWire("no-healthy-node"));
        assertEquals(HistoryKind.PINNED, HistoryKind.fromWire("pinned"));
        assertEquals(HistoryKind.UNKNOWN, HistoryKind.fromWire("something-newer"));
        assertEquals(Optional.of(DecisionKind.REFUSED), DecisionKind.fromWire("refused"));
        assertEquals(Optional.empty(), DecisionKind.fromWire("something-newer"));
    }

    @Test
    void aRepeatedQuorumVerdict_isRecordedOnce_aNewVerdictAgain() {
        Decision partition = new Decision.NoQuorum(QuorumRule.Verdict.PARTITION_SUSPECTED, "only this AZ sees a DOWN");
        Settlement first = policy.settle(GroupState.initial(), partition, SCHEDULE, 5, List.of(), NOW);
        assertEquals(Optional.of(HistoryKind.PARTITION_SUSPECTED), first.history());
        assertTrue(first.announce());

        Settlement again = policy.settle(first.next(), partition, SCHEDULE, 6, List.of(), NOW);
        assertEquals(Optional.empty(), again.history(), "the same partition, round after round: recorded once");
        assertFalse(again.announce());

        Decision fewVotes = new Decision.NoQuorum(QuorumRule.Verdict.TOO_FEW_VOTES, "no observer answered");
        assertEquals(Optional.of(HistoryKind.TOO_FEW_VOTES),
                policy.settle(first.next(), fewVotes, SCHEDULE, 6, List.of(), NOW).history());
        // Only the quorum verdicts are folded this way: another refusal after a partition is recorded.
        GroupState refusedBefore = GroupState.initial().withLastRefusal(Optional.of(DecisionKind.NO_HEALTHY_NODE));
        assertTrue(policy.settle(refusedBefore, new Decision.NoHealthyNode("both down"), SCHEDULE, 6, List.of(), NOW)
                .history().isPresent());
    }
}
