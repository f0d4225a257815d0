package io.vipflip.simulation;

import io.vipflip.config.RouteTableSelector;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteStatus;
import io.vipflip.route.RouteTables;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.route.VipRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * One simulated process's view of EC2, as harsh as the SDK sees it. A write takes time: usually tens of
 * milliseconds, sometimes 1 to 15 seconds (longer than the lease); the SDK stops waiting at the bound it is given ({@code within}, the lease's
 * write window) and EC2 may still apply the request up to the write settle time later (the documented assumption,
 * {@code TimingBudget}). A throttled attempt is retried after a back-off as the SDK retries it; an attempt whose
 * answer was lost was applied and is retried too, so EC2 applies the change twice. Reads are lost or briefly stale.
 * A process may die part-way through a flip, and a holder may stall under its lease while others run.
 *
 * <p>The writes of one run go out in parallel (virtual threads): the time they take is added to the clock, as the
 * longest of them, when the run makes its next call.
 */
final class SimRouteTables implements RouteTables {
    interface Stall {
        /** Called when this process re-reads under its lease; may move time on and run other processes. */
        void underLease(String owner);
    }

    /** Sees each write as it is issued (the simulation's invariants). */
    interface WriteCheck {
        void issued(String owner, RouteChange change, Map<String, String> lastRead);
    }

    static final int SDK_ATTEMPTS = 3;
    static final Duration BACKOFF = Duration.ofMillis(100);

    final String owner;
    private final SimWorld world;
    private final SimLeaseStore leases;
    private final Duration writeSettle;
    private final Stall stall;
    private final WriteCheck check;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    /** The longest write of the current batch, in nanoseconds: time that passes before the next call. */
    private final AtomicLong pendingNanos = new AtomicLong();
    /** Per table, the route this process last read (what its decisions were based on). */
    private volatile Map<String, String> lastRead = Map.of();
    /** When >= 0: the process dies once it has issued this many writes of the run (tables in order). */
    volatile int crashAfterWrites = -1;
    private final List<String> tableOrder;

    SimRouteTables(String owner, SimWorld world, SimLeaseStore leases, Duration writeSettle, List<String> tableOrder,
                   Stall stall, WriteCheck check) {
        this.owner = owner;
        this.world = world;
        this.leases = leases;
        this.writeSettle = writeSettle;
        this.tableOrder = tableOrder;
        this.stall = stall;
        this.check = check;
    }

    @Override
    public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
        passTime();
        if (leases.believes(owner)) {
            if (crashAfterWrites >= 0 && writes.get() > 0) {
                leases.crash(owner);
                throw new SimulatedCrash(owner + " died after " + writes.get() + " writes");
            }
            stall.underLease(owner);
        }
        if (world.roll("read:" + owner + ":" + reads.incrementAndGet(), world.lossRate)) {
            throw SdkClientException.create("simulated: DescribeRouteTables lost after the SDK's retries");
        }
        List<VipRoute> routes = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (String table : selector.ids()) {
            String eni = world.read(table, owner + ":" + reads.get());
            seen.put(table, eni);
            for (String vip : vips) {
                routes.add(eni == null ? VipRoute.missing(table, vip) : VipRoute.toEni(table, vip, RouteStatus.ACTIVE, eni));
            }
        }
        lastRead = seen;
        return new RouteSnapshot(routes, List.of());
    }

    @Override
    public RouteWriteOutcome write(RouteChange change, Duration within) {
        check.issued(owner, change, lastRead);
        writes.incrementAndGet();
        if (crashAfterWrites >= 0 && tableOrder.indexOf(change.tableId()) >= crashAfterWrites) {
            return RouteWriteOutcome.failed(change, "ReplaceRoute", "process died", Duration.ZERO);
        }
        Instant issued = world.clock.instant();
        String key = owner + ":" + change.tableId();
        SplittableRandom dice = world.random("write:" + key);
        Duration waited = Duration.ZERO;
        try {
            for (int attempt = 1; attempt <= SDK_ATTEMPTS; attempt++) {
                Duration left = within.minus(waited);
                if (left.isNegative() || left.isZero()) {
                    return RouteWriteOutcome.failed(change, "ReplaceRoute", "simulated: the SDK's time is up", waited);
                }
                double roll = dice.nextDouble();
                if (roll < world.lossRate) { // throttled: not applied, retried after a back-off
                    waited = waited.plus(Duration.ofMillis(20)).plus(BACKOFF.multipliedBy(attempt));
                    continue;
                }
                Duration latency = roll < world.lossRate + world.slowRate
                        ? Duration.ofMillis(1000 + dice.nextInt(14_000)) : Duration.ofMillis(20 + dice.nextInt(180));
                if (latency.compareTo(left) > 0) {
                    // The SDK stops waiting at its bound; EC2 applies the request within the settle time, or never.
                    waited = within;
                    if (dice.nextBoolean()) {
                        Duration settle = Duration.ofMillis(dice.nextLong(Math.max(1, writeSettle.toMillis())));
                        send(change, issued.plus(within).plus(settle));
                    }
                    return RouteWriteOutcome.unknown(change, "ReplaceRoute", "simulated: apiCallTimeout", waited);
                }
                waited = waited.plus(latency);
                send(change, issued.plus(waited));
                if (roll > 1 - world.lossRate && attempt < SDK_ATTEMPTS) {
                    // Applied, but the answer was lost: the SDK retries and EC2 applies the same change again.
                    waited = waited.plus(BACKOFF.multipliedBy(attempt));
                    continue;
                }
                return RouteWriteOutcome.ok(change, "ReplaceRoute", waited);
            }
            return RouteWriteOutcome.failed(change, "ReplaceRoute", "simulated: RequestLimitExceeded", waited);
        } finally {
            long nanos = waited.toNanos();
            pendingNanos.accumulateAndGet(nanos, Math::max);
        }
    }

    private void send(RouteChange change, Instant at) {
        world.send(new SimWorld.Landing(at, change.tableId(), change.targetEni(), owner,
                leases.tokenOf(owner)));
    }

    /** The parallel writes took as long as the longest of them: time passes before this process's next call. */
    void passTime() {
        long nanos = pendingNanos.getAndSet(0);
        if (nanos > 0) {
            world.clock.advance(Duration.ofNanos(nanos));
            world.applyDue();
        }
    }

    void newRun() {
        writes.set(0);
    }

    /** A process death: an Error, so that no handler in the code under test can catch it as a failed call. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String message) {
            super(message);
        }
    }
}
