package io.vipflip.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.NodeConfig;
import io.vipflip.config.RouteTableSelector;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.testing.LocalEc2;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** {@link Ec2RouteTables} and {@link Ec2NodeResolver} through the real SDK, over HTTP, against the local EC2 endpoint. */
class Ec2RouteTablesIT {
    private static final String VIP = "192.168.100.10/32";
    private static final String ENI_A = "eni-0aaaaaaaaaaaaaaa1";
    private static final String ENI_B = "eni-0bbbbbbbbbbbbbbb2";
    private Ec2Endpoint endpoint;
    private Ec2Client ec2;

    private Ec2RouteTables start(int tables) {
        endpoint = LocalEc2.start(tables);
        ec2 = LocalEc2.client(endpoint.endpoint());
        return new Ec2RouteTables(ec2);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private List<String> ids(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(LocalEc2::tableId).toList();
    }

    @Test
    void readsAGroupWithOneDescribe_missingAndBlackholeRoutesIncluded() {
        Ec2RouteTables tables = start(3);
        endpoint.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        endpoint.calls().clear();

        RouteSnapshot snapshot = tables.read(RouteTableSelector.ofIds(ids(3)), List.of(VIP, "192.168.100.11/32"));

        assertEquals(1, endpoint.calls().count("DescribeRouteTables"));
        assertEquals(6, snapshot.routes().size());
        VipRoute first = snapshot.route(LocalEc2.tableId(0), VIP).orElseThrow();
        assertEquals(RouteStatus.BLACKHOLE, first.status());
        assertEquals(Optional.of(ENI_A), first.eniId());
        assertEquals(RouteStatus.MISSING, snapshot.route(LocalEc2.tableId(0), "192.168.100.11/32").orElseThrow().status());
    }

    @Test
    void reportsADeletedTableAsAbsent_insteadOfFailingTheRead() {
        Ec2RouteTables tables = start(2);

        RouteSnapshot snapshot = tables.read(RouteTableSelector.ofIds(List.of(LocalEc2.tableId(0), "rtb-0fffffffffffffff0")),
                List.of(VIP));

        assertEquals(List.of("rtb-0fffffffffffffff0"), snapshot.absentTables());
        assertEquals(1, snapshot.routes().size());
    }

    @Test
    void discoversTablesByTag_acrossPages() {
        Ec2RouteTables tables = start(130);
        endpoint.calls().clear();

        RouteSnapshot snapshot = tables.read(RouteTableSelector.ofTag("vipflip:group", "web"), List.of(VIP));

        assertEquals(130, snapshot.tableIds().size());
        assertEquals(2, endpoint.calls().count("DescribeRouteTables"), "pages of 100");
        assertTrue(snapshot.allActiveOn(ENI_A));
    }

    @Test
    void writesAllTablesInParallel_throughThrottling() {
        Ec2RouteTables tables = start(20);
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(ids(20)), List.of(VIP));
        endpoint.faults().throttleNext(8);

        List<RouteWriteOutcome> outcomes = new ParallelRouteWriter(tables).writeAll(changes(before, ENI_B));

        assertTrue(outcomes.stream().allMatch(RouteWriteOutcome::succeeded), outcomes.toString());
        assertTrue(endpoint.calls().all().stream().anyMatch(c -> c.error().equals("RequestLimitExceeded")),
                "the endpoint did throttle; the SDK retried");
        assertTrue(tables.read(RouteTableSelector.ofIds(ids(20)), List.of(VIP)).allActiveOn(ENI_B));
    }

    @Test
    void aTableThatFailsWrites_isReported_andTheOthersFlip() {
        Ec2RouteTables tables = start(3);
        endpoint.faults().failWritesTo(LocalEc2.tableId(1), -1);
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(ids(3)), List.of(VIP));

        List<RouteWriteOutcome> outcomes = new ParallelRouteWriter(tables).writeAll(changes(before, ENI_B));

