package io.vipflip.route;

import io.vipflip.config.RouteTableSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

/** {@link RouteTables} on the EC2 API. Retries and throttling backoff are the SDK client's. */
public final class Ec2RouteTables implements RouteTables {
    /** EC2's answer to ReplaceRoute when the destination has no route ("… Use CreateRoute instead."). */
    static final String NO_ROUTE_CODE = "InvalidParameterValue";
    static final String NO_ROUTE_HINT = "CreateRoute";
    /** EC2's answer to CreateRoute when the destination already has a route, whatever its target. */
    static final String ROUTE_EXISTS_CODE = "RouteAlreadyExists";
    private static final int PAGE_SIZE = 100;

    private final Ec2Client ec2;

    public Ec2RouteTables(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
        // A filter on route-table-id (not the RouteTableIds parameter) so that one deleted table does not fail
        // the whole read with InvalidRouteTableID.NotFound: it is reported as absent instead.
        Filter filter = selector.tag()
                .map(tag -> tag.value().isEmpty()
                        ? Filter.builder().name("tag-key").values(tag.key()).build()
                        : Filter.builder().name("tag:" + tag.key()).values(tag.value()).build())
                .orElseGet(() -> Filter.builder().name("route-table-id").values(selector.ids()).build());
        // EC2 ANDs filters: with a VPC, only that VPC's tables can be discovered (issue 10).
        List<Filter> filters = selector.vpcId()
                .map(vpc -> List.of(filter, Filter.builder().name("vpc-id").values(vpc).build()))
                .orElse(List.of(filter));
        List<RouteTable> tables = new ArrayList<>();
        String token = null;
        do {
            DescribeRouteTablesResponse page = ec2.describeRouteTables(DescribeRouteTablesRequest.builder()
                    .filters(filters).maxResults(PAGE_SIZE).nextToken(token).build());
            tables.addAll(page.routeTables());
            token = page.nextToken();
        } while (token != null && !token.isEmpty());

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
        long started = System.nanoTime();
        boolean exists = change.before().status() != RouteStatus.MISSING;
        String action = exists ? "ReplaceRoute" : "CreateRoute";
        try {
            try {
                send(change, exists);
            } catch (Ec2Exception e) {
                // The route changed between our read and this write: take the other action once.
                String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                boolean vanished = exists && NO_ROUTE_CODE.equals(code) && String.valueOf(e.awsErrorDetails().errorMessage()).contains(NO_ROUTE_HINT);
                boolean appeared = !exists && ROUTE_EXISTS_CODE.equals(code);
                if (!vanished && !appeared) {
                    throw e;
                }
                action = vanished ? "CreateRoute" : "ReplaceRoute";
                send(change, !vanished);
            }
            return RouteWriteOutcome.ok(change, action, since(started));
        } catch (Ec2Exception e) {
            String detail = e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
            return RouteWriteOutcome.failed(change, action, detail, since(started));
        } catch (SdkException e) {
            return RouteWriteOutcome.failed(change, action, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    since(started));
        }
    }

    private void send(RouteChange change, boolean replace) {
        if (replace) {
            ec2.replaceRoute(ReplaceRouteRequest.builder().routeTableId(change.tableId())
                    .destinationCidrBlock(change.vip()).networkInterfaceId(change.targetEni()).build());
        } else {
            ec2.createRoute(CreateRouteRequest.builder().routeTableId(change.tableId())
                    .destinationCidrBlock(change.vip()).networkInterfaceId(change.targetEni()).build());
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
