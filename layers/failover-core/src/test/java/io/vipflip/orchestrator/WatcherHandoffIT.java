package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.DynamoWatcherStore;
import io.vipflip.history.WatcherRecord;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.testing.InMemoryRouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
/** The watcher hand-off (issue 13 §1), turn by turn, on DynamoDB Local with a driven clock. */
class WatcherHandoffIT {
    private static final WatcherTurn.Settings SETTINGS = WatcherTurn.Settings.DEFAULT;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final String table = LocalDynamo.freshTable();
    private final DynamoWatcherStore store = new DynamoWatcherStore(LocalDynamo.client(), table);
    private WatcherTurn turn(String me, Duration budget) {
        return new WatcherTurn(store, me, clock.instant().plus(budget), SETTINGS);
    }

    @Test
    void theFirstInvocation_claimsTheFreeItemAtOnce() {
        WatcherTurn first = turn("env-1/a", Duration.ofSeconds(60));

        WatcherTurn.Step step = first.step(clock.instant());

        assertInstanceOf(WatcherTurn.Watch.class, step);
        assertEquals("env-1/a", store.read().orElseThrow().owner());
        assertFalse(first.tookOverWithoutHandOver());
    }

    @Test
    void aNewInvocation_asksAndWaits_theOwnerHandsOverItsCadence_andTheSuccessorWatchesFromThere() {
        WatcherTurn owner = turn("env-1/a", Duration.ofSeconds(60));
        owner.step(clock.instant());
        clock.advance(Duration.ofSeconds(20)); // within the stale limit (30 s) of its last heartbeat
        WatcherTurn successor = turn("env-2/b", Duration.ofSeconds(60));
        Instant successorUntil = clock.instant().plusSeconds(60);

        assertInstanceOf(WatcherTurn.Wait.class, successor.step(clock.instant()), "the owner still watches");
        assertFalse(successor.watching());
        clock.advance(Duration.ofMillis(400));
        WatcherTurn.Step ownerSees = owner.step(clock.instant());
        assertEquals(new WatcherTurn.HandOver("env-2/b"), ownerSees);
        Instant due = clock.instant().plusMillis(450);
        assertInstanceOf(WatcherTurn.Stop.class, owner.handedOver(clock.instant(), Map.of("web", due)));
        assertFalse(owner.watching());
        clock.advance(Duration.ofMillis(100));
        WatcherTurn.Step taken = successor.step(clock.instant());

        WatcherTurn.Watch watch = assertInstanceOf(WatcherTurn.Watch.class, taken);
        assertEquals(Map.of("web", due), watch.handedRounds(), "the next round is due when the owner would have run it");
        assertFalse(successor.tookOverWithoutHandOver());
        WatcherRecord item = store.read().orElseThrow();
        assertEquals("env-2/b", item.owner());
        assertEquals(successorUntil, item.watchingUntil(), "the successor's own budget end");
    }

    @Test
    void anOwnerThatDoesNotAnswer_isTakenOverAfterTheRelieveWait_andStopsAtItsNextCheck() {
        WatcherTurn frozen = turn("env-1/a", Duration.ofSeconds(120));
        frozen.step(clock.instant());
        clock.advance(Duration.ofSeconds(5));
        WatcherTurn successor = turn("env-2/b", Duration.ofSeconds(120));
        successor.step(clock.instant());

        clock.advance(SETTINGS.relieveWait().minusMillis(1));
        assertInstanceOf(WatcherTurn.Wait.class, successor.step(clock.instant()), "still within the relieve wait");
        clock.advance(Duration.ofMillis(1));
        WatcherTurn.Step forced = successor.step(clock.instant());

        WatcherTurn.Watch watch = assertInstanceOf(WatcherTurn.Watch.class, forced);
        assertEquals(Map.of(), watch.handedRounds(), "nothing was handed over");
        assertTrue(successor.tookOverWithoutHandOver());
        WatcherTurn.Step thawed = frozen.step(clock.instant().plusSeconds(3));
        assertInstanceOf(WatcherTurn.Stop.class, thawed, "the old owner stops as soon as it looks");
        assertFalse(frozen.watching());
    }

