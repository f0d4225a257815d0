package io.vipflip.reliability;

import io.vipflip.policy.HistoryKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.RouteTableSelector;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseRecord;
import io.vipflip.lease.LeaseStore;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.policy.Trigger;
import io.vipflip.route.Ec2RouteTables;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteTables;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process dies after writing k of N tables: no verify, no history, and no release — its lease stays until it
 * expires. After that, a fresh process converges, and no table points at the dead node after 2 rounds.
 */
class CrashMidFlipIT {
    private static final int TABLES = 5;

    /** Thrown where the process would have died; nothing after it runs (not even the lease release). */
    static final class ProcessDied extends Error { // a death, not a failed call: no handler may catch it
        ProcessDied() {
            super("the process died mid-flip");
        }
    }

    @ParameterizedTest(name = "dies after {0} of 5 writes")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void theNextRunAfterLeaseExpiryConverges(int k) {
        try (ReliabilityWorld world = new ReliabilityWorld(TABLES, 2, 1)) {
            MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
            Orchestrator dying = world.orchestrator("dying", clock, new DyingRouteTables(new Ec2RouteTables(world.ec2), k),
                    new NoReleaseLeases(world.leases()));
            dying.run("web", new Trigger.Scheduled());
            world.kill("a");
            clock.advance(Duration.ofMillis(500));
            dying.run("web", new Trigger.Scheduled());
            clock.advance(Duration.ofMillis(500));

            assertThrows(ProcessDied.class, () -> dying.run("web", new Trigger.Scheduled()));
            long onSurvivor = world.routes().values().stream().filter(ReliabilityWorld.ENI_B::equals).count();
            assertEquals(k, onSurvivor, "k tables were written before the death");
            LeaseRecord held = world.leases().read("web").orElseThrow();
            assertEquals(Optional.of("dying"), held.owner(), "a dead process never releases its lease");
            assertEquals(List.of(), world.history(), "nor records anything");

            Orchestrator next = world.orchestrator("next", clock);
            for (int round = 0; round < 3; round++) {
                clock.advance(Duration.ofMillis(500));
                next.run("web", new Trigger.Scheduled());
            }
            assertEquals(k, world.routes().values().stream().filter(ReliabilityWorld.ENI_B::equals).count(),
                    "until it expires, the dead holder's lease keeps everyone else from writing");
            clock.set(held.expiresAt().plusMillis(1));
            next.run("web", new Trigger.Scheduled());
            clock.advance(Duration.ofMillis(500));
            next.run("web", new Trigger.Scheduled());

            assertTrue(world.allOn(ReliabilityWorld.ENI_B), "converged on the survivor: " + world.routes());
            if (k < TABLES) {
                assertTrue(world.history().stream().anyMatch(e -> e.kind() == HistoryKind.FLIP || e.kind() == HistoryKind.REPAIR),
                        "the unfinished tables were finished by a recorded flip or repair");
            }
        }
    }

    /** Writes the first k routes for real, then "dies": later writes never leave, the verify read never returns. */
    private static final class DyingRouteTables implements RouteTables {
        private final RouteTables real;
        private final int k;
        private final AtomicInteger writes = new AtomicInteger();

        DyingRouteTables(RouteTables real, int k) {
            this.real = real;
            this.k = k;
        }

        @Override
        public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
            if (writes.get() > 0) {
                throw new ProcessDied();
            }
            return real.read(selector, vips);
        }

        @Override
        public RouteWriteOutcome write(RouteChange change, java.time.Duration within) {
            if (writes.incrementAndGet() > k) {
                return RouteWriteOutcome.failed(change, "ReplaceRoute", "process died", Duration.ZERO);
            }
            return real.write(change, within);
        }
    }

    /** A dead process sends no release. */
    private record NoReleaseLeases(DynamoLeaseStore real) implements LeaseStore {
        public Optional<Lease> acquire(String group, String owner, Instant now, Duration duration) {
            return real.acquire(group, owner, now, duration);
        }

        public boolean stillHeld(Lease lease, Instant now) {
            return real.stillHeld(lease, now);
        }

        public boolean release(Lease lease) {
            return false;
        }

        public Optional<LeaseRecord> read(String group) {
            return real.read(group);
        }
    }
}
