package io.vipflip.lease;

import io.vipflip.policy.HistoryKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.policy.GroupState;
import io.vipflip.testing.LocalDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The lease protocol against DynamoDB Local: real conditional writes over HTTP. */
class DynamoLeaseStoreIT {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(20);
    private final DynamoDbClient dynamo = LocalDynamo.client();
    private String table;
    private DynamoLeaseStore leases;

    @BeforeEach
    void freshTable() {
        table = LocalDynamo.freshTable();
        leases = new DynamoLeaseStore(dynamo, table);
    }

    @Test
    void acquiresAFreeLease_andRefusesItToOthersUntilExpiry() {
        Lease mine = leases.acquire("web", "fn-1", T0, LEASE).orElseThrow();

        assertEquals(1, mine.token());
        assertEquals(T0.plus(LEASE), mine.expiresAt());
        assertEquals(Optional.empty(), leases.acquire("web", "fn-2", T0.plusSeconds(19), LEASE));
        assertTrue(leases.acquire("other-group", "fn-2", T0, LEASE).isPresent(), "groups are independent");
    }

    /** Held means: this owner, this token, not yet expired at the caller's now — each on its own. */
    @Test
    void stillHeld_onlyForTheExactLease_untilItExpires() {
        Lease mine = leases.acquire("web", "fn-1", T0, LEASE).orElseThrow();

        assertTrue(leases.stillHeld(mine, T0.plus(LEASE).minusMillis(1)));
        assertFalse(leases.stillHeld(mine, T0.plus(LEASE)), "expired at expiresAt, nobody took it over");
        assertFalse(leases.stillHeld(new Lease("web", "fn-2", mine.token(), mine.expiresAt()), T0),
                "another owner with the same token");
        assertFalse(leases.stillHeld(new Lease("web", "fn-1", mine.token() + 1, mine.expiresAt()), T0),
                "the same owner with another token");
    }

    @Test
    void aSecondAcquireWhileHeld_fails_evenForTheSameOwner() {
        // SnapStart twins share an owner string: acquire must not be re-entrant (issue 11).
        Lease first = leases.acquire("web", "fn-1", T0, LEASE).orElseThrow();

        assertEquals(Optional.empty(), leases.acquire("web", "fn-1", T0.plusSeconds(10), LEASE));
        assertTrue(leases.stillHeld(first, T0.plusSeconds(10)), "the first holder keeps its lease and token");
        Lease afterExpiry = leases.acquire("web", "fn-1", T0.plus(LEASE).plusMillis(1), LEASE).orElseThrow();
        assertEquals(first.token() + 1, afterExpiry.token());
    }

    @Test
    void theSdksRetryOfAnAppliedAcquire_getsTheLeaseItTook_andAnotherAttemptDoesNot() {
        // The SDK resends the identical request when the first response is lost: same attempt id.
        Optional<Lease> applied = leases.acquire("web", "fn:1", T0, LEASE, "attempt-1");
        Optional<Lease> retried = leases.acquire("web", "fn:1", T0.plusMillis(300), LEASE, "attempt-1");

        assertTrue(applied.isPresent());
        assertEquals(applied, retried, "the retry sees its own applied acquire");
        assertTrue(leases.acquire("web", "fn:1", T0.plusMillis(300), LEASE, "attempt-2").isEmpty(),
                "a new attempt, even by the same owner, is refused while the lease is held");
        assertTrue(leases.acquire("web", "fn:2", T0.plusMillis(300), LEASE, "attempt-1").isEmpty(),
                "another owner never borrows an attempt id");
        assertEquals(1, leases.read("web").orElseThrow().token(), "the retry took no second token");
    }

    @Test
    void twinsWithOneOwnerString_race_andExactlyOneHoldsTheLease() throws Exception {
        int twins = 16;
        try (ExecutorService pool = Executors.newFixedThreadPool(twins)) {
            for (int round = 0; round < 5; round++) {
                String group = "web-" + round;
                CyclicBarrier start = new CyclicBarrier(twins);
                List<Future<Optional<Lease>>> attempts = new ArrayList<>();
                for (int t = 0; t < twins; t++) {
                    attempts.add(pool.submit(() -> {
                        start.await();
                        return leases.acquire(group, "fn:restored-from-one-snapshot", T0, LEASE);
                    }));
                }
                List<Lease> holders = new ArrayList<>();
                for (Future<Optional<Lease>> f : attempts) {
                    f.get().ifPresent(holders::add);
                }
                assertEquals(1, holders.size(), "round " + round + " holders: " + holders);
            }
        }
    }

