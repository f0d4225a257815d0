package io.vipflip.testing;

import io.vipflip.config.ConfigParameter;
import java.time.Instant;
import java.util.List;

/** Group documents for the per-group parameter tests: one VIP, two nodes, explicit tables, all unique per index. */
public final class GroupDocs {
    private GroupDocs() {
    }

    public static String name(int index) {
        return String.format("g%02d", index);
    }

    public static String vip(int index) {
        return "192.168.200." + index + "/32";
    }

    public static String eni(int index, char node) {
        return String.format("eni-%c%016x", node, index);
    }

    public static String instance(int index, char node) {
        return String.format("i-%c%016x", node, index);
    }

    public static String table(int index) {
        return String.format("rtb-%017x", 0x200 + index);
    }

    /** A valid document for group {@code index}; probes {@code port} on 127.0.0.1 (a) and 127.0.0.2 (b). */
    public static String document(int index, int port) {
        return document(index, port, 3);
    }

    public static String document(int index, int port, int fall) {
        return """
                {"name": "%s", "vips": ["%s"],
                 "nodes": [{"name": "a", "instanceId": "%s", "eniId": "%s", "probeAddress": "127.0.0.1", "priority": 200},
                           {"name": "b", "instanceId": "%s", "eniId": "%s", "probeAddress": "127.0.0.2", "priority": 100}],
                 "routeTables": {"ids": ["%s"]},
                 "probe": {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 1000, "fall": %d, "rise": 2}}
                """.formatted(name(index), vip(index), instance(index, 'a'), eni(index, 'a'), instance(index, 'b'),
                eni(index, 'b'), table(index), port, fall);
    }

    public static ConfigParameter parameter(String root, int index, String value, long version) {
        return new ConfigParameter(root + "/groups/" + name(index), value, version,
                Instant.parse("2026-11-25T10:00:00Z").plusSeconds(version));
    }

    public static List<ConfigParameter> valid(String root, int count, int port) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> parameter(root, i, document(i, port), 1)).toList();
    }

    /**
     * The EC2 world of groups 0 .. count-1 in one VPC and subnet: both nodes' instances and ENIs, and each group's
     * route table with its VIP on node a.
     */
    public static io.vipflip.local.ec2.World world(int count) {
        io.vipflip.local.ec2.World world = new io.vipflip.local.ec2.World("123456789012")
                .vpc("vpc-0000000000000001", "10.0.0.0/16")
                .subnet("subnet-0000000000000001a", "vpc-0000000000000001", "eu-west-1a", "10.0.1.0/24");
        for (int i = 0; i < count; i++) {
            for (char node : new char[] {'a', 'b'}) {
                world.instance(instance(i, node), "subnet-0000000000000001a", "10.0.1." + (node == 'a' ? 10 : 20),
                        eni(i, node), java.util.Map.of());
            }
            world.routeTable(table(i), "vpc-0000000000000001", java.util.Map.of(), List.of());
            world.route(table(i), vip(i), eni(i, 'a'));
        }
        return world;
    }
}
