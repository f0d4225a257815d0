package io.vipflip.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipflip.config.RouteTableSelector;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ec2.World;
import io.vipflip.testing.LocalEc2;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** {@link Ec2RouteTables#readAll}: every group's tables in one call per kind of filter, split back per group. */
class Ec2RouteTablesReadAllIT {
    private static final String VPC = "vpc-0000000000000001";
    private static final String OTHER_VPC = "vpc-0000000000000002";
    private final World world = new World("123456789012").vpc(VPC, "10.0.0.0/16").vpc(OTHER_VPC, "10.1.0.0/16")
            .subnet("subnet-0000000000000001a", VPC, "eu-west-1a", "10.0.1.0/24")
            .instance("i-0aaaaaaaaaaaaaaa1", "subnet-0000000000000001a", "10.0.1.10", "eni-0aaaaaaaaaaaaaaa1", Map.of());
    private Ec2Endpoint endpoint;
    private Ec2Client ec2;

    @AfterEach
    void stop() {
        ec2.close();
        endpoint.close();
    }

    private Ec2RouteTables start() {
        endpoint = Ec2Endpoint.start(world);
        ec2 = LocalEc2.client(endpoint.endpoint());
        return new Ec2RouteTables(ec2);
    }

    private void table(int index, String vpc, Map<String, String> tags, String vip) {
        world.routeTable(LocalEc2.tableId(index), vpc, tags, List.of());
        world.route(LocalEc2.tableId(index), vip, "eni-0aaaaaaaaaaaaaaa1");
    }

    @Test
    void idsAndOneTagKey_cost_oneCallEach_andEveryGroupGetsExactlyItsTables() {
        for (int i = 0; i < 6; i++) {
            table(i, VPC, Map.of("vipflip:group", i < 3 ? "web" : "api"), "192.168.100." + (10 + i) + "/32");
        }
        table(6, VPC, Map.of("other", "x"), "192.168.100.16/32");
        Ec2RouteTables tables = start();
        Map<String, RouteQuery> queries = new LinkedHashMap<>();
        queries.put("byId", new RouteQuery(RouteTableSelector.ofIds(List.of(LocalEc2.tableId(6), "rtb-0000000000000dead")),
                List.of("192.168.100.16/32")));
        queries.put("web", new RouteQuery(RouteTableSelector.ofTag("vipflip:group", "web"), List.of("192.168.100.10/32")));
        queries.put("api", new RouteQuery(RouteTableSelector.ofTag("vipflip:group", "api"), List.of("192.168.100.13/32")));

        Map<String, RouteSnapshot> snapshots = tables.readAll(queries);

        assertEquals(2, endpoint.calls().count("DescribeRouteTables"), "one for the ids, one for the tag key");
        assertEquals(List.of(LocalEc2.tableId(6)), snapshots.get("byId").tableIds());
        assertEquals(List.of("rtb-0000000000000dead"), snapshots.get("byId").absentTables());
        assertEquals(List.of(LocalEc2.tableId(0), LocalEc2.tableId(1), LocalEc2.tableId(2)), snapshots.get("web").tableIds());
        assertEquals(List.of(LocalEc2.tableId(3), LocalEc2.tableId(4), LocalEc2.tableId(5)), snapshots.get("api").tableIds());
        assertEquals(RouteStatus.ACTIVE, snapshots.get("api").route(LocalEc2.tableId(3), "192.168.100.13/32")
                .orElseThrow().status());
        assertEquals(RouteStatus.MISSING, snapshots.get("api").route(LocalEc2.tableId(4), "192.168.100.13/32")
                .orElseThrow().status());
        assertEquals(snapshots.get("web"), tables.read(RouteTableSelector.ofTag("vipflip:group", "web"),
                List.of("192.168.100.10/32")), "the same answer as a read of the group alone");
    }

    @Test
    void aKeyWithoutValue_coversEveryValueOfThatKey_inOneCall() {
        table(0, VPC, Map.of("vipflip:group", "web"), "192.168.100.10/32");
        table(1, VPC, Map.of("vipflip:group", "api"), "192.168.100.10/32");
        Ec2RouteTables tables = start();
        Map<String, RouteQuery> queries = new LinkedHashMap<>();
        queries.put("any", new RouteQuery(RouteTableSelector.ofTag("vipflip:group", ""), List.of("192.168.100.10/32")));
        queries.put("web", new RouteQuery(RouteTableSelector.ofTag("vipflip:group", "web"), List.of("192.168.100.10/32")));

        Map<String, RouteSnapshot> snapshots = tables.readAll(queries);

        assertEquals(1, endpoint.calls().count("DescribeRouteTables"));
        assertEquals(2, snapshots.get("any").tableIds().size());
        assertEquals(List.of(LocalEc2.tableId(0)), snapshots.get("web").tableIds());
    }

    @Test
    void aGroupLimitedToAVpc_neverSeesAnotherVpcsTables() {
        table(0, VPC, Map.of("vipflip:group", "web"), "192.168.100.10/32");
        table(1, OTHER_VPC, Map.of("vipflip:group", "web"), "192.168.100.10/32");
        Ec2RouteTables tables = start();
        Map<String, RouteQuery> queries = new LinkedHashMap<>();
        queries.put("scoped", new RouteQuery(RouteTableSelector.ofTag("vipflip:group", "web").inVpc(VPC),
                List.of("192.168.100.10/32")));
        queries.put("unscoped", new RouteQuery(RouteTableSelector.ofTag("vipflip:group", "web"),
                List.of("192.168.100.10/32")));

        Map<String, RouteSnapshot> snapshots = tables.readAll(queries);

        assertEquals(List.of(LocalEc2.tableId(0)), snapshots.get("scoped").tableIds());
        assertEquals(2, snapshots.get("unscoped").tableIds().size());
        assertEquals(2, endpoint.calls().count("DescribeRouteTables"), "one per VPC scope");
    }

    @Test
    void manyIds_arePagedAndChunkedByAHundred() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            table(i, VPC, Map.of(), "192.168.100.10/32");
            ids.add(LocalEc2.tableId(i));
        }
        Ec2RouteTables tables = start();
        Map<String, RouteQuery> queries = new LinkedHashMap<>();
        for (int g = 0; g < 50; g++) {
            queries.put("g" + g, new RouteQuery(RouteTableSelector.ofIds(ids.subList(g * 5, g * 5 + 5)),
                    List.of("192.168.100.10/32")));
        }

        Map<String, RouteSnapshot> snapshots = tables.readAll(queries);

        assertEquals(3, endpoint.calls().count("DescribeRouteTables"), "250 tables: 3 calls, not 50");
        assertEquals(ids.subList(245, 250), snapshots.get("g49").tableIds());
    }
}
