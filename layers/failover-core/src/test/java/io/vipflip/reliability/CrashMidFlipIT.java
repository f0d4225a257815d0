package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.RouteTableSelector;
import io.vipflip.lease.LeaseRecord;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.policy.HistoryKind;
import io.vipflip.policy.Trigger;
import io.vipflip.route.Ec2RouteTables;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteTables;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process freezes for good (killed, or SIGSTOPped) after k of its N route writes reached EC2: its thread stops
 * at its next call and never runs another line, so nothing of the run after that point happens — whatever the
 * code would do on an error. Everything asserted is what the real code, the real lease store on DynamoDB Local
 * and the local EC2 endpoint make of that: the lease taken for the flip stays in DynamoDB (nothing released it),
 * no history was recorded before the writes were verified, nobody else writes until the lease expires on their
 * clock, and after that a fresh process finishes the flip, recorded in history.
 */
class CrashMidFlipIT {
    private static final int TABLES = 5;
    private static final Duration GUARD = Duration.ofSeconds(30);

    @ParameterizedTest(name = "frozen after {0} of 5 writes")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void theLeaseOutlivesTheDeadHolder_thenAFreshProcessConverges(int k) throws Exception {
        ExecutorService frozenThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "frozen-process");
            t.setDaemon(true);
            return t;
        });
        FreezingRouteTables freezing = null;
        try (ReliabilityWorld world = new ReliabilityWorld(TABLES, 2, 1)) {
            MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
            freezing = new FreezingRouteTables(new Ec2RouteTables(world.ec2), k);
            Orchestrator dying = world.orchestrator("dying", clock, freezing, world.leases());
            dying.run("web", new Trigger.Scheduled());
            world.kill("a");
            clock.advance(Duration.ofMillis(500));
            dying.run("web", new Trigger.Scheduled());
            clock.advance(Duration.ofMillis(500));
            Future<?> flip = frozenThread.submit(() -> dying.run("web", new Trigger.Scheduled()));
            assertTrue(freezing.frozen.await(GUARD.toSeconds(), TimeUnit.SECONDS), "the process never reached its k-th write");
            long onSurvivor = world.routes().values().stream().filter(ReliabilityWorld.ENI_B::equals).count();
            assertEquals(k, onSurvivor, "the world the next process finds: k tables written");

            LeaseRecord held = world.leases().read("web").orElseThrow();
            assertEquals(Optional.of("dying"), held.owner(), "the flip's lease is still in DynamoDB: nothing released it");
            assertEquals(List.of(), world.history(), "nothing is recorded before the writes are verified");

            Orchestrator next = world.orchestrator("next", clock);
            List<Outcome> waiting = new ArrayList<>();
            while (clock.instant().plusMillis(500).isBefore(held.expiresAt())) {
                clock.advance(Duration.ofMillis(500));
                waiting.add(next.run("web", new Trigger.Scheduled()).outcome());
            }
            assertEquals(k, world.routes().values().stream().filter(ReliabilityWorld.ENI_B::equals).count(),
                    "until it expires, the dead holder's lease keeps everyone else from writing: " + waiting);
            if (k < TABLES) {
                assertTrue(waiting.contains(Outcome.LEASE_BUSY), "the next process wanted to act and was held off: " + waiting);
            }
            clock.set(held.expiresAt().plusMillis(1));
            next.run("web", new Trigger.Scheduled());
            clock.advance(Duration.ofMillis(500));
            next.run("web", new Trigger.Scheduled());

            assertTrue(world.allOn(ReliabilityWorld.ENI_B), "converged on the survivor: " + world.routes());
            if (k < TABLES) {
                assertTrue(world.history().stream().anyMatch(e -> (e.kind() == HistoryKind.FLIP || e.kind() == HistoryKind.REPAIR)
                                && e.token() > held.token()),
                        "the unfinished tables were finished by a recorded flip or repair under a newer token: " + world.history());
            }
            assertTrue(!flip.isDone(), "the frozen process never went on");
        } finally {
            frozenThread.shutdownNow();
        }
    }

    /** Writes the first k routes for real; the process then freezes at its next call, for good. */
    private static final class FreezingRouteTables implements RouteTables {
        private final RouteTables real;
        private final int k;
        private final AtomicInteger writes = new AtomicInteger();
        private final AtomicInteger landed = new AtomicInteger();
        private final AtomicInteger stopped = new AtomicInteger();
        /** Counted down once the k writes have been answered and the process has stopped. */
        final CountDownLatch frozen = new CountDownLatch(1);

        FreezingRouteTables(RouteTables real, int k) {
            this.real = real;
            this.k = k;
        }

        @Override
        public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
            if (writes.get() > 0) {
                freeze(); // the verify read after the k-th write
            }
            return real.read(selector, vips);
        }

        @Override
        public RouteWriteOutcome write(RouteChange change, Duration within) {
            if (writes.incrementAndGet() > k) {
                freeze();
            }
            RouteWriteOutcome outcome = real.write(change, within);
            landed.incrementAndGet();
            signal();
            return outcome;
        }

        private synchronized void signal() {
            if (landed.get() == k && stopped.get() > 0) {
                frozen.countDown();
            }
        }

        private void freeze() {
            stopped.incrementAndGet();
            signal();
            try {
                new CountDownLatch(1).await(); // never counted down: the thread stays here until the JVM ends
            } catch (InterruptedException e) {
                throw new IllegalStateException("frozen process interrupted at test end", e);
            }
        }
    }
}