    @Test
    void theNewestAskerWins_theDisplacedOneStopsWithoutEverWatching() {
        WatcherTurn owner = turn("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        WatcherTurn late = turn("env-2/b", Duration.ofSeconds(120));
        late.step(clock.instant());
        clock.advance(Duration.ofMillis(300));
        WatcherTurn newest = turn("env-3/c", Duration.ofSeconds(120));
        newest.step(clock.instant());

        assertInstanceOf(WatcherTurn.Stop.class, late.step(clock.instant()));
        assertEquals(new WatcherTurn.HandOver("env-3/c"), owner.step(clock.instant()));
        owner.handedOver(clock.instant(), Map.of());
        assertInstanceOf(WatcherTurn.Watch.class, newest.step(clock.instant()));
        assertFalse(late.watching());
    }

    @Test
    void snapStartTwins_withOneEnvironmentIdentity_areTwoInvocations_andOnlyOneWatches() {
        // Twins restored from one snapshot before afterRestore ran would share the environment string.
        WatchLoop.Handoff handoff = new WatchLoop.Handoff(store, () -> "env-snapshot", SETTINGS);
        WatcherTurn one = handoff.turn(clock.instant().plusSeconds(60));
        WatcherTurn two = handoff.turn(clock.instant().plusSeconds(60));

        WatcherTurn.Step first = one.step(clock.instant());
        WatcherTurn.Step second = two.step(clock.instant());

        assertNotEquals(one.me(), two.me());
        assertInstanceOf(WatcherTurn.Watch.class, first);
        assertInstanceOf(WatcherTurn.Wait.class, second, "the twin asks to take over instead of watching too");
    }

    @Test
    void anOwnerNotHeardOfForTheStaleLimit_isClaimedWithoutWaiting_whileHeartbeatsKeepItsTurn() {
        WatcherTurn alive = turn("env-1/a", Duration.ofSeconds(300));
        alive.step(clock.instant());
        for (int second = 1; second <= 40; second++) {
            clock.advance(Duration.ofSeconds(1));
            alive.step(clock.instant());
        }
        WatcherTurn asker = turn("env-2/b", Duration.ofSeconds(60));
        assertInstanceOf(WatcherTurn.Wait.class, asker.step(clock.instant()), "heartbeats every 10 s: alive");

        WatcherTurn dead = turn("env-3/c", Duration.ofSeconds(300));
        String otherTable = LocalDynamo.freshTable();
        DynamoWatcherStore other = new DynamoWatcherStore(LocalDynamo.client(), otherTable);
        WatcherTurn died = new WatcherTurn(other, "env-3/c", clock.instant().plusSeconds(300), SETTINGS);
        died.step(clock.instant());
        clock.advance(SETTINGS.staleAfter());
        WatcherTurn next = new WatcherTurn(other, "env-4/d", clock.instant().plusSeconds(60), SETTINGS);

        assertInstanceOf(WatcherTurn.Watch.class, next.step(clock.instant()), "no heartbeat for 30 s: claimed at once");
        assertFalse(dead.watching());
    }

    @Test
    void whenItsBudgetEnds_theOwnerHandsToAWaitingSuccessor_orFreesTheItemForTheNextOne() {
        WatcherTurn owner = turn("env-1/a", Duration.ofSeconds(60));
        owner.step(clock.instant());
        clock.advance(Duration.ofSeconds(57));
        owner.finish(clock.instant(), Map.of("web", clock.instant()));
        clock.advance(Duration.ofSeconds(1));

        WatcherTurn next = turn("env-2/b", Duration.ofSeconds(60));
        assertInstanceOf(WatcherTurn.Watch.class, next.step(clock.instant()), "freed: claimed without waiting");

        WatcherTurn waiting = turn("env-3/c", Duration.ofSeconds(60));
        waiting.step(clock.instant());
        next.finish(clock.instant(), Map.of("web", clock.instant().plusMillis(300)));
        WatcherTurn.Watch handed = assertInstanceOf(WatcherTurn.Watch.class, waiting.step(clock.instant()));
        assertEquals(Map.of("web", clock.instant().plusMillis(300)), handed.handedRounds());
    }

}
