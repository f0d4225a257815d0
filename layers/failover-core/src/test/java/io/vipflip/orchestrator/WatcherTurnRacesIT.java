package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.history.DynamoWatcherStore;
import io.vipflip.history.WatcherRecord;
import io.vipflip.history.WatcherStore;
import io.vipflip.history.WatcherWriteUnknownException;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The watcher item's races on DynamoDB Local's conditional writes (issue 13 §1): another invocation writes between
 * a turn's read and its write, or a write's call goes wrong after or before it landed (decision 58). Each turn must
 * go on from what the item says, never from what it believed, and never take the watch from a newer invocation;
 * the exact instants it answers are the cadence the watch loop keeps.
 */
class WatcherTurnRacesIT {
    private static final WatcherTurn.Settings SETTINGS = WatcherTurn.Settings.DEFAULT;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final String table = LocalDynamo.freshTable();
    /** The item as the other invocations reach it. */
    private final DynamoWatcherStore item = new DynamoWatcherStore(LocalDynamo.client(), table);
    /** Run when the next PutItem's answer is lost, before the SDK resends it (null: answers are not lost). */
    private final AtomicReference<Runnable> beforeResend = new AtomicReference<>();
    private final AtomicInteger puts = new AtomicInteger();
    /** The turn under test's store: the production client through an interceptor that can lose an answer. */
    private final Interleaved store = new Interleaved(new DynamoWatcherStore(LocalDynamo.clientWith(
            new ExecutionInterceptor() {
                @Override
                public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
                                                          ExecutionAttributes attributes) {
                    if (!(context.request() instanceof PutItemRequest)) {
                        return context.httpResponse();
                    }
                    puts.incrementAndGet();
                    Runnable meanwhile = beforeResend.getAndSet(null);
                    if (meanwhile == null) {
                        return context.httpResponse();
                    }
                    // The item was written; the caller sees a 500 instead of the answer, and the SDK resends it.
                    meanwhile.run();
                    return context.httpResponse().toBuilder().statusCode(500).build();
                }
            }), table));

    /** How the next write's call goes wrong after (or before) DynamoDB saw it. */
    private enum LostCall {
        /** It lands, and the call fails without an answer (the SDK's attempts or the call's bound spent). */
        GAVE_UP_AFTER_LANDING,
        /** The call fails without an answer, and the write never reached DynamoDB. */
        GAVE_UP_BEFORE_LANDING
    }

    /**
     * The real store, with a competitor that acts between a turn's read and its next write, or a next write whose
     * call goes wrong.
     */
    private static final class Interleaved implements WatcherStore {
        private final WatcherStore real;
        private Runnable beforeNextWrite;
        private LostCall nextCall;

        Interleaved(WatcherStore real) {
            this.real = real;
        }

        @Override
        public Optional<WatcherRecord> read() {
            return real.read();
        }

        @Override
        public boolean write(long expectedVersion, WatcherRecord next) {
            Runnable competitor = beforeNextWrite;
            beforeNextWrite = null;
            if (competitor != null) {
                competitor.run();
            }
            LostCall lost = nextCall;
            nextCall = null;
            if (lost == LostCall.GAVE_UP_BEFORE_LANDING) {
                throw SdkClientException.create("Unable to execute HTTP request: connect timed out (injected)");
            }
            boolean landed = real.write(expectedVersion, next);
            if (lost == LostCall.GAVE_UP_AFTER_LANDING) {
                throw SdkClientException.create("Unable to execute HTTP request: Read timed out (injected)");
            }
            return landed;
        }
    }

    private WatcherTurn turn(String me, Duration budget) {
        return new WatcherTurn(store, me, clock.instant().plus(budget), SETTINGS);
    }

    /** A turn of another invocation, on the item directly: its writes are not interleaved. */
    private WatcherTurn other(String me, Duration budget) {
        return new WatcherTurn(item, me, clock.instant().plus(budget), SETTINGS);
    }

    private WatcherRecord current() {
        return item.read().orElseThrow();
    }

    @Test
    void twoInvocationsClaimTheFreeItem_theLoserReadsAgainAtOnce_andAsksToTakeOver() {
        WatcherTurn loser = turn("env-1/a", Duration.ofSeconds(60));
        WatcherTurn winner = other("env-2/b", Duration.ofSeconds(60));
        store.beforeNextWrite = () -> winner.step(clock.instant());

        WatcherTurn.Step lost = loser.step(clock.instant());

        assertEquals(new WatcherTurn.Wait(clock.instant()), lost, "read again now, not after a poll");
        assertFalse(loser.watching());
        assertEquals("env-2/b", current().owner());
        WatcherTurn.Step asked = loser.step(clock.instant());
        assertEquals(new WatcherTurn.Wait(clock.instant().plus(SETTINGS.pollEvery())), asked);
        assertEquals("env-1/a", current().successor().orElseThrow().owner());
    }

    @Test
    void anAskThatMeetsTheOwnersHeartbeat_readsAgainAtOnce_andAsksOnTheNewVersion() {
        WatcherTurn owner = other("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        clock.advance(SETTINGS.heartbeatEvery());
        WatcherTurn asker = turn("env-2/b", Duration.ofSeconds(60));
        store.beforeNextWrite = () -> owner.step(clock.instant()); // its heartbeat bumps the version first

        WatcherTurn.Step lost = asker.step(clock.instant());

        assertEquals(new WatcherTurn.Wait(clock.instant()), lost);
        assertEquals(clock.instant(), current().heartbeatAt(), "the heartbeat won");
        assertTrue(current().successor().isEmpty());
        clock.advance(Duration.ofMillis(20));
        assertEquals(new WatcherTurn.Wait(clock.instant().plus(SETTINGS.pollEvery())), asker.step(clock.instant()));
        assertEquals("env-2/b", current().successor().orElseThrow().owner());
        assertEquals(new WatcherTurn.HandOver("env-2/b"), owner.step(clock.instant()));
    }

    @Test
    void anAskWhoseAnswerWasLost_isRecognisedOnTheResend_andTheRelieveWaitCountsFromTheAsk() {
        WatcherTurn silentOwner = other("env-1/a", Duration.ofSeconds(120));
        silentOwner.step(clock.instant());
        WatcherTurn asker = turn("env-2/b", Duration.ofSeconds(60));
        Instant asked = clock.instant();
        beforeResend.set(() -> { });

        assertEquals(new WatcherTurn.Wait(asked.plus(SETTINGS.pollEvery())), asker.step(asked),
                "the resent copy met our own ask: it landed");
        assertEquals(2, puts.get(), "the SDK resent the PutItem whose answer was lost");
        assertEquals(asked, current().successor().orElseThrow().askedAt());
        Instant giveUp = asked.plus(SETTINGS.relieveWait());
        clock.set(giveUp.minusMillis(40));
        assertEquals(new WatcherTurn.Wait(giveUp), asker.step(clock.instant()),
                "the last poll is cut to the end of the relieve wait");
        clock.set(giveUp);
        beforeResend.set(() -> { });
        WatcherTurn.Watch forced = assertInstanceOf(WatcherTurn.Watch.class, asker.step(clock.instant()));

        assertEquals(giveUp.plus(SETTINGS.checkEvery()), forced.nextCheck());
        assertTrue(asker.tookOverWithoutHandOver(), "a forced take-over, though its answer too was lost");
        assertEquals("env-2/b", current().owner());
    }

    @Test
    void anAskWhoseCallGaveUpAfterItLanded_isFoundOnTheItem_andWaitsForTheHandOver() {
        WatcherTurn owner = other("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        WatcherTurn asker = turn("env-2/b", Duration.ofSeconds(60));
        store.nextCall = LostCall.GAVE_UP_AFTER_LANDING;

        assertThrows(SdkClientException.class, () -> asker.step(clock.instant()));
        clock.advance(Duration.ofMillis(100));
        assertEquals(new WatcherTurn.Wait(clock.instant().plus(SETTINGS.pollEvery())), asker.step(clock.instant()),
                "its own ask is on the item: it waits, asking nothing twice");
        assertEquals(new WatcherTurn.HandOver("env-2/b"), owner.step(clock.instant()));
        owner.handedOver(clock.instant(), Map.of());

        assertInstanceOf(WatcherTurn.Watch.class, asker.step(clock.instant()));
        assertFalse(asker.tookOverWithoutHandOver());
    }

    @Test
    void anAskWhoseAnswerWasLost_andANewerAskLandedBeforeTheResend_isUnknown_andTheAskerStopsLeavingTheNewerOne() {
        WatcherTurn owner = other("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        WatcherTurn asker = turn("env-2/b", Duration.ofSeconds(60));
        WatcherTurn newer = other("env-3/c", Duration.ofSeconds(60));
        beforeResend.set(() -> newer.step(clock.instant()));

        assertThrows(WatcherWriteUnknownException.class, () -> asker.step(clock.instant()),
                "the resent copy met another ask: ours may have landed and been replaced");
        clock.advance(Duration.ofMillis(100));
        long version = current().version();
        WatcherTurn.Stop stop = assertInstanceOf(WatcherTurn.Stop.class, asker.step(clock.instant()));

        assertTrue(stop.why().contains("newer invocation"), stop.why());
        assertEquals(version, current().version(), "it asked nothing again");
        assertEquals(new WatcherTurn.HandOver("env-3/c"), owner.step(clock.instant()));
    }

    /** env-2/b asks the owner to take over; the call fails without an answer, before DynamoDB saw it. */
    private WatcherTurn askThatGaveUpBeforeLanding() {
        WatcherTurn asker = turn("env-2/b", Duration.ofSeconds(60));
        store.nextCall = LostCall.GAVE_UP_BEFORE_LANDING;
        assertThrows(SdkClientException.class, () -> asker.step(clock.instant()));
        clock.advance(Duration.ofMillis(100));
        return asker;
    }

    @Test
    void anAskWhoseCallGaveUpBeforeItLanded_asksAgain_asTheItemIsStillAtTheVersionItAskedOn() {
        WatcherTurn owner = other("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        WatcherTurn asker = askThatGaveUpBeforeLanding();

        assertEquals(new WatcherTurn.Wait(clock.instant().plus(SETTINGS.pollEvery())), asker.step(clock.instant()));

        assertEquals("env-2/b", current().successor().orElseThrow().owner());
        assertEquals(clock.instant(), current().successor().orElseThrow().askedAt(), "the relieve wait counts from here");
        assertEquals(new WatcherTurn.HandOver("env-2/b"), owner.step(clock.instant()));
    }

    @Test
    void anAskWhoseCallGaveUpBeforeItLanded_neverDisplacesANewerAsk() {
        WatcherTurn owner = other("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        WatcherTurn asker = askThatGaveUpBeforeLanding();
        WatcherTurn newer = other("env-3/c", Duration.ofSeconds(60));
        newer.step(clock.instant());
        long version = current().version();

        WatcherTurn.Stop stop = assertInstanceOf(WatcherTurn.Stop.class, asker.step(clock.instant()));

        assertTrue(stop.why().contains("newer invocation"), stop.why());
        assertEquals(version, current().version(), "it asked nothing again");
        assertEquals("env-3/c", current().successor().orElseThrow().owner());
        assertFalse(asker.watching());
    }

    @Test
    void aSuccessorWithLessThanARelieveWaitOfBudgetLeft_isHandedNothing_andStopsWhenItsBudgetEnds() {
        WatcherTurn owner = other("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        Instant asked = clock.instant();
        WatcherTurn shortLived = turn("env-2/b", SETTINGS.relieveWait());
        shortLived.step(clock.instant());
        clock.advance(Duration.ofMillis(100));

        assertEquals(new WatcherTurn.Watch(clock.instant().plus(SETTINGS.checkEvery()), Map.of()),
                owner.step(clock.instant()), "it would stop before it could use the watch: the owner watches on");
        clock.set(asked.plus(SETTINGS.relieveWait()));
        long version = current().version();
        WatcherTurn.Stop stop = assertInstanceOf(WatcherTurn.Stop.class, shortLived.step(clock.instant()));

        assertTrue(stop.why().contains("budget ended"), stop.why());
        assertFalse(shortLived.watching());
        assertEquals(version, current().version(), "its stop writes nothing");
        assertEquals(new WatcherTurn.Stop("done"), shortLived.step(clock.instant()), "and it stays stopped");
        owner.finish(clock.instant(), Map.of("web", clock.instant()));
        assertEquals("env-1/a", current().owner(), "at its end the owner frees the item, handing it to nobody");
        assertEquals(clock.instant(), current().watchingUntil());
    }

    @Test
    void aSuccessorWhoseBudgetRanShortWhileTheCountersWereWritten_isNotHandedTheWatch() {
        WatcherTurn owner = turn("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        WatcherTurn asker = other("env-2/b", SETTINGS.relieveWait().plusMillis(500));
        asker.step(clock.instant());
        assertEquals(new WatcherTurn.HandOver("env-2/b"), owner.step(clock.instant()));
        clock.advance(Duration.ofSeconds(1)); // the counters' writes, throttled

        WatcherTurn.Step after = owner.handedOver(clock.instant(), Map.of());

        assertEquals(new WatcherTurn.Watch(clock.instant().plus(SETTINGS.checkEvery()), Map.of()), after);
        assertTrue(owner.watching());
        assertEquals("env-1/a", current().owner());
    }

    @Test
    void aSuccessorThatSeesTheHandOverOnlyAfterItsBudgetEnded_stops_andTheItemIsFreeForTheNextInvocation() {
        WatcherTurn owner = other("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        WatcherTurn frozen = turn("env-2/b", SETTINGS.relieveWait().plusSeconds(1));
        frozen.step(clock.instant());
        assertEquals(new WatcherTurn.HandOver("env-2/b"), owner.step(clock.instant()));
        owner.handedOver(clock.instant(), Map.of());
        clock.advance(SETTINGS.relieveWait().plusSeconds(1)); // it polls again only now
        long version = current().version();

        WatcherTurn.Stop stop = assertInstanceOf(WatcherTurn.Stop.class, frozen.step(clock.instant()));

        assertTrue(stop.why().contains("as the watch was handed over"), stop.why());
        assertFalse(frozen.watching());
        assertEquals(version, current().version(), "nothing to write: the item ends with its budget");
        assertInstanceOf(WatcherTurn.Watch.class, other("env-3/c", Duration.ofSeconds(60)).step(clock.instant()),
                "the next invocation claims it without waiting");
    }

    @Test
    void aReleaseThatLosesToANewAsk_handsTheWatchToTheAsker() {
        WatcherTurn owner = turn("env-1/a", Duration.ofSeconds(25));
        owner.step(clock.instant());
        clock.advance(Duration.ofSeconds(20)); // its budget's end, within the stale limit of its last heartbeat
        WatcherTurn asker = other("env-2/b", Duration.ofSeconds(60));
        store.beforeNextWrite = () -> asker.step(clock.instant());
        Instant due = clock.instant().plusMillis(300);

        owner.finish(clock.instant(), Map.of("web", due));

        WatcherTurn.Watch taken = assertInstanceOf(WatcherTurn.Watch.class, asker.step(clock.instant()),
                "handed at once, not after its relieve wait");
        assertEquals(Map.of("web", due), taken.handedRounds());
        assertFalse(asker.tookOverWithoutHandOver());
    }

    @Test
    void theOwnersHeartbeat_isWrittenExactlyWhenDue_andNotBefore() {
        WatcherTurn owner = turn("env-1/a", Duration.ofSeconds(120));
        Instant claimed = clock.instant();
        owner.step(claimed);
        long version = current().version();

        clock.set(claimed.plus(SETTINGS.heartbeatEvery()).minusMillis(1));
        assertEquals(new WatcherTurn.Watch(clock.instant().plus(SETTINGS.checkEvery()), Map.of()),
                owner.step(clock.instant()));
        assertEquals(claimed, current().heartbeatAt(), "not due yet: no write");
        assertEquals(version, current().version());
        clock.set(claimed.plus(SETTINGS.heartbeatEvery()));
        owner.step(clock.instant());

        assertEquals(clock.instant(), current().heartbeatAt());
        assertEquals(version + 1, current().version());
    }

    @Test
    void aHeartbeatThatLosesToAnAsk_looksAgainAtOnce_andHandsOver() {
        WatcherTurn owner = turn("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        clock.advance(SETTINGS.heartbeatEvery());
        WatcherTurn asker = other("env-2/b", Duration.ofSeconds(60));
        store.beforeNextWrite = () -> asker.step(clock.instant());

        WatcherTurn.Step lost = owner.step(clock.instant());

        assertEquals(new WatcherTurn.Watch(clock.instant(), Map.of()), lost, "look again now, not a check later");
        assertEquals(new WatcherTurn.HandOver("env-2/b"), owner.step(clock.instant()));
    }

    @Test
    void aHandOverThatLosesToANewerAsk_handsToTheNewestAsker() {
        WatcherTurn owner = turn("env-1/a", Duration.ofSeconds(120));
        owner.step(clock.instant());
        WatcherTurn first = other("env-2/b", Duration.ofSeconds(60));
        first.step(clock.instant());
        assertEquals(new WatcherTurn.HandOver("env-2/b"), owner.step(clock.instant()));
        clock.advance(Duration.ofMillis(50));
        WatcherTurn newest = other("env-3/c", Duration.ofSeconds(60));
        store.beforeNextWrite = () -> newest.step(clock.instant());
        Instant due = clock.instant().plusMillis(200);

        WatcherTurn.Step again = owner.handedOver(clock.instant(), Map.of("web", due));

        assertEquals(new WatcherTurn.HandOver("env-3/c"), again, "the item changed: it looks again");
        assertTrue(owner.watching());
        assertEquals("env-1/a", current().owner(), "not handed to the displaced asker");
        assertInstanceOf(WatcherTurn.Stop.class, owner.handedOver(clock.instant(), Map.of("web", due)));
        WatcherTurn.Watch taken = assertInstanceOf(WatcherTurn.Watch.class, newest.step(clock.instant()));
        assertEquals(Map.of("web", due), taken.handedRounds());
        assertInstanceOf(WatcherTurn.Stop.class, first.step(clock.instant()));
    }
}
