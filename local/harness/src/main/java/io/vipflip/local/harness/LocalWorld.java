package io.vipflip.local.harness;

import io.vipflip.aws.AwsClients;
import io.vipflip.aws.VipflipTable;
import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.local.DynamoDbLocal;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ec2.WorldFile;
import io.vipflip.local.nodes.NodeNetwork;
import io.vipflip.local.ssm.SsmEndpoint;
import io.vipflip.local.nodes.Nodes;
import io.vipflip.local.nodes.Ports;
import io.vipflip.runtime.Engine;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The demo world, running: the EC2 endpoint seeded with worlds/demo.json (two nodes in two AZs, three route
 * tables, VIP 192.168.100.10/32), DynamoDB Local with the vipflip table, and haproxy-a / haproxy-b on
 * 127.0.0.11 / 127.0.0.12. {@link #engine} wires vipflip to it exactly as a function wires itself to AWS.
 */
public final class LocalWorld implements AutoCloseable {
    public static final String VIP = "192.168.100.10/32";
    public static final String REGION = "eu-west-1";
    public static final Map<String, String> ENIS = Map.of("haproxy-a", "eni-0aaaaaaaaaaaaaaa1",
            "haproxy-b", "eni-0bbbbbbbbbbbbbbb2");

    /** Each node's instance, as worlds/demo.json seeds it (its private IP then follows the node's address). */
    public record Instance(String id, String subnet) {
    }

    public static final Map<String, Instance> INSTANCES = Map.of(
            "haproxy-a", new Instance("i-0aaaaaaaaaaaaaaa1", "subnet-0d3m000000000001a"),
            "haproxy-b", new Instance("i-0bbbbbbbbbbbbbbb2", "subnet-0d3m000000000001b"));

    private final Ec2Endpoint ec2;
    private final SsmEndpoint ssm;
    private final DynamoDbLocal dynamo;
    private final Nodes nodes;
    private String table;
    private int resets;
    private final int port;
    private final String configJson;
    private volatile java.util.Optional<String> configPath = java.util.Optional.empty();
    private volatile Duration configRefresh = Duration.ofSeconds(60);
    private final AwsClients clients = new AwsClients(Region.of(REGION), Duration.ofSeconds(10),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));

    private LocalWorld(Settings settings, Ec2Endpoint ec2, SsmEndpoint ssm, DynamoDbLocal dynamo, Nodes nodes, int port) {
        this.ec2 = ec2;
        this.ssm = ssm;
        this.dynamo = dynamo;
        this.nodes = nodes;
        this.port = port;
        this.table = "vipflip-local";
        this.configJson = """
                {"groups": [{"name": "web", "vips": ["%s"],
                  "nodes": [{"name": "haproxy-a", "instanceId": "i-0aaaaaaaaaaaaaaa1", "priority": 200},
                            {"name": "haproxy-b", "instanceId": "i-0bbbbbbbbbbbbbbb2", "priority": 100}],
                  "routeTables": {"tag": {"key": "vipflip:group", "value": "web"}},
                  "probe": {"ports": [%d], "timeoutMillis": %d, "intervalMillis": %d, "fall": %d, "rise": 2},
                  "failback": {"delaySeconds": %d},
                  "damping": {"minSecondsBetweenFlips": 2, "maxFlipsPerHour": 60}}]}
                """.formatted(VIP, port, Math.min(300, settings.intervalMillis() / 2), settings.intervalMillis(),
                settings.fall(), settings.failbackSeconds());
    }

    /** How the world runs: the probe interval, fall, failback delay, EC2 latency, and fixed ports if wanted. */
    public record Settings(int intervalMillis, int fall, int failbackSeconds, Duration ec2Latency, int ec2Port,
                           int dynamoPort, int tables) {
        public static Settings demo() {
            return new Settings(500, 3, 5, Duration.ZERO, 0, 0, 3);
        }

        /** The benchmark's world: N route tables, an emulated EC2 latency, no failback. */
        public static Settings bench(int tables, int intervalMillis, int fall, Duration ec2Latency) {
            return new Settings(intervalMillis, fall, 0, ec2Latency, 0, 0, tables);
        }
    }

    /** Starts every part with the nodes on loopback; if one fails, the parts already started are stopped again. */
    public static LocalWorld start(Settings settings) {
        return start(settings, NodeNetwork.LOOPBACK);
    }

    /**
     * The same, with the nodes where {@code network} puts them; each instance's private IP is the address its node
     * listens on, so vipflip finds it through DescribeInstances as in AWS.
     */
    public static LocalWorld start(Settings settings, NodeNetwork network) {
        List<AutoCloseable> started = new java.util.ArrayList<>();
        try {
            io.vipflip.local.ec2.World seeded = WorldFile.demo();
            for (String id : List.of("rtb-0ccccccccccccccc3", "rtb-0bbbbbbbbbbbbbbb2")) {
                if (seeded.routeTableIds().size() > Math.max(1, settings.tables())) {
                    seeded.removeRouteTable(id);
                }
            }
            for (int i = 3; i < settings.tables(); i++) {
                String id = String.format("rtb-%017x", 0x100000 + i);
                seeded.routeTable(id, "vpc-0d3m0000000000001", Map.of("vipflip:group", "web"), List.of());
                seeded.route(id, VIP, ENIS.get("haproxy-a"));
            }
            Ec2Endpoint ec2 = Ec2Endpoint.start(seeded, settings.ec2Port());
            started.add(ec2);
            ec2.faults().latency(settings.ec2Latency());
            SsmEndpoint ssm = SsmEndpoint.start(REGION, "123456789012");
            started.add(ssm);
            DynamoDbLocal dynamo = DynamoDbLocal.start(settings.dynamoPort());
            started.add(dynamo);
            int port = Ports.free();
            Nodes nodes = Nodes.start(List.of(new Nodes.Spec("haproxy-a", "127.0.0.11"),
                    new Nodes.Spec("haproxy-b", "127.0.0.12")), port, network);
            started.add(nodes);
            INSTANCES.forEach((node, instance) -> seeded.instance(instance.id(), instance.subnet(), nodes.address(node),
                    ENIS.get(node), Map.of("Name", node)));
            LocalWorld world = new LocalWorld(settings, ec2, ssm, dynamo, nodes, port);
            // DynamoDB Local's first request in a fresh JVM can take longer than vipflip's 10 s call timeout on a
            // loaded machine; setup may wait, vipflip's own calls keep their timeout.
            AwsClients setup = new AwsClients(Region.of(REGION), Duration.ofSeconds(60),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            VipflipTable.createIfMissing(setup.dynamo(dynamo.endpoint()), world.table);
            return world;
        } catch (RuntimeException e) {
            for (AutoCloseable part : started.reversed()) {
                try {
                    part.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public DeploymentConfig config() {
        return new ConfigParser().parse(configJson);
    }

    /**
     * Configures by one parameter per group (issue 16): writes the demo group to {@code <root>/groups/web} in the
     * world's Parameter Store; {@link #engine} and {@link #environment} then use {@code VIPFLIP_CONFIG_PATH}.
     */
    public void useGroupParameters(String root, Duration refresh) {
        String web = configJson.substring(configJson.indexOf('[') + 1, configJson.lastIndexOf(']')).trim();
        ssm.store().put(root + "/groups/web", web.replaceAll("\\s+", " "), java.util.Optional.of("String"), true,
                java.util.Optional.empty());
        configRefresh = refresh;
        configPath = java.util.Optional.of(root);
    }

    public String configJson() {
        return configJson;
    }

    /** vipflip wired to this world as a function wires itself to AWS ({@link Engine#create}). */
    public Engine engine(Clock clock) {
        if (configPath.isPresent()) {
            return Engine.fromParameters(new io.vipflip.config.GroupParameters(configPath.get()),
                    new io.vipflip.config.SsmConfigParameters(ssmClient()), configRefresh, table, ec2Client(),
                    dynamoClient(), clock, "local:" + UUID.randomUUID(), io.vipflip.history.Notifier.NONE);
        }
        return Engine.create(config(), table, ec2Client(), dynamoClient(), clock, "local:" + UUID.randomUUID());
    }

    /** The same, on a DynamoDB client of the caller's (e.g. one that counts calls). */
    public Engine engine(Clock clock, DynamoDbClient dynamoClient) {
        return Engine.create(config(), table, ec2Client(), dynamoClient, clock, "local:" + UUID.randomUUID());
    }

    public AwsClients clients() {
        return clients;
    }

    public Ec2Client ec2Client() {
        return clients.ec2(ec2.endpoint());
    }

    public SsmClient ssmClient() {
        return clients.ssm(ssm.endpoint());
    }

    /** The parameter store (SSM's JSON protocol), for per-group configuration under a path. */
    public SsmEndpoint ssm() {
        return ssm;
    }

    public DynamoDbClient dynamoClient() {
        return clients.dynamo(dynamo.endpoint());
    }

    public Ec2Endpoint ec2() {
        return ec2;
    }

    public DynamoDbLocal dynamo() {
        return dynamo;
    }

    public Nodes nodes() {
        return nodes;
    }

    public String table() {
        return table;
    }

    /**
     * Back to the starting state for the next test: faults and call log cleared, nodes running
     * and reachable, instances running, every table
     * routing the VIP to haproxy-a, both nodes up, and a fresh, empty DynamoDB table.
     */
    public void reset() {
        ec2.faults().clear();
        for (String node : ENIS.keySet()) {
            if (nodes.lost(node)) {
                nodes.reconnect(node);
            }
            nodes.restart(node); // a frozen node is killed and started afresh
        }
        for (String node : ENIS.keySet()) {
            awaitAccepting(node);
        }
        ec2.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "running");
        ec2.world().setInstanceState("i-0bbbbbbbbbbbbbbb2", "running");
        ec2.world().routeTableIds().forEach(id -> ec2.world().route(id, VIP, ENIS.get("haproxy-a")));
        table = "vipflip-local-" + (++resets);
        VipflipTable.createIfMissing(dynamoClient(), table);
        ec2.calls().clear();
        ssm.store().clear();
        ssm.clearCalls();
    }

    /**
     * Waits until {@code node} accepts a TCP connection from here: a node just reconnected or restarted can take a
     * moment, and a watch loop started before then rightly judges it DOWN and moves the VIP away — a benchmark
     * trial would then start from the wrong side.
     */
    private void awaitAccepting(String node) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(nodes.address(node), port), 300);
                return;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException(node + " does not accept connections 10 s after the reset", notYet);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + node, e);
                }
            }
        }
    }

    /** How many items the current table holds (0 means vipflip wrote nothing to DynamoDB). */
    public int dynamoItems() {
        return dynamoClient().scan(b -> b.tableName(table)).count();
    }

    public int port() {
        return port;
    }

    /** Where each table's VIP route points now, table id → ENI (or "missing"). */
    public Map<String, String> routes() {
        Map<String, String> routes = new LinkedHashMap<>();
        ec2.world().routeTableIds().forEach(id -> routes.put(id, ec2.world().target(id, VIP)));
        return routes;
    }

    /** True when every table's VIP route points at {@code node}'s ENI. */
    public boolean allOn(String node) {
        return routes().values().stream().allMatch(ENIS.get(node)::equals);
    }

    /** The environment a function (or the AWS CLI) needs to use this world through the SDK's standard settings. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL_EC2", ec2.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("VIPFLIP_TABLE", table);
        if (configPath.isPresent()) {
            env.put("VIPFLIP_CONFIG_PATH", configPath.get());
            env.put("VIPFLIP_CONFIG_REFRESH_SECONDS", Long.toString(configRefresh.toSeconds()));
        } else {
            env.put("VIPFLIP_CONFIG", configJson.replaceAll("\\s+", " ").trim());
        }
        return env;
    }

    @Override
    public void close() {
        nodes.close();
        ec2.close();
        ssm.close();
        dynamo.close();
    }
}
