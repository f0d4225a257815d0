package io.vipflip.orchestrator;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.history.Notifier;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.route.NodeResolver;
import io.vipflip.route.RouteTables;
import io.vipflip.testing.InMemoryRouteTables;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One group "web" (nodes a and b, three tables) and optionally "api" (nodes c and d, one table), with the real
 * lease and state on DynamoDB Local, in-memory route tables, a {@link ScriptedProber} and a recording notifier,
 * all on one driven clock: the world of the orchestrator's run-level tests.
 */
final class RunWorld {
    static final String VIP = "192.168.100.10/32";
    static final List<String> TABLES = List.of("rtb-00000001", "rtb-00000002", "rtb-00000003");
    static final String ENI_A = "eni-0000000a";
    static final String ENI_B = "eni-0000000b";

    final DynamoDbClient dynamo = LocalDynamo.client();
    final String table = LocalDynamo.freshTable();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    final InMemoryRouteTables routes = new InMemoryRouteTables();
    final ScriptedProber prober = new ScriptedProber(clock);
    final List<HistoryEvent> announced = new CopyOnWriteArrayList<>();
    final Notifier notifier = announced::add;

    RunWorld() {
        TABLES.forEach(t -> routes.route(t, VIP, ENI_A));
        routes.route("rtb-00000009", "192.168.100.20/32", "eni-0000000c");
    }

    /** Probe interval 1 s (evidence stays fresh for 3 s), the given rise and fall, for each named group. */
    static DeploymentConfig config(int rise, int fall, String... groups) {
        String probe = """
                "probe": {"ports": [80], "timeoutMillis": 200, "intervalMillis": 1000, "fall": %d, "rise": %d}"""
                .formatted(fall, rise);
        String all = Arrays.stream(groups).map(name -> switch (name) {
            case "web" -> """
                    {"name": "web", "vips": ["%s"], "nodes": [
                      {"name": "a", "instanceId": "i-0000000a", "eniId": "%s", "probeAddress": "127.0.0.1", "priority": 200},
                      {"name": "b", "instanceId": "i-0000000b", "eniId": "%s", "probeAddress": "127.0.0.2", "priority": 100}],
                     "routeTables": {"ids": %s}, %s}""".formatted(VIP, ENI_A, ENI_B,
                    TABLES.stream().map(t -> '"' + t + '"').toList(), probe);
            case "api" -> """
                    {"name": "api", "vips": ["192.168.100.20/32"], "nodes": [
                      {"name": "c", "instanceId": "i-0000000c", "eniId": "eni-0000000c", "probeAddress": "127.0.0.3", "priority": 200},
                      {"name": "d", "instanceId": "i-0000000d", "eniId": "eni-0000000d", "probeAddress": "127.0.0.4", "priority": 100}],
                     "routeTables": {"ids": ["rtb-00000009"]}, %s}""".formatted(probe);
            default -> throw new IllegalArgumentException(name);
        }).collect(Collectors.joining(",\n"));
        return new ConfigParser().parse("{\"leaseMillis\": 10000, \"groups\": [" + all + "]}");
    }

    Orchestrator orchestrator(DeploymentConfig config) {
        return orchestrator(config, routes, new io.vipflip.route.Ec2NodeResolver(null));
    }

    Orchestrator orchestrator(DeploymentConfig config, RouteTables tables, NodeResolver resolver) {
        return new Orchestrator(config, resolver, prober, tables, leases(), states(), clock,
                io.vipflip.lease.LeaseOwner.fixed("fn-1"), notifier);
    }

    DynamoLeaseStore leases() {
        return new DynamoLeaseStore(dynamo, table);
    }

    DynamoGroupStateStore states() {
        return new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1));
    }

    List<HistoryEvent> history() {
        return states().history("web", 10);
    }

    /** A watch round of "web", half a second after the last one. */
    RunResult round(Orchestrator orchestrator) {
        return round(orchestrator, "web");
    }

    RunResult round(Orchestrator orchestrator, String group) {
        clock.advance(Duration.ofMillis(500));
        return orchestrator.run(group, new io.vipflip.policy.Trigger.Scheduled());
    }
}
