package io.vipflip.demo;

import io.vipflip.aws.AwsClients;
import io.vipflip.aws.VipflipTable;
import io.vipflip.config.ConfigParser;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.local.DynamoDbLocal;
import io.vipflip.local.ec2.CallLog;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ec2.World;
import io.vipflip.local.nodes.ListenerNode;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.Ec2RouteTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code ./bench budget}: the EC2 API calls a deployment makes per second at 1, 10 and 50 groups (5 route tables
 * each, the default probe settings), counted in the local EC2 endpoint's call log with EC2's token buckets on.
 * The watch loop runs on a driven clock (its sleeps move virtual time), so a 120 s watch takes seconds and the
 * counts are exact; the calls themselves are real HTTP requests to the endpoint. Then node a of one group dies:
 * what a failover adds, while the other groups stay quiet.
 */
final class ApiBudgetBench {
    static final int TABLES_PER_GROUP = 5;
    private static final Duration WATCH = Duration.ofSeconds(120);

    record Result(int groups, int tables, long rounds, long describes, long allCalls, long throttled,
                  long failoverDescribes, long failoverWrites, int flips, long otherGroupsNotable) {
        double describesPerSecond() {
            return describes / (double) WATCH.toSeconds();
        }

        double callsPerSecond() {
            return allCalls / (double) WATCH.toSeconds();
        }
    }

    private final Duration ec2Latency;

    ApiBudgetBench(Duration ec2Latency) {
        this.ec2Latency = ec2Latency;
    }

    Result run(int groups) throws Exception {
        int port = freePort();
        ListenerNode sharedA = new ListenerNode("a", "127.0.0.21", port);
        ListenerNode sharedB = new ListenerNode("b", "127.0.0.22", port);
        ListenerNode ownA = new ListenerNode("g0-a", "127.0.0.23", port);
        ListenerNode ownB = new ListenerNode("g0-b", "127.0.0.24", port);
        List<ListenerNode> nodes = List.of(sharedA, sharedB, ownA, ownB);
        nodes.forEach(ListenerNode::start);
        World world = new World("123456789012").vpc("vpc-00000000000000001", "10.0.0.0/16")
                .subnet("subnet-0000000000000001a", "vpc-00000000000000001", "eu-west-1a", "10.0.1.0/24");
        StringBuilder config = new StringBuilder("{\"groups\": [");
        for (int g = 0; g < groups; g++) {
            for (String node : List.of("a", "b")) {
                world.instance(String.format("i-%s%016x", node, g), "subnet-0000000000000001a",
                        "10.0.1." + (g % 200 + 10), eni(node, g), Map.of());
            }
            for (int t = 0; t < TABLES_PER_GROUP; t++) {
                String id = String.format("rtb-%017x", 0x1000 + g * TABLES_PER_GROUP + t);
                world.routeTable(id, "vpc-00000000000000001", Map.of("vipflip:group", "g" + g), List.of());
                world.route(id, vip(g), eni("a", g));
            }
            String a = g == 0 ? "127.0.0.23" : "127.0.0.21";
            String b = g == 0 ? "127.0.0.24" : "127.0.0.22";
            // The default probe settings (inter 500, fastinter 200, fall 3, rise 2), tables by tag as deployed.
            config.append(g == 0 ? "" : ",").append("""
                    {"name": "g%d", "vips": ["%s"],
                     "nodes": [
                       {"name": "a", "instanceId": "i-a%016x", "eniId": "%s", "probeAddress": "%s", "priority": 200},
                       {"name": "b", "instanceId": "i-b%016x", "eniId": "%s", "probeAddress": "%s", "priority": 100}],
                     "routeTables": {"tag": {"key": "vipflip:group", "value": "g%d"}, "vpcId": "vpc-00000000000000001"},
                     "probe": {"ports": [%d]}}
                    """.formatted(g, vip(g), g, eni("a", g), a, g, eni("b", g), b, g, port));
        }
        config.append("]}");
        AwsClients clients = new AwsClients(Region.EU_WEST_1, Duration.ofSeconds(10),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        try (Ec2Endpoint endpoint = Ec2Endpoint.start(world); DynamoDbLocal dynamo = DynamoDbLocal.startOnFreePort();
             Ec2Client ec2 = clients.ec2(endpoint.endpoint()); DynamoDbClient ddb = clients.dynamo(dynamo.endpoint())) {
            endpoint.throttling().enabled(true);
            endpoint.faults().latency(ec2Latency);
            VipflipTable.createIfMissing(ddb, "vipflip-budget");
            DrivenClock clock = new DrivenClock(Instant.parse("2026-11-25T10:00:00Z"));
            Orchestrator orchestrator = new Orchestrator(new ConfigParser().parse(config.toString()),
                    new Ec2NodeResolver(null), new TcpProber(), new Ec2RouteTables(ec2),
                    new DynamoLeaseStore(ddb, "vipflip-budget"),
                    new DynamoGroupStateStore(ddb, "vipflip-budget", Duration.ofDays(1)), clock, "bench");
            WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);
            AtomicInteger rounds = new AtomicInteger();
            loop.run(WatchLoop.SAFETY_MARGIN.plus(WATCH), r -> rounds.incrementAndGet());
            List<CallLog.Call> steady = endpoint.calls().all();
            long describes = steady.stream().filter(c -> c.action().equals("DescribeRouteTables")).count();

            ownA.kill(); // group g0's active node dies; the other groups' nodes are untouched
            endpoint.calls().clear();
            List<String> flips = new ArrayList<>();
            AtomicInteger otherNotable = new AtomicInteger();
            loop.run(WatchLoop.SAFETY_MARGIN.plusSeconds(10), r -> {
                if (r.outcome() == Outcome.FLIPPED) {
                    flips.add(r.group());
                } else if (!r.group().equals("g0") && r.outcome() != Outcome.NO_CHANGE) {
                    otherNotable.incrementAndGet();
                }
            });
            List<CallLog.Call> failover = endpoint.calls().all();
            long throttled = java.util.stream.Stream.concat(steady.stream(), failover.stream())
                    .filter(c -> c.error().equals("RequestLimitExceeded")).count();
            return new Result(groups, groups * TABLES_PER_GROUP, rounds.get(), describes, steady.size(), throttled,
                    failover.stream().filter(c -> c.action().equals("DescribeRouteTables")).count(),
                    failover.stream().filter(CallLog.Call::isWrite).count(), flips.size(), otherNotable.get());
        } finally {
            nodes.forEach(ListenerNode::kill);
        }
    }

