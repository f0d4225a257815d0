package io.vipflip.reliability;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.LeaseStore;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.Ec2RouteTables;
import io.vipflip.route.RouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.LocalEc2;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The reliability suites' world: the local EC2 endpoint over HTTP (nodes a, b on 127.0.0.1 / 127.0.0.2), DynamoDB
 * Local, loopback listeners for the nodes, and orchestrators built as production builds them.
 */
final class ReliabilityWorld implements AutoCloseable {
    static final String VIP = "192.168.100.10/32";
    static final String ENI_A = "eni-0aaaaaaaaaaaaaaa1";
    static final String ENI_B = "eni-0bbbbbbbbbbbbbbb2";
    final Ec2Endpoint endpoint;
    final Ec2Client ec2;
    final Listeners listeners = new Listeners();
    final String table = LocalDynamo.freshTable();
    final int port;
    final int tables;
    final DeploymentConfig config;

    static final String ENI_C = "eni-0ccccccccccccccc3";

    ReliabilityWorld(int tables, int fall, int rise) {
        this(tables, fall, rise, "\"leaseMillis\": 10000,", false);
    }

    /**
     * @param deploymentFields JSON fields of the deployment before "groups" (lease, timing), each ending in a comma
     * @param thirdNode        adds node c (priority 50) on 127.0.0.3
     */
    ReliabilityWorld(int tables, int fall, int rise, String deploymentFields, boolean thirdNode) {
        this.tables = tables;
        this.endpoint = LocalEc2.start(tables);
        this.ec2 = LocalEc2.client(endpoint.endpoint());
        this.port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        String nodeC = "";
        if (thirdNode) {
            endpoint.world().instance("i-0ccccccccccccccc3", "subnet-0000000000000001b", "127.0.0.3", ENI_C,
                    Map.of("Name", "c"));
            listeners.open("127.0.0.3", port);
            nodeC = ", {\"name\": \"c\", \"instanceId\": \"i-0ccccccccccccccc3\", \"priority\": 50}";
        }
        String ids = String.join(",", tableIds().stream().map(id -> "\"" + id + "\"").toList());
        this.config = new ConfigParser().parse("""
                {%s "groups": [{"name": "web", "vips": ["%s"],
                  "nodes": [{"name": "a", "instanceId": "i-0aaaaaaaaaaaaaaa1", "priority": 200},
                            {"name": "b", "instanceId": "i-0bbbbbbbbbbbbbbb2", "priority": 100}%s],
                  "routeTables": {"ids": [%s]},
                  "probe": {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 500, "fall": %d, "rise": %d},
                  "damping": {"minSecondsBetweenFlips": 0, "maxFlipsPerHour": 3600}}]}
                """.formatted(deploymentFields, VIP, nodeC, ids, port, fall, rise));
    }

    List<String> tableIds() {
        return IntStream.range(0, tables).mapToObj(LocalEc2::tableId).toList();
    }

    Orchestrator orchestrator(String owner, Clock clock) {
        return orchestrator(owner, clock, new Ec2RouteTables(ec2), leases());
    }

    Orchestrator orchestrator(String owner, Clock clock, RouteTables routes, LeaseStore leases) {
        return new Orchestrator(config, new Ec2NodeResolver(ec2), new TcpProber(), routes, leases, states(), clock, owner);
    }

    DynamoLeaseStore leases() {
        return new DynamoLeaseStore(LocalDynamo.client(), table);
    }

    DynamoGroupStateStore states() {
        return new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1));
    }

    List<HistoryEvent> history() {
        List<HistoryEvent> newestFirst = states().history("web", 1000);
        return newestFirst.reversed();
    }

    /** Every table's VIP target. */
    Map<String, String> routes() {
        Map<String, String> routes = new java.util.LinkedHashMap<>();
        tableIds().forEach(id -> routes.put(id, endpoint.world().target(id, VIP)));
        return routes;
    }

    boolean allOn(String eni) {
        return routes().values().stream().allMatch(eni::equals);
    }

    void kill(String node) {
        listeners.close(address(node), port);
    }

    void revive(String node) {
        listeners.open(address(node), port);
    }

    private static String address(String node) {
        return switch (node) {
            case "a" -> "127.0.0.1";
            case "b" -> "127.0.0.2";
            default -> "127.0.0.3";
        };
    }

    @Override
    public void close() {
        listeners.close();
        endpoint.close();
    }
}