        assertEquals(List.of(true, false, true), outcomes.stream().map(RouteWriteOutcome::succeeded).toList());
        assertTrue(outcomes.get(1).error().orElseThrow().startsWith("InternalError"), outcomes.get(1).toString());
        assertEquals(ENI_B, endpoint.world().target(LocalEc2.tableId(0), VIP));
        assertEquals(ENI_A, endpoint.world().target(LocalEc2.tableId(1), VIP));
        assertEquals(ENI_B, endpoint.world().target(LocalEc2.tableId(2), VIP));
    }

    @Test
    void createsAMissingRoute_andRepairsABlackhole() {
        Ec2RouteTables tables = start(2);
        ec2.deleteRoute(b -> b.routeTableId(LocalEc2.tableId(0)).destinationCidrBlock(VIP));
        endpoint.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(ids(2)), List.of(VIP));

        List<RouteWriteOutcome> outcomes = new ParallelRouteWriter(tables).writeAll(changes(before, ENI_B));

        assertEquals(List.of("CreateRoute", "ReplaceRoute"), outcomes.stream().map(RouteWriteOutcome::action).toList());
        assertTrue(tables.read(RouteTableSelector.ofIds(ids(2)), List.of(VIP)).allActiveOn(ENI_B));
    }

    @Test
    void fallsBackWhenTheRouteChangedBetweenReadAndWrite() {
        Ec2RouteTables tables = start(2);
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(ids(2)), List.of(VIP));
        // Table 0 loses its route after our read; table 1 was read as missing but someone created it meanwhile.
        ec2.deleteRoute(b -> b.routeTableId(LocalEc2.tableId(0)).destinationCidrBlock(VIP));
        RouteChange replaceVanished = new RouteChange(LocalEc2.tableId(0), VIP, ENI_B, before.routes().get(0));
        RouteChange createAppeared = new RouteChange(LocalEc2.tableId(1), VIP, ENI_B,
                VipRoute.missing(LocalEc2.tableId(1), VIP));

        RouteWriteOutcome replaced = tables.write(replaceVanished);
        RouteWriteOutcome created = tables.write(createAppeared);

        assertEquals("CreateRoute", replaced.action(), replaced.toString());
        assertEquals("ReplaceRoute", created.action(), created.toString());
        assertTrue(replaced.succeeded() && created.succeeded());
        assertTrue(tables.read(RouteTableSelector.ofIds(ids(2)), List.of(VIP)).allActiveOn(ENI_B));
    }

    @Test
    void aWriteToAnUnknownInterface_failsWithEc2sCode_andChangesNothing() {
        Ec2RouteTables tables = start(1);
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(ids(1)), List.of(VIP));

        RouteWriteOutcome outcome = tables.write(new RouteChange(LocalEc2.tableId(0), VIP, "eni-0fffffffffffffff0",
                before.routes().getFirst()));

        assertFalse(outcome.succeeded());
        assertTrue(outcome.error().orElseThrow().startsWith("InvalidNetworkInterfaceID.NotFound"));
        assertEquals(ENI_A, endpoint.world().target(LocalEc2.tableId(0), VIP));
    }

    @Test
    void resolvesNodesFromDescribeInstances_withOneCallAndACache() {
        start(1);
        Ec2NodeResolver resolver = new Ec2NodeResolver(ec2);
        var group = new io.vipflip.config.GroupConfig("web", List.of(VIP), List.of(
                new NodeConfig("a", "i-0aaaaaaaaaaaaaaa1", Optional.empty(), Optional.empty(), 200),
                new NodeConfig("b", "i-0bbbbbbbbbbbbbbb2", Optional.empty(), Optional.of("10.9.9.9"), 100),
                new NodeConfig("ghost", "i-0fffffffffffffff0", Optional.empty(), Optional.empty(), 1)),
                RouteTableSelector.ofIds(ids(1)), null, null, null);
        endpoint.calls().clear();

        List<ResolvedNode> nodes = resolver.resolve(group);
        resolver.resolve(group);

        assertEquals(Optional.of(ENI_A), nodes.get(0).eniId());
        assertEquals(Optional.of("127.0.0.1"), nodes.get(0).probeAddress());
        assertEquals(Optional.of("10.9.9.9"), nodes.get(1).probeAddress(), "configuration wins");
        assertEquals(Optional.empty(), nodes.get(2).eniId(), "an unknown instance stays unresolved");
        assertEquals(2, endpoint.calls().count("DescribeInstances"), "one call, then the ghost is retried once");
    }

    private static List<RouteChange> changes(RouteSnapshot snapshot, String eni) {
        return snapshot.routes().stream().map(r -> new RouteChange(r.tableId(), r.vip(), eni, r)).toList();
    }
}