    static String report(List<Result> results, int latencyMillis) {
        StringBuilder md = new StringBuilder();
        md.append(String.format("Measured %s on %s. `./bench budget`: the default probe settings (inter 500 ms, "
                + "fastinter 200 ms, fall 3, rise 2), driftCheckSeconds 30, %d route tables per group found by tag "
                + "in one VPC, EC2 latency %d ms, EC2's token buckets on. A watch of %d s on a driven clock (exact "
                + "counts, real HTTP calls to the local endpoint), then node a of group g0 is killed and 10 s more "
                + "are watched. Drift reads fall at 0, 30, 60, 90 and 120 s: each is one DescribeRouteTables per "
                + "100 tables (one tag key), and the one at 120 s lands in the failover window, so that column is "
                + "the flip's 2 reads (under the lease, verify) plus one drift read.%n%n", Bench.today(),
                Bench.machine(), TABLES_PER_GROUP, latencyMillis, WATCH.toSeconds()));
        md.append("| groups | route tables | probe rounds | DescribeRouteTables | DescribeRouteTables / s | all EC2 calls / s "
                + "| RequestLimitExceeded | failover in g0: DescribeRouteTables, route writes | groups flipped | "
                + "other groups acting |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append(String.format("| %d | %d | %d | %d | %.3f | %.3f | %d | %d, %d | %d | %d |%n", r.groups(), r.tables(),
                    r.rounds(), r.describes(), r.describesPerSecond(), r.callsPerSecond(), r.throttled(),
                    r.failoverDescribes(), r.failoverWrites(), r.flips(), r.otherGroupsNotable()));
        }
        return md.toString();
    }

    private static String vip(int group) {
        return "192.168." + (100 + group / 200) + "." + (group % 200 + 10) + "/32";
    }

    private static String eni(String node, int group) {
        return String.format("eni-%s%016x", node, group);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.21"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Virtual time: the watch loop's sleeps advance it instead of waiting. */
    private static final class DrivenClock extends Clock {
        private volatile Instant now;

        DrivenClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
