package io.vipflip.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vipflip.config.GroupConfig;
import io.vipflip.config.NodeConfig;
import io.vipflip.config.RouteTableSelector;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.testing.Ec2Target;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@link Ec2RouteTables} and {@link Ec2NodeResolver} through the real SDK, over HTTP: against the local EC2
 * endpoint by default, or against any endpoint in VIPFLIP_IT_EC2_ENDPOINT / AWS_ENDPOINT_URL (e.g. LocalStack;
 * docs/testing.md). Cases that need fault injection, the call log or instances run on the local world only.
 */
class Ec2RouteTablesIT {
    private static final String VIP = Ec2Target.VIP;
    private Ec2Target target;

    private Ec2RouteTables start(int tables) {
        target = newTarget(tables);
        return new Ec2RouteTables(target.client());
    }

    /** The endpoint the suite runs against; {@link Ec2RouteTablesExternalIT} overrides it. */
    protected Ec2Target newTarget(int tables) {
        return Ec2Target.start(tables);
    }

    /** Every VIP route points at {@code eni}, whatever state the endpoint gives it (portable across endpoints). */
    private static boolean pointsAt(RouteSnapshot snapshot, String eni) {
        return !snapshot.routes().isEmpty() && snapshot.routes().stream().allMatch(r -> r.eniId().filter(eni::equals).isPresent());
    }

    private Ec2Endpoint local() {
        assumeTrue(target.local().isPresent(), "needs the local world (fault injection, call log, instances)");
        return target.local().get();
    }

