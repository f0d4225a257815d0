package io.vipflip.demo;

import io.vipflip.aws.AwsClients;
import io.vipflip.aws.VipflipTable;
import io.vipflip.config.GroupParameters;
import io.vipflip.config.SsmConfigParameters;
import io.vipflip.history.Notifier;
import io.vipflip.local.DynamoDbLocal;
import io.vipflip.local.ec2.CallLog;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ec2.World;
import io.vipflip.local.nodes.ListenerNode;
import io.vipflip.local.nodes.NodeNetwork;
import io.vipflip.local.nodes.Nodes;
import io.vipflip.local.nodes.Ports;
import io.vipflip.local.ssm.SsmEndpoint;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.runtime.Engine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * {@code ./bench groups}: failover in one group of a 50-group deployment (2 nodes and 5 route tables each, one SSM
 * parameter per group, default probe settings) against the same group deployed alone. Group g0's nodes are real
 * haproxy in network namespaces; g1's node b is lost for the whole run (every probe of it times out), so g1's rounds
 * take the full probe timeout; the other groups probe two shared listeners. Each trial: a fresh table (the default
 * damping would refuse the next flips), the health-check function's watch loop, a random 0–1 s wait once g0 is UP,
 * kill -9 of g0's active node; time to g0's last successful route write (EC2 call log). Other groups must stay quiet:
 * no route write to their tables and no run that was not a quiet no-change.
 */
final class GroupsBench {
    static final int TABLES_PER_GROUP = 5;
    private static final String VPC = "vpc-00000000000000001";
    private static final String ROOT = "/vipflip/bench";

    /** {@code otherKinds}: what the other groups' runs that were not a quiet no-change did, by outcome, counted. */
    record Result(int groups, int attempted, List<Long> totals, List<String> failures, long otherWrites,
                  long otherNotable, Map<String, Integer> otherKinds) {
    }

    private final Duration ec2Latency;
    private final int trials;
    private final Random random = new Random(7);

    GroupsBench(Duration ec2Latency, int trials) {
        this.ec2Latency = ec2Latency;
        this.trials = trials;
    }

    private static String vip(int group) {
        return "192.168." + (100 + group / 200) + "." + (group % 200 + 10) + "/32";
    }

    private static String eni(String node, int group) {
        return String.format("eni-%s%016x", node, group);
    }

    private static String table(int group, int t) {
        return String.format("rtb-%017x", 0x1000 + group * TABLES_PER_GROUP + t);
    }

