package io.vipflip.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.GroupStateStore;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseLostException;
import io.vipflip.lease.LeaseStore;
import io.vipflip.policy.GroupState;
import io.vipflip.testing.LocalDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The simulation's in-memory lease and state stores give the same answers as the real ones on DynamoDB Local:
 * the same seeded sequence of acquisitions (free, held, expired, to the millisecond), checks, releases (current
 * and stale tokens) and conditional state records runs against both, and every answer must be identical — the
 * lease or its absence, its token and expiry, the item as read, a refused record.
 */
class SimStoresConformanceIT {
    private static final String GROUP = "web";
    private static final List<String> OWNERS = List.of("p0", "p1", "p2");

    @Test
    void theInMemoryStoresAnswerAsDynamoDbDoes() {
        String table = LocalDynamo.freshTable();
        LeaseStore dynamoLeases = new DynamoLeaseStore(LocalDynamo.client(), table);
        GroupStateStore dynamoStates = new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1));
        SimWorld world = new SimWorld(1L, Instant.parse("2026-11-25T00:00:00Z"));
        SimLeaseStore simLeases = new SimLeaseStore(world);
        SimStateStore simStates = new SimStateStore(simLeases);

        SplittableRandom random = new SplittableRandom(20261125L);
        Instant now = Instant.parse("2026-11-25T00:00:00.000500Z");
        Map<String, Lease> heldByOwner = new LinkedHashMap<>();
        List<String> answers = new ArrayList<>();
        int acquired = 0;
        int refusedAcquire = 0;
        int refusedRecord = 0;
        int staleRelease = 0;
        for (int i = 0; i < 400; i++) {
            // Time moves by whole and part milliseconds, sometimes exactly onto an expiry.
            now = now.plusNanos(random.nextLong(0, 4_000_000_000L));
            String owner = OWNERS.get(random.nextInt(OWNERS.size()));
            Lease mine = heldByOwner.get(owner);
            if (mine != null && random.nextInt(5) == 0) {
                now = mine.expiresAt().plusNanos(random.nextLong(-1_000_000, 1_000_000));
            }
            int op = random.nextInt(4);
            String answer;
            if (op == 0 || mine == null) {
                Duration duration = Duration.ofMillis(random.nextLong(500, 8_000));
                Optional<Lease> fromDynamo = dynamoLeases.acquire(GROUP, owner, now, duration);
                Optional<Lease> fromSim = simLeases.acquire(GROUP, owner, now, duration);
                answer = "acquire " + owner + " -> " + fromDynamo;
                assertEquals(fromDynamo, fromSim, "step " + i + ": " + answer);
                fromDynamo.ifPresent(l -> heldByOwner.put(owner, l));
                if (fromDynamo.isPresent()) {
                    acquired++;
                } else {
                    refusedAcquire++;
                }
            } else if (op == 1) {
                answer = "stillHeld " + mine + " at " + now;
                assertEquals(dynamoLeases.stillHeld(mine, now), simLeases.stillHeld(mine, now), "step " + i + ": " + answer);
            } else if (op == 2) {
                boolean fromDynamo = dynamoLeases.release(mine);
                answer = "release " + mine + " -> " + fromDynamo;
                assertEquals(fromDynamo, simLeases.release(mine), "step " + i + ": " + answer);
                staleRelease += fromDynamo ? 0 : 1;
                heldByOwner.remove(owner);
            } else {
                GroupState next = GroupState.initial().withToken(mine.token());
                String fromDynamo = record(dynamoStates, mine, now, next);
                answer = "record " + mine + " at " + now + " -> " + fromDynamo;
                assertEquals(fromDynamo, record(simStates, mine, now, next), "step " + i + ": " + answer);
                refusedRecord += fromDynamo.equals("lease lost") ? 1 : 0;
            }
            assertEquals(dynamoLeases.read(GROUP), simLeases.read(GROUP), "step " + i + " after " + answer);
            answers.add(answer);
        }
        assertTrue(acquired > 20 && refusedAcquire > 20 && refusedRecord > 5 && staleRelease > 5,
                "every kind of answer came up: acquired " + acquired + ", refused " + refusedAcquire
                        + ", records refused " + refusedRecord + ", stale releases " + staleRelease);
    }

    private static String record(GroupStateStore store, Lease lease, Instant now, GroupState next) {
        try {
            store.record(lease, now, next, Optional.empty());
            return "recorded";
        } catch (LeaseLostException lost) {
            return "lease lost";
        }
    }
}
