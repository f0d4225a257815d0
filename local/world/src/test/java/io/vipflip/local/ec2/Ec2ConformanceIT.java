package io.vipflip.local.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vipflip.local.ec2.Ec2Driver.Ec2Failure;
import io.vipflip.local.ec2.Ec2Driver.InstanceView;
import io.vipflip.local.ec2.Ec2Driver.RouteView;
import io.vipflip.local.ec2.Ec2Driver.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One suite, two independent clients: every case runs through the AWS SDK v2 and through the AWS CLI, so the
 * endpoint is held to what real clients parse, not to what our own code expects. With VIPFLIP_CI=true a missing CLI
 * fails the suite instead of skipping it.
 */
class Ec2ConformanceIT {
    private static final String VIP = "192.168.100.10/32";
    private static final String A = "eni-0aaaaaaaaaaaaaaa1";
    private static final String B = "eni-0bbbbbbbbbbbbbbb2";
    private static final String RTB_A = "rtb-0aaaaaaaaaaaaaaa1";
    private Ec2Endpoint endpoint;

    @BeforeEach
    void start() {
        endpoint = Ec2Endpoint.start(WorldFile.demo());
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private Ec2Driver driver(String name) {
        if (name.equals("sdk")) {
            return new SdkDriver(endpoint.endpoint());
        }
        Optional<String> aws = io.vipflip.local.cli.AwsCli.find();
        if (aws.isEmpty() && "true".equals(System.getenv("VIPFLIP_CI"))) {
            throw new AssertionError("the AWS CLI is required in CI (apt-get install awscli)");
        }
        assumeTrue(aws.isPresent(), "the AWS CLI is not installed");
        return new CliDriver(aws.get(), endpoint.endpoint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void describesRouteTables_withTagsAssociationsAndRoutes(String client) {
        List<TableView> tables = driver(client).describeRouteTables(List.of(), Map.of(), null);

        assertEquals(List.of(RTB_A, "rtb-0bbbbbbbbbbbbbbb2", "rtb-0ccccccccccccccc3"), tables.stream().map(TableView::id).toList());
        TableView first = tables.getFirst();
        assertEquals("web", first.tags().get("vipflip:group"));
        assertEquals(List.of("subnet-0d3m000000000001a"), first.subnets());
        assertEquals(new Ec2Driver.RouteView("local", "active"), first.routes().get("10.0.0.0/16"));
        assertEquals(new Ec2Driver.RouteView(A, "active"), first.routes().get(VIP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void filtersRouteTables_likeEc2(String client) {
        Ec2Driver ec2 = driver(client);
        endpoint.world().routeTable("rtb-0dddddddddddddd4", "vpc-0other", Map.of("team", "db"), List.of("subnet-x"));

        assertEquals(3, ec2.describeRouteTables(List.of(), Map.of("tag:vipflip:group", List.of("web")), null).size());
        assertEquals(1, ec2.describeRouteTables(List.of(), Map.of("tag-key", List.of("team")), null).size());
        assertEquals(3, ec2.describeRouteTables(List.of(), Map.of("vpc-id", List.of("vpc-0d3m0000000000001")), null).size());
        assertEquals(List.of("rtb-0bbbbbbbbbbbbbbb2"), ids(ec2.describeRouteTables(List.of(),
                Map.of("association.subnet-id", List.of("subnet-0d3m000000000001b")), null)));
        assertEquals(3, ec2.describeRouteTables(List.of(), Map.of("route.destination-cidr-block", List.of(VIP)), null).size());
        assertEquals(List.of(RTB_A), ids(ec2.describeRouteTables(List.of(), Map.of("route-table-id", List.of(RTB_A)), null)));
        assertEquals(2, ec2.describeRouteTables(List.of(), Map.of("route-table-id", List.of("rtb-0a*", "rtb-0c*")), null).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void paginatesWithMaxResultsAndNextToken(String client) {
        for (int i = 0; i < 12; i++) {
            endpoint.world().routeTable(String.format("rtb-%08x", 0x100 + i), "vpc-0d3m0000000000001",
                    Map.of("vipflip:group", "web"), List.of());
        }
        endpoint.calls().clear();

        List<TableView> tables = driver(client).describeRouteTables(List.of(), Map.of("tag:vipflip:group", List.of("web")), 5);

        assertEquals(15, tables.size());
        assertEquals(15, tables.stream().map(TableView::id).distinct().count());
        assertEquals(3, endpoint.calls().count("DescribeRouteTables"), "15 tables in pages of 5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void answersRouteErrorsWithEc2sCodes(String client) {
        Ec2Driver ec2 = driver(client);

        assertEquals("RouteAlreadyExists", code(() -> ec2.createRoute(RTB_A, VIP, B)));
        assertEquals("RouteAlreadyExists", code(() -> ec2.createRoute(RTB_A, VIP, A)), "even to the same target");
        Ec2Failure missing = assertThrows(Ec2Failure.class, () -> ec2.replaceRoute(RTB_A, "192.168.100.99/32", B));
        assertEquals("InvalidParameterValue", missing.code);
        assertTrue(missing.getMessage().contains("Use CreateRoute instead"), missing.getMessage());
        assertEquals("InvalidRoute.NotFound", code(() -> ec2.deleteRoute(RTB_A, "192.168.100.99/32")));
        assertEquals("InvalidRouteTableID.NotFound", code(() -> ec2.replaceRoute("rtb-0fffffffffffffff0", VIP, B)));
        assertEquals("InvalidNetworkInterfaceID.NotFound", code(() -> ec2.replaceRoute(RTB_A, VIP, "eni-0fffffffffffffff0")));
        assertEquals("InvalidInstanceID.NotFound", code(() -> ec2.describeInstances(List.of("i-0fffffffffffffff0"))));
        assertEquals("InvalidRouteTableID.NotFound",
                code(() -> ec2.describeRouteTables(List.of("rtb-0fffffffffffffff0"), Map.of(), null)));
        assertEquals("InvalidParameterValue",
                code(() -> ec2.describeRouteTables(List.of(), Map.of("no-such-filter", List.of("x")), null)));
        assertEquals(A, endpoint.world().target(RTB_A, VIP), "failed calls change nothing");
    }

    /** CreateRoute/ReplaceRoute/DeleteRoute answer a malformed DestinationCidrBlock as EC2 does, changing nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void rejectsAnInvalidDestinationCidrBlock_withInvalidParameterValue(String client) {
        Ec2Driver ec2 = driver(client);
        List<TableView> before = ec2.describeRouteTables(List.of(), Map.of(), null);

        for (String invalid : List.of("300.1.1.1/32", "10.0.0.0/40", "192.168.100.10", "192.168.100/24",
                "010.0.0.0/8", "10.0.0.0/08", "::/0", "10.0.0.0/8/8")) {
            Ec2Failure failure = assertThrows(Ec2Failure.class, () -> ec2.createRoute(RTB_A, invalid, B), invalid);
            assertEquals("InvalidParameterValue", failure.code, invalid);
            assertTrue(failure.getMessage().contains("Value (" + invalid + ") for parameter destinationCidrBlock is "
                    + "invalid. This is not a valid CIDR block."), failure.getMessage());
        }
        assertEquals("InvalidParameterValue", code(() -> ec2.replaceRoute(RTB_A, "300.1.1.1/32", B)));
        assertEquals("InvalidParameterValue", code(() -> ec2.deleteRoute(RTB_A, "10.0.0.0/40")));
        assertEquals(before, ec2.describeRouteTables(List.of(), Map.of(), null), "failed calls change nothing");
    }

    /** EC2 documents that CreateRoute stores a misaligned block in canonical form: 100.68.0.18/18 as 100.68.0.0/18. */
    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void createRouteStoresAMisalignedBlockInCanonicalForm(String client) {
        Ec2Driver ec2 = driver(client);

        ec2.createRoute(RTB_A, "100.68.0.18/18", B);
        ec2.createRoute(RTB_A, "10.1.2.3/0", B);

        Map<String, RouteView> routes = ec2.describeRouteTables(List.of(RTB_A), Map.of(), null).getFirst().routes();
        assertEquals(B, routes.get("100.68.0.0/18").target());
        assertEquals(B, routes.get("0.0.0.0/0").target());
        assertFalse(routes.containsKey("100.68.0.18/18"));
        assertEquals("RouteAlreadyExists", code(() -> ec2.createRoute(RTB_A, "100.68.63.255/18", A)),
                "the same block once canonical");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void replacesCreatesAndDeletesRoutes(String client) {
        Ec2Driver ec2 = driver(client);

        ec2.replaceRoute(RTB_A, VIP, B);
        ec2.deleteRoute("rtb-0bbbbbbbbbbbbbbb2", VIP);
        ec2.createRoute("rtb-0ccccccccccccccc3", "192.168.100.20/32", B);

        List<TableView> tables = ec2.describeRouteTables(List.of(), Map.of(), null);
        assertEquals(B, tables.get(0).routes().get(VIP).target());
        assertFalse(tables.get(1).routes().containsKey(VIP));
        assertEquals(B, tables.get(2).routes().get("192.168.100.20/32").target());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void aStoppedInstancesRoutesAreBlackholes(String client) {
        Ec2Driver ec2 = driver(client);
        endpoint.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");

        List<TableView> tables = ec2.describeRouteTables(List.of(), Map.of(), null);
        InstanceView instance = ec2.describeInstances(List.of("i-0aaaaaaaaaaaaaaa1")).get("i-0aaaaaaaaaaaaaaa1");

        assertTrue(tables.stream().allMatch(t -> t.routes().get(VIP).state().equals("blackhole")));
        assertEquals("stopped", instance.state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void describesInstancesAndInterfaces_andTheSourceDestCheck(String client) {
        Ec2Driver ec2 = driver(client);

        Map<String, InstanceView> instances = ec2.describeInstances(List.of("i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"));
        assertEquals(new InstanceView("running", "127.0.0.11", A, "eu-west-1a"), instances.get("i-0aaaaaaaaaaaaaaa1"));
        assertEquals("eu-west-1b", instances.get("i-0bbbbbbbbbbbbbbb2").availabilityZone());
        assertEquals(List.of(B), ec2.networkInterfacesOf("i-0bbbbbbbbbbbbbbb2"));

        assertTrue(ec2.sourceDestCheck(A), "EC2 creates interfaces with the check on");
        ec2.setSourceDestCheck(A, false);
        assertFalse(ec2.sourceDestCheck(A));
        assertFalse(endpoint.world().sourceDestCheck(A));
    }

    private static List<String> ids(List<TableView> tables) {
        return tables.stream().map(TableView::id).toList();
    }

    private static String code(Runnable call) {
        return assertThrows(Ec2Failure.class, call::run).code;
    }
}
