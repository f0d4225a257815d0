package io.vipflip.route;

import io.vipflip.aws.CallBound;
import io.vipflip.config.RouteTableSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateRouteRequest;
import software.amazon.awssdk.services.ec2.model.DescribeRouteTablesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeRouteTablesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ReplaceRouteRequest;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * {@link RouteTables} on the EC2 API. Reads use the SDK client's retries; a route write is one attempt (the SDK's
 * retries are switched off for it), because {@link ParallelRouteWriter} sends it again, paced to EC2's mutating-action
 * bucket and bounded by the lease (docs/decisions.md 56).
 */
public final class Ec2RouteTables implements RouteTables {
    /** EC2's answer to ReplaceRoute when the destination has no route ("… Use CreateRoute instead."). */
    static final String NO_ROUTE_CODE = "InvalidParameterValue";
    static final String NO_ROUTE_HINT = "CreateRoute";
    /** EC2's answer to CreateRoute when the destination already has a route, whatever its target. */
    static final String ROUTE_EXISTS_CODE = "RouteAlreadyExists";
    private static final int PAGE_SIZE = 100;

    /**
     * Route writes go out without the SDK's retries: its standard strategy backs off a throttled write for seconds
     * (full jitter) while the bucket's refill goes unused, and drains the client's retry quota shared with every other
     * EC2 call; the writer retries instead (decision 57).
     */
    private static final SdkPlugin ONE_ATTEMPT = config -> config.overrideConfiguration(
            o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));

    private final Ec2Client ec2;

    public Ec2RouteTables(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
        // A filter on route-table-id (not the RouteTableIds parameter) so that one deleted table does not fail
        // the whole read with InvalidRouteTableID.NotFound: it is reported as absent instead.
        Filter filter = selector.tag().map(Ec2RouteTables::tagFilter)
                .orElseGet(() -> Filter.builder().name("route-table-id").values(selector.ids()).build());
        return snapshot(selector, vips, describe(withVpc(filter, selector.vpcId())));
    }

    /** As {@link #read(RouteTableSelector, List)}, every page's call ending within {@code within} of now. */
    @Override
    public RouteSnapshot read(RouteTableSelector selector, List<String> vips, Duration within) {
        Filter filter = selector.tag().map(Ec2RouteTables::tagFilter)
                .orElseGet(() -> Filter.builder().name("route-table-id").values(selector.ids()).build());
        return snapshot(selector, vips, describe(withVpc(filter, selector.vpcId()), within));
    }

    /**
     * All groups' tables with one paged DescribeRouteTables per kind of filter (EC2 ANDs filters, so explicit ids,
     * each tag key and each VPC need their own): typically one call for a whole deployment, whatever its number of
     * groups.
     */
    @Override
    public Map<String, RouteSnapshot> readAll(Map<String, RouteQuery> queries) {
        Map<String, RouteTable> byId = new LinkedHashMap<>();
        Map<Optional<String>, List<RouteTableSelector>> byVpc = new LinkedHashMap<>();
        queries.values().forEach(q -> byVpc.computeIfAbsent(q.tables().vpcId(), v -> new ArrayList<>()).add(q.tables()));
        byVpc.forEach((vpc, selectors) -> {
            List<String> ids = selectors.stream().flatMap(t -> t.ids().stream()).distinct().toList();
            for (int from = 0; from < ids.size(); from += PAGE_SIZE) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + PAGE_SIZE));
                describe(withVpc(Filter.builder().name("route-table-id").values(chunk).build(), vpc))
                        .forEach(t -> byId.put(t.routeTableId(), t));
            }
            Map<String, Set<String>> valuesByKey = new TreeMap<>();
            selectors.forEach(t -> t.tag().ifPresent(tag ->
                    valuesByKey.computeIfAbsent(tag.key(), k -> new TreeSet<>()).add(tag.value())));
            valuesByKey.forEach((key, values) -> {
                // An empty value means "any table with the key": one tag-key filter then covers every value.
                Filter filter = values.contains("") ? tagFilter(new RouteTableSelector.Tag(key, ""))
                        : Filter.builder().name("tag:" + key).values(values).build();
                describe(withVpc(filter, vpc)).forEach(t -> byId.put(t.routeTableId(), t));
            });
        });
        Map<String, RouteSnapshot> snapshots = new LinkedHashMap<>();
        queries.forEach((group, query) -> {
            RouteTableSelector selector = query.tables();
            List<RouteTable> tables = selector.tag()
                    .map(tag -> byId.values().stream().filter(t -> carries(t, tag)).toList())
                    .orElseGet(() -> selector.ids().stream().filter(byId::containsKey).map(byId::get).toList())
                    .stream().filter(t -> selector.vpcId().map(v -> v.equals(t.vpcId())).orElse(true)).toList();
            snapshots.put(group, snapshot(selector, query.vips(), tables));
        });
        return snapshots;
    }

    /** EC2 ANDs filters: with a VPC, only that VPC's tables can be discovered (issue 10). */
    private static List<Filter> withVpc(Filter filter, Optional<String> vpc) {
        return vpc.map(v -> List.of(filter, Filter.builder().name("vpc-id").values(v).build()))
                .orElse(List.of(filter));
    }

    private static Filter tagFilter(RouteTableSelector.Tag tag) {
        return tag.value().isEmpty()
                ? Filter.builder().name("tag-key").values(tag.key()).build()
                : Filter.builder().name("tag:" + tag.key()).values(tag.value()).build();
    }

    private static boolean carries(RouteTable table, RouteTableSelector.Tag tag) {
        return table.tags().stream().anyMatch(t -> tag.key().equals(t.key())
                && (tag.value().isEmpty() || tag.value().equals(t.value())));
    }

    private List<RouteTable> describe(List<Filter> filters) {
        return describe(filters, null);
    }

    /** Every page; with {@code within}, the pages' calls (all attempts) together end within it of now. */
    private List<RouteTable> describe(List<Filter> filters, Duration within) {
        List<RouteTable> tables = new ArrayList<>();
        String token = null;
        long started = System.nanoTime();
        do {
            Duration left = left(within, started);
            if (left != null && !left.isPositive()) {
                throw software.amazon.awssdk.core.exception.SdkClientException.create(
                        "DescribeRouteTables: no time left within " + within);
            }
            AwsRequestOverrideConfiguration bound = left == null ? null
                    : AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build();
            DescribeRouteTablesResponse page = ec2.describeRouteTables(DescribeRouteTablesRequest.builder()
                    .filters(filters).maxResults(PAGE_SIZE).nextToken(token).overrideConfiguration(bound).build());
            tables.addAll(page.routeTables());
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return tables;
    }

    private static RouteSnapshot snapshot(RouteTableSelector selector, List<String> vips, List<RouteTable> tables) {
        List<VipRoute> routes = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (RouteTable table : tables) {
            seen.add(table.routeTableId());
            for (String vip : vips) {
                routes.add(vipRoute(table, vip));
            }
        }
        List<String> absent = selector.ids().stream().filter(id -> !seen.contains(id)).toList();
        return new RouteSnapshot(routes, absent);
    }

    private static VipRoute vipRoute(RouteTable table, String vip) {
        for (Route route : table.routes()) {
            if (vip.equals(route.destinationCidrBlock())) {
                RouteStatus status = "blackhole".equalsIgnoreCase(route.stateAsString())
                        ? RouteStatus.BLACKHOLE : RouteStatus.ACTIVE;
                Optional<String> other = Optional.ofNullable(route.gatewayId())
                        .or(() -> Optional.ofNullable(route.instanceId()))
                        .or(() -> Optional.ofNullable(route.natGatewayId()))
                        .or(() -> Optional.ofNullable(route.transitGatewayId()));
                return new VipRoute(table.routeTableId(), vip, status,
                        Optional.ofNullable(route.networkInterfaceId()), other);
            }
        }
        return VipRoute.missing(table.routeTableId(), vip);
    }

    @Override
    public RouteWriteOutcome write(RouteChange change) {
        return write(change, null);
    }

    /**
     * The bound is the SDK's per-request apiCallTimeout, which covers every attempt and the waits between them
     * (docs/decisions.md 25). When it fires the request may already be with EC2: the outcome says it may have landed.
     */
    @Override
    public RouteWriteOutcome write(RouteChange change, Duration within) {
        long started = System.nanoTime();
        boolean exists = change.before().status() != RouteStatus.MISSING;
        String action = exists ? "ReplaceRoute" : "CreateRoute";
        if (within != null && within.compareTo(CallBound.MIN_CALL) < 0) {
            // Not worth sending: the SDK reads a timeout under 1 ms as none at all, and a call cut at once would
            // only leave a write that "may have landed" behind (and keep the lease).
            return RouteWriteOutcome.notSent(change, action, Duration.ZERO);
        }
        try {
            try {
                send(change, exists, left(within, started));
            } catch (Ec2Exception e) {
                // The route changed between our read and this write: take the other action once.
                String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                boolean vanished = exists && NO_ROUTE_CODE.equals(code) && String.valueOf(e.awsErrorDetails().errorMessage()).contains(NO_ROUTE_HINT);
                boolean appeared = !exists && ROUTE_EXISTS_CODE.equals(code);
                if (!vanished && !appeared) {
                    throw e;
                }
                action = vanished ? "CreateRoute" : "ReplaceRoute";
                Duration left = left(within, started);
                if (left != null && left.compareTo(CallBound.MIN_CALL) < 0) {
                    return RouteWriteOutcome.notSent(change, action, since(started));
                }
                send(change, !vanished, left);
            }
            return RouteWriteOutcome.ok(change, action, since(started));
        } catch (Ec2Exception e) {
            String detail = e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
            if (throttledOnly(e)) {
                return RouteWriteOutcome.throttled(change, action, detail, since(started));
            }
            return definiteRefusal(e) ? RouteWriteOutcome.failed(change, action, detail, since(started))
                    : RouteWriteOutcome.unknown(change, action, detail, since(started));
        } catch (SdkException e) {
            // No answer from EC2 (timeout, broken connection): the request may have been applied, or may still be.
            return RouteWriteOutcome.unknown(change, action, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    since(started));
        }
    }

    /**
     * EC2 refused the request and applied nothing: a client (4xx) error, not throttling, on the call's only attempt.
     * A server error (5xx) may come after EC2 applied the change, and when the SDK retried, an earlier attempt (a 5xx,
     * a timeout) may have landed whatever the last one answered. Anything else "may have landed": the lease is kept
     * until it expires (docs/decisions.md, "An EC2 error is a refusal only when it is a 4xx").
     */
    static boolean definiteRefusal(Ec2Exception e) {
        int status = e.statusCode();
        Integer attempts = e.numAttempts();
        return status >= 400 && status < 500 && !e.isThrottlingException() && (attempts == null || attempts <= 1);
    }

    /**
     * EC2 throttled the call's only attempt (RequestLimitExceeded, HTTP 503 from EC2 and the local endpoint alike):
     * the request was rejected before it was processed, so nothing was applied.
     */
    static boolean throttledOnly(Ec2Exception e) {
        Integer attempts = e.numAttempts();
        return e.isThrottlingException() && (attempts == null || attempts <= 1);
    }

    private static Duration left(Duration within, long startedNanos) {
        return within == null ? null : within.minus(since(startedNanos));
    }

    private void send(RouteChange change, boolean replace, Duration within) {
        AwsRequestOverrideConfiguration.Builder override = AwsRequestOverrideConfiguration.builder().addPlugin(ONE_ATTEMPT);
        AwsRequestOverrideConfiguration bound = (within == null ? override : override.apiCallTimeout(within)).build();
        if (replace) {
            ec2.replaceRoute(ReplaceRouteRequest.builder().routeTableId(change.tableId())
                    .destinationCidrBlock(change.vip()).networkInterfaceId(change.targetEni())
                    .overrideConfiguration(bound).build());
        } else {
            ec2.createRoute(CreateRouteRequest.builder().routeTableId(change.tableId())
                    .destinationCidrBlock(change.vip()).networkInterfaceId(change.targetEni())
                    .overrideConfiguration(bound).build());
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