    Result run(int groups) throws Exception {
        NodeNetwork network = NodeNetwork.best();
        if (network != NodeNetwork.NAMESPACES) {
            throw new IllegalStateException("needs network namespaces: " + NodeNetwork.namespacesUnavailable().orElse(""));
        }
        int port = Ports.free();
        ListenerNode sharedA = new ListenerNode("a", "127.0.0.21", port);
        ListenerNode sharedB = new ListenerNode("b", "127.0.0.22", port);
        sharedA.start();
        sharedB.start();
        World world = new World("123456789012").vpc(VPC, "10.0.0.0/16")
                .subnet("subnet-0000000000000001a", VPC, "eu-west-1a", "10.0.1.0/24");
        AwsClients clients = new AwsClients(Region.EU_WEST_1, Duration.ofSeconds(10),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        try (Nodes nodes = Nodes.start(List.of(new Nodes.Spec("g0-a", "127.0.0.31"), new Nodes.Spec("g0-b", "127.0.0.32"),
                new Nodes.Spec("g1-b", "127.0.0.33")), port, network);
             Ec2Endpoint endpoint = Ec2Endpoint.start(world);
             DynamoDbLocal dynamo = DynamoDbLocal.startOnFreePort();
             SsmEndpoint ssm = SsmEndpoint.start("eu-west-1", "123456789012");
             Ec2Client ec2 = clients.ec2(endpoint.endpoint());
             DynamoDbClient ddb = clients.dynamo(dynamo.endpoint());
             SsmClient ssmClient = clients.ssm(ssm.endpoint())) {
            endpoint.throttling().enabled(true);
            endpoint.faults().latency(ec2Latency);
            for (int g = 0; g < groups; g++) {
                for (String node : List.of("a", "b")) {
                    world.instance(String.format("i-%s%016x", node, g), "subnet-0000000000000001a",
                            "10.0.1." + (g % 200 + 10), eni(node, g), Map.of());
                }
                for (int t = 0; t < TABLES_PER_GROUP; t++) {
                    world.routeTable(table(g, t), VPC, Map.of("vipflip:group", "g" + g), List.of());
                    world.route(table(g, t), vip(g), eni("a", g));
                }
                String a = g == 0 ? nodes.address("g0-a") : "127.0.0.21";
                String b = g == 0 ? nodes.address("g0-b") : g == 1 ? nodes.address("g1-b") : "127.0.0.22";
                ssm.store().put(ROOT + "/groups/g" + g, """
                        {"name": "g%d", "vips": ["%s"], "nodes": [
                          {"name": "a", "instanceId": "i-a%016x", "eniId": "%s", "probeAddress": "%s", "priority": 200},
                          {"name": "b", "instanceId": "i-b%016x", "eniId": "%s", "probeAddress": "%s", "priority": 100}],
                         "routeTables": {"tag": {"key": "vipflip:group", "value": "g%d"}, "vpcId": "%s"},
                         "probe": {"ports": [%d]}}""".formatted(g, vip(g), g, eni("a", g), a, g, eni("b", g), b, g, VPC, port)
                        .replaceAll("\\s+", " "), Optional.of("String"), true, Optional.empty());
            }
            if (groups > 1) {
                nodes.lose("g1-b"); // its probes time out in every round of g1
            }
            List<Long> totals = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            long otherWrites = 0;
            AtomicInteger otherNotable = new AtomicInteger();
            Map<String, Integer> otherKinds = new java.util.concurrent.ConcurrentSkipListMap<>();
            for (int i = 0; i < trials; i++) {
                nodes.restart("g0-a");
                for (int t = 0; t < TABLES_PER_GROUP; t++) {
                    world.route(table(0, t), vip(0), eni("a", 0));
                }
                String tableName = "vipflip-groups-" + groups + "-" + i;
                VipflipTable.createIfMissing(ddb, tableName);
                Engine engine = Engine.fromParameters(new GroupParameters(ROOT), new SsmConfigParameters(ssmClient),
                        Duration.ofSeconds(60), tableName, ec2, ddb, Clock.systemUTC(), "bench:" + UUID.randomUUID(),
                        Notifier.NONE);
                Thread loop = Thread.ofPlatform().name("watch-loop").start(() -> engine.watch().run(Duration.ofMinutes(5),
                        r -> {
                            if (!r.group().equals("g0") && r.outcome() != Outcome.NO_CHANGE) {
                                otherNotable.incrementAndGet();
                                otherKinds.merge(r.outcome() + " (" + r.group() + ": " + r.decision().reason() + ")",
                                        1, Integer::sum);
                            }
                        }));
                try {
                    boolean steady = Waits.await(() -> engine.orchestrator().health("g0")
                            .map(h -> h.of("a").isUp() && h.of("b").isUp()).orElse(false), Duration.ofSeconds(60));
                    if (!steady) {
                        failures.add("trial " + i + ": g0 never steady");
                        continue;
                    }
                    Thread.sleep(1000 + random.nextInt(1000)); // every group past its first rounds, then a random phase
                    endpoint.calls().clear();
                    nodes.kill("g0-a");
                    long killed = System.nanoTime();
                    boolean flipped = Waits.await(() -> {
                        for (int t = 0; t < TABLES_PER_GROUP; t++) {
                            if (!eni("b", 0).equals(world.target(table(0, t), vip(0)))) {
                                return false;
                            }
                        }
                        return true;
                    }, Duration.ofSeconds(20));
                    List<CallLog.Call> calls = endpoint.calls().all();
                    otherWrites += calls.stream().filter(c -> c.isWrite() && c.tableId() != null
                            && !isGroup0(c.tableId())).count();
                    if (!flipped) {
                        failures.add("trial " + i + ": g0's tables never all reached b within 20 s");
                        continue;
                    }
                    long lastWrite = calls.stream().filter(c -> c.isWrite() && c.status() == 200 && c.tableId() != null
                            && isGroup0(c.tableId())).mapToLong(CallLog.Call::nanoTime).max().orElse(System.nanoTime());
                    totals.add((lastWrite - killed) / 1_000_000);
                } finally {
                    engine.watch().stop(); // not an interrupt alone: one lost in an SDK call left loops running
                    loop.join(20_000);
                }
            }
            return new Result(groups, trials, totals, failures, otherWrites, otherNotable.get(), Map.copyOf(otherKinds));
        } finally {
            sharedA.close();
            sharedB.close();
        }
    }

    private static boolean isGroup0(String tableId) {
        for (int t = 0; t < TABLES_PER_GROUP; t++) {
            if (table(0, t).equals(tableId)) {
                return true;
            }
        }
        return false;
    }

    static String report(List<Result> results, int latencyMillis, int trials) {
        StringBuilder md = new StringBuilder();
        md.append(String.format("Measured %s on %s. `./bench groups --trials %d`: kill -9 of group g0's active node, "
                        + "g0 deployed alone and as one of 50 groups (2 nodes, %d route tables by tag each, one SSM "
                        + "parameter per group, default probe settings; in the 50-group case g1's node b is lost for the "
                        + "whole run, so every g1 round waits out the probe timeout). EC2 %d ms per call, throttling on. "
                        + "Time from the kill to g0's last successful route write. Goal: 50-group p95 within 10 %% of the "
                        + "single group's, no other group acting.%n%n",
                Bench.today(), Bench.machine(), trials, TABLES_PER_GROUP, latencyMillis));
        md.append("| groups | trials | did not flip | p50 ms | p95 ms | max ms | route writes to other groups' tables | "
                + "other groups' runs that acted |\n|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            List<Long> t = r.totals();
            md.append(String.format("| %d | %d | %d | %d | %d | %d | %d | %d |%n", r.groups(), r.attempted(),
                    r.attempted() - t.size(), Stats.percentile(t, 50), Stats.percentile(t, 95), Stats.max(t),
                    r.otherWrites(), r.otherNotable()));
        }
        if (results.size() == 2 && !results.get(0).totals().isEmpty() && !results.get(1).totals().isEmpty()) {
            double ratio = Stats.percentile(results.get(1).totals(), 95) / (double) Stats.percentile(results.get(0).totals(), 95);
            md.append(String.format("%n50-group p95 / single-group p95 = %.2f (goal ≤ 1.10).%n", ratio));
        }
        results.forEach(r -> r.failures().forEach(f -> md.append("- ").append(r.groups()).append(" groups: ").append(f).append('\n')));
        results.forEach(r -> new java.util.TreeMap<>(r.otherKinds()).entrySet().stream().limit(10).forEach(k -> md.append("- ")
                .append(r.groups()).append(" groups, another group's run: ").append(k.getKey()).append(" × ")
                .append(k.getValue()).append('\n')));
        return md.toString();
    }
}
