package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseRecord;
import io.vipflip.lease.LeaseStore;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.policy.Trigger;
import io.vipflip.route.Ec2RouteTables;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A Lambda invocation ends at its timeout, lease or not. A leased action must finish (record and release
 * included) before then: its lease is shortened to end by the invocation's end less the end margin, and not
 * taken at all when even the shortest lease that can write does not fit (issue 11). Virtual clock.
 */
class InvocationDeadlineIT {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    /** The real lease store, remembering every lease it handed out. */
    private record Recording(DynamoLeaseStore real, List<Lease> taken) implements LeaseStore {
        public Optional<Lease> acquire(String group, String owner, Instant now, Duration duration) {
            Optional<Lease> lease = real.acquire(group, owner, now, duration);
            lease.ifPresent(taken::add);
            return lease;
        }

        public boolean stillHeld(Lease lease, Instant now) {
            return real.stillHeld(lease, now);
        }

        public boolean release(Lease lease) {
            return real.release(lease);
        }

        public Optional<LeaseRecord> read(String group) {
            return real.read(group);
        }
    }

    @Test
    void tooLittleTimeLeftForTheShortestLease_noLeaseIsTaken_andNothingIsWritten() {
        try (ReliabilityWorld world = new ReliabilityWorld(3, 1, 1)) {
            Orchestrator orchestrator = world.orchestrator("fn", clock);
            world.kill("a");

            // 10 s lease, shortest useful one 6.2 s (probe 200 + re-read 1000 + write 1000 + settle 2000 + skew 2000)
            RunResult result = orchestrator.run("web", new Trigger.Scheduled(), false, clock.instant().plusMillis(6199));

            assertEquals(Outcome.NO_TIME, result.outcome());
            assertEquals(Optional.empty(), world.leases().read("web"), "no lease taken");
            assertEquals(0, world.endpoint.calls().writes());
            assertTrue(world.allOn(ReliabilityWorld.ENI_A));
        }
    }

    @Test
    void someTimeLeft_theLeaseIsShortenedToEndWithTheInvocation_andTheFlipHappens() {
        try (ReliabilityWorld world = new ReliabilityWorld(3, 1, 1)) {
            List<Lease> taken = new ArrayList<>();
            Orchestrator orchestrator = world.orchestrator("fn", clock, new Ec2RouteTables(world.ec2),
                    new Recording(world.leases(), taken));
            world.kill("a");
            Instant mustEndBy = clock.instant().plusSeconds(7);

            RunResult result = orchestrator.run("web", new Trigger.Scheduled(), false, mustEndBy);

            assertEquals(Outcome.FLIPPED, result.outcome(), result.decision().reason());
            assertEquals(mustEndBy, taken.getFirst().expiresAt(), "the 10 s lease was cut to the invocation's end");
        }
    }

    @Test
    void aWatchLoopNearItsEnd_startsNoLeasedAction_thatItsTimeoutWouldCut() {
        try (ReliabilityWorld world = new ReliabilityWorld(3, 1, 1)) {
            List<Lease> taken = new ArrayList<>();
            Orchestrator orchestrator = world.orchestrator("fn", clock, new Ec2RouteTables(world.ec2),
                    new Recording(world.leases(), taken));
            world.kill("a");
            WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);
            List<Outcome> outcomes = new ArrayList<>();

            // 8 s left: rounds until 5 s, leased actions would have to end by 5 s (3 s end margin): none fits.
            loop.run(Duration.ofSeconds(8), r -> outcomes.add(r.outcome()));

            assertFalse(outcomes.isEmpty());
            assertTrue(outcomes.stream().allMatch(o -> o == Outcome.NO_TIME), outcomes.toString());
            assertEquals(List.of(), taken);
            assertEquals(0, world.endpoint.calls().writes());
        }
    }

    @Test
    void aWatchLoopWithTimeLeft_flips_underALeaseThatEndsBeforeTheInvocation() {
        try (ReliabilityWorld world = new ReliabilityWorld(3, 1, 1)) {
            List<Lease> taken = new ArrayList<>();
            Orchestrator orchestrator = world.orchestrator("fn", clock, new Ec2RouteTables(world.ec2),
                    new Recording(world.leases(), taken));
            world.kill("a");
            Instant invocationEnd = clock.instant().plusSeconds(12);
            WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);

            WatchLoop.Summary summary = loop.run(Duration.ofSeconds(12), r -> { });

            assertTrue(summary.notable().stream().anyMatch(r -> r.outcome() == Outcome.FLIPPED), summary.toString());
            assertTrue(world.allOn(ReliabilityWorld.ENI_B));
            assertFalse(taken.getFirst().expiresAt().isAfter(invocationEnd.minusSeconds(3)),
                    taken.getFirst() + " must end by the invocation's end less the margin");
        }
    }
}