    @Test
    void anExpiredLeaseIsTakenOver_andTheOldHolderCanNoLongerReleaseIt() {
        Lease old = leases.acquire("web", "fn-1", T0, LEASE).orElseThrow();
        Lease taken = leases.acquire("web", "fn-2", T0.plus(LEASE).plusMillis(1), LEASE).orElseThrow();

        assertEquals(old.token() + 1, taken.token());
        assertFalse(leases.stillHeld(old, T0.plus(LEASE).plusMillis(2)));
        assertFalse(leases.release(old), "a stale holder's release must not free the new holder's lease");
        assertTrue(leases.stillHeld(taken, T0.plus(LEASE).plusMillis(2)));
    }

    @Test
    void releaseFreesTheLease_keepsTheItem_andTokensKeepGrowing() {
        Lease first = leases.acquire("web", "fn-1", T0, LEASE).orElseThrow();
        assertTrue(leases.release(first));

        LeaseRecord record = leases.read("web").orElseThrow();
        assertEquals(Optional.empty(), record.owner());
        assertEquals(1, record.token(), "the item stays, with its token");
        Lease second = leases.acquire("web", "fn-2", T0.plusSeconds(1), LEASE).orElseThrow();
        assertEquals(2, second.token());
    }

    @Test
    void aStaleHoldersStateWrite_isRejected_andChangesNothing() {
        DynamoGroupStateStore states = new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1));
        Lease old = leases.acquire("web", "fn-1", T0, LEASE).orElseThrow();
        Instant takeover = T0.plus(LEASE).plusSeconds(1);
        Lease current = leases.acquire("web", "fn-2", takeover, LEASE).orElseThrow();
        states.record(current, takeover, GroupState.initial().withFlip(takeover, current.token()), Optional.empty());

        HistoryEvent stale = new HistoryEvent("web", takeover, old.token(), HistoryKind.FLIP, "schedule", Optional.of("a"),
                Optional.of("b"), "stale", List.of(), Map.of());
        assertThrows(LeaseLostException.class, () -> states.record(old, takeover,
                GroupState.initial().withPaused(true, Optional.of("stale")), Optional.of(stale)));

        GroupState stored = states.read("web");
        assertFalse(stored.paused());
        assertEquals(current.token(), stored.lastToken());
        assertEquals(List.of(), states.history("web", 10));
    }

    @Test
    void aHoldersWriteIsRejected_onceItsLeaseHasExpired_evenIfNobodyTookItOver() {
        DynamoGroupStateStore states = new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1));
        Lease lease = leases.acquire("web", "fn-1", T0, LEASE).orElseThrow();

        assertThrows(LeaseLostException.class,
                () -> states.record(lease, T0.plus(LEASE).plusMillis(1), GroupState.initial(), Optional.empty()));
    }

    /**
     * Not a judge under mutation testing ({@code vipflip.pit}): 7 s per run, and every mutant of the store it could
     * kill is killed by the single-threaded cases above (the conditions themselves are pinned below).
     */
    @Test
    @DisabledIfSystemProperty(named = "vipflip.pit", matches = "true")
    void thirtyTwoThreadsRace_exactlyOneWinsEachRound_withStrictlyIncreasingTokens() throws Exception {
        int threads = 32;
        long lastToken = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int round = 0; round < 5; round++) {
                Instant now = T0.plus(LEASE.multipliedBy(round)).plusSeconds(round); // previous lease expired
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Optional<Lease>>> attempts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String owner = "fn-" + round + "-" + t;
                    Callable<Optional<Lease>> attempt = () -> {
                        start.await();
                        return leases.acquire("web", owner, now, LEASE);
                    };
                    attempts.add(pool.submit(attempt));
                }
                List<Lease> winners = new ArrayList<>();
                for (Future<Optional<Lease>> f : attempts) {
                    f.get().ifPresent(winners::add);
                }
                assertEquals(1, winners.size(), "round " + round + " winners: " + winners);
                assertTrue(winners.getFirst().token() > lastToken);
                lastToken = winners.getFirst().token();
            }
        }
    }

    @Test
    void conditionExpressionsAreTheDocumentedOnes() {
        assertEquals("attribute_not_exists(#owner) OR #expiresAt < :now",
                DynamoLeaseStore.ACQUIRE_CONDITION);
        assertEquals("#owner = :me AND #token = :token", DynamoLeaseStore.RELEASE_CONDITION);
    }
}
