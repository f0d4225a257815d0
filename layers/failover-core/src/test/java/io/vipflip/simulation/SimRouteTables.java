package io.vipflip.simulation;

import io.vipflip.config.RouteTableSelector;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteStatus;
import io.vipflip.route.RouteTables;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.route.VipRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * One simulated process's view of EC2: lost calls, writes applied late, a process that dies part-way through
 * a flip, and a holder that stalls under its lease while another process runs. Checks, at the moment each write
 * is issued, that the writer holds a valid lease.
 */
final class SimRouteTables implements RouteTables {
    interface Stall {
        /** Called when this process re-reads under its lease; may move time on and run other processes. */
        void underLease(String owner);
    }

    final String owner;
    private final SimWorld world;
    private final SimLeaseStore leases;
    private final List<String> violations;
    private final Stall stall;
    private final AtomicInteger writes = new AtomicInteger();
    volatile int crashAfterWrites = -1;

    SimRouteTables(String owner, SimWorld world, SimLeaseStore leases, List<String> violations, Stall stall) {
        this.owner = owner;
        this.world = world;
        this.leases = leases;
        this.violations = violations;
        this.stall = stall;
    }

    @Override
    public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
        if (leases.believes(owner)) {
            if (crashAfterWrites >= 0 && writes.get() > 0) {
                leases.crash(owner);
                throw new SimulatedCrash(owner + " died after " + writes.get() + " writes");
            }
            stall.underLease(owner);
        }
        if (world.roll("read:" + owner, world.lossRate)) {
            throw SdkClientException.create("simulated: DescribeRouteTables lost");
        }
        List<VipRoute> routes = new ArrayList<>();
        for (String table : selector.ids()) {
            for (String vip : vips) {
                String eni = world.route(table);
                routes.add(eni == null ? VipRoute.missing(table, vip) : VipRoute.toEni(table, vip, RouteStatus.ACTIVE, eni));
            }
        }
        return new RouteSnapshot(routes, List.of());
    }

    @Override
    public RouteWriteOutcome write(RouteChange change, java.time.Duration within) {
        if (!leases.validFor(owner)) {
            synchronized (violations) {
                violations.add("step " + world.step + ": " + owner + " wrote " + change.tableId() + " without a valid lease");
            }
        }
        int issued = writes.incrementAndGet();
        if (crashAfterWrites >= 0 && issued > crashAfterWrites) {
            return RouteWriteOutcome.failed(change, "ReplaceRoute", "process died", Duration.ZERO);
        }
        String key = owner + ":" + change.tableId();
        if (world.roll("lost:" + key, world.lossRate)) {
            return RouteWriteOutcome.failed(change, "ReplaceRoute", "simulated: RequestLimitExceeded", Duration.ZERO);
        }
        synchronized (world) {
            if (world.roll("late:" + key, world.delayRate)) {
                world.delayed.add(new SimWorld.Delayed(world.step + 2, change.tableId(), change.targetEni()));
            } else {
                world.setRoute(change.tableId(), change.targetEni());
            }
        }
        return RouteWriteOutcome.ok(change, "ReplaceRoute", Duration.ZERO);
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
