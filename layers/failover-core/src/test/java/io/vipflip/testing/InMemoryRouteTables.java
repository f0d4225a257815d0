package io.vipflip.testing;

import io.vipflip.config.RouteTableSelector;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteStatus;
import io.vipflip.route.RouteTables;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.route.VipRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Route tables in memory, for engine tests: counts reads and keeps a log of writes. */
public final class InMemoryRouteTables implements RouteTables {
    /** table id → (vip → route) */
    private final Map<String, Map<String, VipRoute>> tables = new LinkedHashMap<>();
    private final List<RouteChange> writes = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile Runnable beforeRead = () -> { };

    public synchronized InMemoryRouteTables table(String tableId) {
        tables.putIfAbsent(tableId, new LinkedHashMap<>());
        return this;
    }

    public synchronized InMemoryRouteTables route(String tableId, String vip, String eni) {
        table(tableId);
        tables.get(tableId).put(vip, VipRoute.toEni(tableId, vip, RouteStatus.ACTIVE, eni));
        return this;
    }

    public synchronized InMemoryRouteTables blackhole(String tableId, String vip, String eni) {
        table(tableId);
        tables.get(tableId).put(vip, VipRoute.toEni(tableId, vip, RouteStatus.BLACKHOLE, eni));
        return this;
    }

    /** Runs {@code hook} before every read: lets a test change the world between observing and acting. */
    public void beforeRead(Runnable hook) {
        this.beforeRead = hook;
    }

    @Override
    public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
        reads.incrementAndGet();
        beforeRead.run();
        synchronized (this) {
            List<VipRoute> routes = new ArrayList<>();
            List<String> absent = new ArrayList<>();
            for (String id : selector.ids()) {
                Map<String, VipRoute> table = tables.get(id);
                if (table == null) {
                    absent.add(id);
                    continue;
                }
                vips.forEach(vip -> routes.add(table.getOrDefault(vip, VipRoute.missing(id, vip))));
            }
            return new RouteSnapshot(routes, absent);
        }
    }

    @Override
    public synchronized RouteWriteOutcome write(RouteChange change, java.time.Duration within) {
        writes.add(change);
        Map<String, VipRoute> table = tables.get(change.tableId());
        if (table == null) {
            return RouteWriteOutcome.failed(change, "ReplaceRoute", "InvalidRouteTableID.NotFound", Duration.ZERO);
        }
        String action = table.containsKey(change.vip()) ? "ReplaceRoute" : "CreateRoute";
        table.put(change.vip(), VipRoute.toEni(change.tableId(), change.vip(), RouteStatus.ACTIVE, change.targetEni()));
        return RouteWriteOutcome.ok(change, action, Duration.ZERO);
    }

    public synchronized String target(String tableId, String vip) {
        VipRoute route = tables.get(tableId).get(vip);
        return route == null ? "missing" : route.describeTarget();
    }

    public List<RouteChange> writes() {
        return List.copyOf(writes);
    }

    public int reads() {
        return reads.get();
    }
}
