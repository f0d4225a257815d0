package io.vipflip.orchestrator;

import io.vipflip.config.GroupConfig;
import io.vipflip.route.RouteQuery;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteTables;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routes a watch loop decides on between reads, so that the EC2 API budget does not grow with groups or
 * probe rate (EC2 throttles DescribeRouteTables per account and Region). Routes are read when a node's health
 * changes, under the lease before acting (every read there refreshes this cache), and for drift every
 * {@code driftCheck}: one read of all groups' tables at once.
 */
final class RouteCache {
    private final RouteTables routes;
    private final Map<String, RouteSnapshot> snapshots = new ConcurrentHashMap<>();
    private Instant lastSweep;

    RouteCache(RouteTables routes) {
        this.routes = routes;
    }

    /** True when the drift read of every group is due (or was never made since the groups last changed). */
    synchronized boolean sweepDue(Instant now, Duration driftCheck) {
        return lastSweep == null || !now.isBefore(lastSweep.plus(driftCheck));
    }

    /** Reads every group's tables at once (one DescribeRouteTables for ids, one per tag key) and keeps them. */
    synchronized void sweep(List<GroupConfig> groups, Instant now, Duration driftCheck) {
        if (!sweepDue(now, driftCheck)) {
            return; // another group's round just did it
        }
        Map<String, RouteQuery> queries = new LinkedHashMap<>();
        groups.forEach(g -> queries.put(g.name(), new RouteQuery(g.routeTables(), g.vips())));
        snapshots.putAll(routes.readAll(queries));
        lastSweep = now;
    }

    /** Forgets every snapshot: the groups (or their tables) changed, so the next round reads them all again. */
    synchronized void invalidate() {
        snapshots.clear();
        lastSweep = null;
    }

    Optional<RouteSnapshot> get(String group) {
        return Optional.ofNullable(snapshots.get(group));
    }

    /** A fresh read of one group's tables, kept for the rounds that follow. */
    RouteSnapshot read(GroupConfig group) {
        RouteSnapshot snapshot = routes.read(group.routeTables(), group.vips());
        snapshots.put(group.name(), snapshot);
        return snapshot;
    }

    /** The route tables as the leased part of a run sees them: every read it makes refreshes the cache. */
    RouteTables recording(String group) {
        return new RouteTables() {
            @Override
            public RouteSnapshot read(io.vipflip.config.RouteTableSelector selector, List<String> vips) {
                RouteSnapshot snapshot = routes.read(selector, vips);
                snapshots.put(group, snapshot);
                return snapshot;
            }

            @Override
            public RouteSnapshot read(io.vipflip.config.RouteTableSelector selector, List<String> vips,
                                      java.time.Duration within) {
                RouteSnapshot snapshot = routes.read(selector, vips, within); // the bound must reach the SDK call
                snapshots.put(group, snapshot);
                return snapshot;
            }

            @Override
            public io.vipflip.route.RouteWriteOutcome write(io.vipflip.route.RouteChange change,
                                                            java.time.Duration within) {
                return routes.write(change, within); // the lease's bound must reach the SDK call
            }
        };
    }
}
