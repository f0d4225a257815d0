package io.vipflip.route;

import io.vipflip.config.RouteTableSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The VPC route tables: read a group's VIP routes in one call, and point one route at an ENI. */
public interface RouteTables {

    /** Every (table, VIP) of the selector, missing routes included. Costs one DescribeRouteTables per page. */
    RouteSnapshot read(RouteTableSelector selector, List<String> vips);

    /**
     * As {@link #read(RouteTableSelector, List)}, every call (all pages, attempts and backoff) ending within
     * {@code within}: a read after the writes must leave the lease time to record (issue 11). A wrapper must pass
     * the bound on; implementations without real calls may ignore it.
     */
    default RouteSnapshot read(RouteTableSelector selector, List<String> vips, java.time.Duration within) {
        return read(selector, vips);
    }

    /**
     * Every group's snapshot (keyed as {@code queries}) in as few calls as the selectors allow; an implementation on
     * the EC2 API reads all groups' tables with one DescribeRouteTables (per page and per kind of filter).
     */
    default Map<String, RouteSnapshot> readAll(Map<String, RouteQuery> queries) {
        Map<String, RouteSnapshot> snapshots = new LinkedHashMap<>();
        queries.forEach((group, query) -> snapshots.put(group, read(query.tables(), query.vips())));
        return snapshots;
    }

    /**
     * Points one VIP route at an ENI: ReplaceRoute where it exists, CreateRoute where it is missing, with the
     * fallback for a race between read and write. Never throws for an EC2 refusal; the outcome says it. The whole
     * call (every SDK attempt and backoff) ends within {@code within}: a write under a lease must not outlive it
     * (docs/decisions.md 25); nothing is sent when {@code within} is not positive. Abstract on purpose: a wrapper
     * must pass the bound on. Implementations without real calls may ignore it.
     */
    RouteWriteOutcome write(RouteChange change, java.time.Duration within);

    /** As {@link #write(RouteChange, java.time.Duration)} with the client's own call timeout (no lease). */
    default RouteWriteOutcome write(RouteChange change) {
        return write(change, java.time.Duration.ofDays(1));
    }
}