    @AfterEach
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    @Test
    void readsAGroupWithOneDescribe_missingAndBlackholeRoutesIncluded() {
        Ec2RouteTables tables = start(3);
        Ec2Endpoint endpoint = local();
        endpoint.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        endpoint.calls().clear();

        RouteSnapshot snapshot = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP, "192.168.100.11/32"));

        assertEquals(1, endpoint.calls().count("DescribeRouteTables"));
        assertEquals(6, snapshot.routes().size());
        VipRoute first = snapshot.route(target.tableIds().get(0), VIP).orElseThrow();
        assertEquals(RouteStatus.BLACKHOLE, first.status());
        assertEquals(Optional.of(target.eniA()), first.eniId());
        assertEquals(RouteStatus.MISSING, snapshot.route(target.tableIds().get(0), "192.168.100.11/32").orElseThrow().status());
    }

    @Test
    void reportsADeletedTableAsAbsent_insteadOfFailingTheRead() {
        Ec2RouteTables tables = start(2);

        RouteSnapshot snapshot = tables.read(RouteTableSelector.ofIds(List.of(target.tableIds().get(0),
                "rtb-0fffffffffffffff0")), List.of(VIP));

        assertEquals(List.of("rtb-0fffffffffffffff0"), snapshot.absentTables());
        assertEquals(1, snapshot.routes().size());
        assertTrue(pointsAt(snapshot, target.eniA()));
    }

    @Test
    void discoversTablesByTag_acrossPages() {
        Ec2RouteTables tables = start(130);
        target.local().ifPresent(e -> e.calls().clear());

        RouteSnapshot snapshot = tables.read(RouteTableSelector.ofTag("vipflip:group", target.tagValue()), List.of(VIP));

        assertEquals(130, snapshot.tableIds().size());
        assertTrue(pointsAt(snapshot, target.eniA()));
        target.local().ifPresent(e -> assertEquals(2, e.calls().count("DescribeRouteTables"), "pages of 100"));
    }

    @Test
    void tagDiscovery_withTheGroupsVpc_neverReachesATableWithTheSameTagInAnotherVpc() {
        Ec2RouteTables tables = start(2);
        Ec2Client ec2 = target.client();
        String ownVpc = ec2.describeRouteTables(b -> b.routeTableIds(target.tableIds().get(0)))
                .routeTables().getFirst().vpcId();
        String otherVpc = ec2.createVpc(b -> b.cidrBlock("10.78.0.0/16")).vpc().vpcId();
        String foreign = ec2.createRouteTable(b -> b.vpcId(otherVpc).tagSpecifications(TagSpecification.builder()
                .resourceType(ResourceType.ROUTE_TABLE)
                .tags(Tag.builder().key("vipflip:group").value(target.tagValue()).build()).build()))
                .routeTable().routeTableId();
        RouteTableSelector byTag = RouteTableSelector.ofTag("vipflip:group", target.tagValue());

        RouteSnapshot unscoped = tables.read(byTag, List.of(VIP));
        RouteSnapshot scoped = tables.read(byTag.inVpc(ownVpc), List.of(VIP));

        assertTrue(unscoped.tableIds().contains(foreign), "without a VPC the tag alone reaches the other VPC");
        assertEquals(Set.copyOf(target.tableIds()), Set.copyOf(scoped.tableIds()));
        assertFalse(scoped.tableIds().contains(foreign));
    }

    @Test
    void writesAllTablesInParallel_throughThrottling() {
        Ec2RouteTables tables = start(20);
        Ec2Endpoint endpoint = local();
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));
        endpoint.faults().throttleNext(8);

        List<RouteWriteOutcome> outcomes = new ParallelRouteWriter(tables).writeAll(changes(before, target.eniB()));

        assertTrue(outcomes.stream().allMatch(RouteWriteOutcome::succeeded), outcomes.toString());
        assertTrue(endpoint.calls().all().stream().anyMatch(c -> c.error().equals("RequestLimitExceeded")),
                "the endpoint did throttle; the SDK retried");
        assertTrue(tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP)).allActiveOn(target.eniB()));
    }

    @Test
    void aTableThatFailsWrites_isReported_andTheOthersFlip() {
        Ec2RouteTables tables = start(3);
        Ec2Endpoint endpoint = local();
        endpoint.faults().failWritesTo(target.tableIds().get(1), -1);
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));

        List<RouteWriteOutcome> outcomes = new ParallelRouteWriter(tables).writeAll(changes(before, target.eniB()));

        assertEquals(List.of(true, false, true), outcomes.stream().map(RouteWriteOutcome::succeeded).toList());
        assertTrue(outcomes.get(1).error().orElseThrow().startsWith("InternalError"), outcomes.get(1).toString());
        assertEquals(target.eniB(), target.target(target.tableIds().get(0)));
        assertEquals(target.eniA(), target.target(target.tableIds().get(1)));
        assertEquals(target.eniB(), target.target(target.tableIds().get(2)));
    }

    @Test
    void aServerErrorAfterTheSdksRetries_mayHaveLanded() {
        Ec2RouteTables tables = start(1);
        local().faults().failWritesTo(target.tableIds().get(0), -1);
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));

        RouteWriteOutcome outcome = tables.write(changes(before, target.eniB()).getFirst());

        assertFalse(outcome.succeeded());
        assertTrue(outcome.mayHaveLanded(), "a 5xx proves nothing about what EC2 applied: " + outcome);
    }

    @Test
    void aClientRefusal_isDefinite_andNothingLanded() {
        Ec2RouteTables tables = start(1);
        local().faults().refuseWritesTo(target.tableIds().get(0), "UnauthorizedOperation");
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));

        RouteWriteOutcome outcome = tables.write(changes(before, target.eniB()).getFirst());

        assertFalse(outcome.succeeded());
        assertFalse(outcome.mayHaveLanded(), outcome.toString());
        assertTrue(outcome.error().orElseThrow().startsWith("UnauthorizedOperation"), outcome.toString());
        assertEquals(target.eniA(), target.target(target.tableIds().get(0)));
    }

    @Test
    void aClientErrorAfterAServerErrorSentAgain_mayHaveLanded() {
        Ec2RouteTables tables = start(1);
        Ec2Endpoint endpoint = local();
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));
        // The first send's 500 may have come after EC2 applied the change; the second's refusal cannot say it did not.
        // Route writes are one SDK attempt each; the writer sends again (decision 56).
        endpoint.faults().serverErrorsNext(1).refuseWritesTo(target.tableIds().get(0), "UnauthorizedOperation");

        RouteWriteOutcome outcome = new ParallelRouteWriter(tables).writeAll(changes(before, target.eniB())).getFirst();

        assertEquals(2, endpoint.calls().all().stream().filter(c -> c.isWrite()).count(), "sent again once");
        assertTrue(outcome.mayHaveLanded(), outcome.toString());
    }

    @Test
    void aWriteWithNoWindowLeft_isNotSent() {
        Ec2RouteTables tables = start(1);
        Ec2Endpoint endpoint = local();
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));
        endpoint.calls().clear();

        RouteWriteOutcome outcome = tables.write(changes(before, target.eniB()).getFirst(), java.time.Duration.ZERO);

        assertFalse(outcome.succeeded());
        assertFalse(outcome.mayHaveLanded(), "nothing was sent: " + outcome);
        assertTrue(outcome.error().orElseThrow().contains("not sent"), outcome.toString());
        assertEquals(0, endpoint.calls().writes());
        assertEquals(target.eniA(), target.target(target.tableIds().get(0)));
    }

    /** The SDK stops waiting at the bound it is given; EC2 still applies the request it received. */
    @Test
    void aWriteSlowerThanItsWindow_isCutAtTheBound_andMayHaveLanded() {
        Ec2RouteTables tables = start(1);
        Ec2Endpoint endpoint = local();
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));
        endpoint.faults().slowWrites(java.time.Duration.ofSeconds(3), 1);

        RouteWriteOutcome outcome = tables.write(changes(before, target.eniB()).getFirst(),
                java.time.Duration.ofMillis(300));

        assertFalse(outcome.succeeded(), outcome.toString());
        assertTrue(outcome.mayHaveLanded(), "the request reached EC2: " + outcome);
        assertTrue(!outcome.took().isNegative() && outcome.took().compareTo(java.time.Duration.ofMinutes(1)) < 0,
                "a measured duration: " + outcome.took());
        assertEquals(1, endpoint.faults().slowWritesStarted());
    }

    @Test
    void createsAMissingRoute() {
        Ec2RouteTables tables = start(2);
        target.client().deleteRoute(b -> b.routeTableId(target.tableIds().get(0)).destinationCidrBlock(VIP));
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));

        List<RouteWriteOutcome> outcomes = new ParallelRouteWriter(tables).writeAll(changes(before, target.eniB()));

        assertEquals(List.of("CreateRoute", "ReplaceRoute"), outcomes.stream().map(RouteWriteOutcome::action).toList());
        assertTrue(pointsAt(tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP)), target.eniB()));
    }

    @Test
    void repairsABlackholeRoute() {
        Ec2RouteTables tables = start(2);
        local().world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));
        assertEquals(RouteStatus.BLACKHOLE, before.routes().getFirst().status());

        new ParallelRouteWriter(tables).writeAll(changes(before, target.eniB()));

        assertTrue(tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP)).allActiveOn(target.eniB()));
    }

    @Test
    void fallsBackWhenTheRouteChangedBetweenReadAndWrite() {
        Ec2RouteTables tables = start(2);
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));
        // Table 0 loses its route after our read; table 1 was read as missing but someone created it meanwhile.
        target.client().deleteRoute(b -> b.routeTableId(target.tableIds().get(0)).destinationCidrBlock(VIP));
        RouteChange replaceVanished = new RouteChange(target.tableIds().get(0), VIP, target.eniB(), before.routes().get(0));
        RouteChange createAppeared = new RouteChange(target.tableIds().get(1), VIP, target.eniB(),
                VipRoute.missing(target.tableIds().get(1), VIP));

        RouteWriteOutcome replaced = tables.write(replaceVanished);
        RouteWriteOutcome created = tables.write(createAppeared);

        assertEquals("CreateRoute", replaced.action(), replaced.toString());
        assertEquals("ReplaceRoute", created.action(), created.toString());
        assertTrue(replaced.succeeded() && created.succeeded());
        assertTrue(pointsAt(tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP)), target.eniB()));
    }

    @Test
    void aWriteToAnUnknownInterface_failsWithEc2sCode_andChangesNothing() {
        Ec2RouteTables tables = start(1);
        RouteSnapshot before = tables.read(RouteTableSelector.ofIds(target.tableIds()), List.of(VIP));

        RouteWriteOutcome outcome = tables.write(new RouteChange(target.tableIds().get(0), VIP, "eni-0fffffffffffffff0",
                before.routes().getFirst()));

        assertFalse(outcome.succeeded());
        assertTrue(outcome.error().orElseThrow().startsWith("InvalidNetworkInterfaceID.NotFound"), outcome.toString());
        assertEquals(target.eniA(), target.target(target.tableIds().get(0)));
    }

    @Test
    void resolvesNodesFromDescribeInstances_withOneCallAndACache() {
        start(1);
        Ec2Endpoint endpoint = local();
        Ec2NodeResolver resolver = new Ec2NodeResolver(target.client());
        GroupConfig group = new GroupConfig("web", List.of(VIP), List.of(
                new NodeConfig("a", "i-0aaaaaaaaaaaaaaa1", Optional.empty(), Optional.empty(), 200),
                new NodeConfig("b", "i-0bbbbbbbbbbbbbbb2", Optional.empty(), Optional.of("10.9.9.9"), 100),
                new NodeConfig("ghost", "i-0fffffffffffffff0", Optional.empty(), Optional.empty(), 1)),
                RouteTableSelector.ofIds(target.tableIds()), null, null, null);
        endpoint.calls().clear();

        List<ResolvedNode> nodes = resolver.resolve(group);
        resolver.resolve(group);

        assertEquals(Optional.of(target.eniA()), nodes.get(0).eniId());
        assertEquals(Optional.of("127.0.0.1"), nodes.get(0).probeAddress());
        assertEquals(Optional.of("10.9.9.9"), nodes.get(1).probeAddress(), "configuration wins");
        assertEquals(Optional.empty(), nodes.get(2).eniId(), "an unknown instance stays unresolved");
        assertEquals(2, endpoint.calls().count("DescribeInstances"), "one call, then the ghost is retried once");
    }

    private static List<RouteChange> changes(RouteSnapshot snapshot, String eni) {
        return snapshot.routes().stream().map(r -> new RouteChange(r.tableId(), r.vip(), eni, r)).toList();
    }
}
