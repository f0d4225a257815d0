package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.health.GroupHealth;
import io.vipflip.history.GroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.Lease;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.GroupState;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.Ec2RouteTables;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A failure after the route writes were sent (the record's transaction cancelled by a concurrent write, as
 * DynamoDB does when an acquire attempt or a hand-over touches the same items) must neither release the lease
 * while a write may still land nor lose the flip from history (issue 11; review of the one-writer design).
 */
class FailureAfterWritesIT {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    /** The real DynamoDB store, whose record fails {@code failures} times with a non-lease error. */
    private static final class ConflictingStore implements GroupStateStore {
        private final GroupStateStore real;
        private final AtomicInteger failures;
        private final boolean unreachable;

        ConflictingStore(GroupStateStore real, int failures, boolean unreachable) {
            this.real = real;
            this.failures = new AtomicInteger(failures);
            this.unreachable = unreachable;
        }

        @Override
        public GroupState read(String group) {
            return real.read(group);
        }

        @Override
        public void record(Lease lease, Instant now, GroupState state, Optional<HistoryEvent> event) {
            if (event.isPresent() && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("TransactionCanceledException: [TransactionConflict]");
            }
            real.record(lease, now, state, event);
        }

        @Override
        public void recordAfterLeaseLost(HistoryEvent event) {
            if (unreachable) {
                throw new IllegalStateException("DynamoDB unreachable");
            }
            real.recordAfterLeaseLost(event);
        }

        @Override
        public void handOver(String group, GroupHealth health) {
            real.handOver(group, health);
        }

        @Override
        public List<HistoryEvent> history(String group, int limit) {
            return real.history(group, limit);
        }
    }

    private Orchestrator orchestrator(ReliabilityWorld world, GroupStateStore states) {
        return new Orchestrator(world.config, new Ec2NodeResolver(world.ec2), new TcpProber(),
                new Ec2RouteTables(world.ec2), world.leases(), states, clock, "holder");
    }

    @Test
    void aRecordThatFailsOnce_isTriedAgain_andTheFlipIsRecordedWithItsState() {
        try (ReliabilityWorld world = new ReliabilityWorld(2, 1, 1)) {
            Orchestrator holder = orchestrator(world, new ConflictingStore(world.states(), 1, false));
            clock.advance(Duration.ofMillis(500));
            holder.run("web", new Trigger.Scheduled());
            clock.advance(Duration.ofMillis(500));

            RunResult flip = holder.run("web", new Trigger.ManualFailover("b", "drill", false));

            assertEquals(Outcome.FLIPPED, flip.outcome(), flip.decision().toString());
            assertTrue(world.allOn(ReliabilityWorld.ENI_B), world.routes().toString());
            assertTrue(world.history().stream().anyMatch(e -> e.token() == flip.token()
                    && !e.reason().endsWith(HistoryEvent.AFTER_LEASE_LOST)), world.history().toString());
            assertTrue(world.states().read("web").pin().isPresent(), "the failover's state (its pin) was recorded");
        }
    }

    @Test
    void aRecordThatKeepsFailing_stillPutsTheFlipInHistory() {
        try (ReliabilityWorld world = new ReliabilityWorld(2, 1, 1)) {
            Orchestrator holder = orchestrator(world, new ConflictingStore(world.states(), 2, false));
            clock.advance(Duration.ofMillis(500));
            holder.run("web", new Trigger.Scheduled());
            clock.advance(Duration.ofMillis(500));

            RunResult flip = holder.run("web", new Trigger.ManualFailover("b", "drill", false));

            assertTrue(world.allOn(ReliabilityWorld.ENI_B), world.routes().toString());
            assertTrue(world.history().stream().anyMatch(e -> e.token() == flip.token()
                    && e.reason().endsWith(HistoryEvent.AFTER_LEASE_LOST)), world.history().toString());
        }
    }

    @Test
    void aFailureAfterTheWritesWereSent_keepsTheLeaseUntilItExpires() {
        try (ReliabilityWorld world = new ReliabilityWorld(2, 1, 1)) {
            Orchestrator holder = orchestrator(world, new ConflictingStore(world.states(), 2, true));
            clock.advance(Duration.ofMillis(500));
            holder.run("web", new Trigger.Scheduled());
            clock.advance(Duration.ofMillis(500));

            assertThrows(RuntimeException.class,
                    () -> holder.run("web", new Trigger.ManualFailover("b", "drill", false)));

            assertTrue(world.allOn(ReliabilityWorld.ENI_B), world.routes().toString());
            // Not released: no successor acts before the lease expires, whatever the failed run's writes do.
            assertTrue(world.leases().acquire("web", "successor", clock.instant(), Duration.ofSeconds(5)).isEmpty(),
                    "the lease is still held after a failure that followed the writes");
        }
    }
}
