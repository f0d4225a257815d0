package io.vipflip.orchestrator;

import io.vipflip.policy.HistoryKind;
import io.vipflip.policy.DecisionKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.LeaseRecord;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.testing.InMemoryRouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The orchestrator with real TCP probes against loopback listeners, the real lease and state on DynamoDB Local,
 * and in-memory route tables (the EC2 implementation is tested over HTTP against the local world).
 */
class OrchestratorIT {
    private static final String VIP = "192.168.100.10/32";
    private static final List<String> TABLES = List.of("rtb-00000001", "rtb-00000002", "rtb-00000003");
    private static final String ENI_A = "eni-0000000a";
    private static final String ENI_B = "eni-0000000b";

    private final DynamoDbClient dynamo = LocalDynamo.client();
    private final Listeners listeners = new Listeners();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final InMemoryRouteTables routes = new InMemoryRouteTables();
    private String table;
    private DeploymentConfig config;
    private int port;

    @BeforeEach
    void world() {
        table = LocalDynamo.freshTable();
        port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        TABLES.forEach(t -> routes.route(t, VIP, ENI_A));
        config = new ConfigParser().parse("""
                {"leaseMillis": 10000, "groups": [{"name": "web", "vips": ["%s"],
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "%s", "probeAddress": "127.0.0.1", "priority": 200},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "%s", "probeAddress": "127.0.0.2", "priority": 100}],
                  "routeTables": {"ids": ["rtb-00000001", "rtb-00000002", "rtb-00000003"]},
                  "probe": {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 500, "fall": 2, "rise": 1}}]}
                """.formatted(VIP, ENI_A, ENI_B, port));
    }

    @AfterEach
    void close() {
        listeners.close();
    }

    private Orchestrator orchestrator(String owner) {
        return new Orchestrator(config, new Ec2NodeResolver(null), new TcpProber(), routes,
                new DynamoLeaseStore(dynamo, table), new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1)),
                clock, owner);
    }

    private RunResult round(Orchestrator orchestrator) {
        clock.advance(Duration.ofMillis(500));
        return orchestrator.run("web", new Trigger.Scheduled());
    }

    @Test
    void closingTheActiveNodesListener_movesEveryTableToTheSurvivor_andRecordsHistoryWithTheToken() {
        Orchestrator orchestrator = orchestrator("fn-1");
        assertEquals(Outcome.NO_CHANGE, round(orchestrator).outcome());

        listeners.close("127.0.0.1", port);
        RunResult first = round(orchestrator);
        RunResult second = round(orchestrator);

        assertEquals(Outcome.NO_CHANGE, first.outcome(), "fall is 2: one failed round is not enough");
        assertEquals(Outcome.FLIPPED, second.outcome(), second.decision().reason());
        TABLES.forEach(t -> assertEquals(ENI_B, routes.target(t, VIP)));
        assertEquals(3, routes.writes().size());
        HistoryEvent event = new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1)).history("web", 5).getFirst();
        assertEquals(HistoryKind.FLIP, event.kind());
        assertEquals(second.token(), event.token());
        assertEquals("a", event.from().orElseThrow());
        assertEquals("b", event.to().orElseThrow());
        assertEquals(3, event.outcomes().size());
        assertTrue(event.allWritesSucceeded());
        LeaseRecord lease = new DynamoLeaseStore(dynamo, table).read("web").orElseThrow();
        assertTrue(lease.owner().isEmpty(), "the lease is released after the flip");

        assertEquals(Outcome.NO_CHANGE, round(orchestrator).outcome(), "once flipped, the next round is quiet");
        assertEquals(3, routes.writes().size());
    }

    @Test
    void bothNodesDown_writesNoRoute_andRecordsTheRefusalOnce() {
        Orchestrator orchestrator = orchestrator("fn-1");
        round(orchestrator);
        listeners.close();

        round(orchestrator);
        RunResult down = round(orchestrator);
        RunResult again = round(orchestrator);

        assertEquals(Outcome.NO_HEALTHY_NODE, down.outcome());
        assertEquals(Outcome.NO_HEALTHY_NODE, again.outcome());
        assertEquals(List.of(), routes.writes());
        TABLES.forEach(t -> assertEquals(ENI_A, routes.target(t, VIP)));
        List<HistoryEvent> history = new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1)).history("web", 10);
        assertEquals(List.of(HistoryKind.NO_HEALTHY_NODE), history.stream().map(HistoryEvent::kind).toList());
    }

    @Test
    void aHolderWhoseLeaseWasTakenOver_writesNoRouteAndNoHistory() {
        Orchestrator slow = orchestrator("fn-slow");
        round(slow);
        listeners.close("127.0.0.1", port);
        round(slow);
        AtomicInteger reads = new AtomicInteger();
        DynamoLeaseStore other = new DynamoLeaseStore(dynamo, table);
        routes.beforeRead(() -> {
            // The slow holder's re-read under its lease (the round itself decided on the routes read before): it
            // stalls past expiry and another run takes over.
            if (reads.incrementAndGet() == 1) {
                clock.advance(Duration.ofSeconds(11));
                other.acquire("web", "fn-fast", clock.instant(), Duration.ofSeconds(10)).orElseThrow();
            }
        });

        RunResult result = round(slow);

        assertEquals(Outcome.LEASE_LOST, result.outcome(), result.toString());
        assertEquals(List.of(), routes.writes());
        TABLES.forEach(t -> assertEquals(ENI_A, routes.target(t, VIP)));
        assertEquals(List.of(), new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1)).history("web", 10));
        assertEquals("fn-fast", other.read("web").orElseThrow().owner().orElseThrow(),
                "the stale holder did not release the new holder's lease");
    }

    @Test
    void aManualFailover_doesNotDampTheAutomaticFlipAwayFromItsTargetWhenItDies() {
        Orchestrator orchestrator = orchestrator("fn-1");
        round(orchestrator);
        assertEquals(Outcome.FLIPPED, orchestrator.run("web", new Trigger.ManualFailover("b", "drill", false)).outcome());

        listeners.close("127.0.0.2", port);
        round(orchestrator);
        RunResult away = round(orchestrator);

        assertEquals(Outcome.FLIPPED, away.outcome(), "within the default 30 s damping window: " + away.decision().reason());
        TABLES.forEach(t -> assertEquals(ENI_A, routes.target(t, VIP)));
    }

    @Test
    void dryRun_reportsTheFlip_butWritesNothing() {
        Orchestrator orchestrator = orchestrator("fn-1");
        round(orchestrator);
        listeners.close("127.0.0.1", port);
        round(orchestrator);
        clock.advance(Duration.ofMillis(500));

        RunResult result = orchestrator.run("web", new Trigger.Scheduled(), true);

        assertEquals(Outcome.DRY_RUN, result.outcome(), result.toString());
        assertEquals(DecisionKind.FLIP, result.decision().kind());
        assertEquals(List.of(), routes.writes());
        assertTrue(new DynamoLeaseStore(dynamo, table).read("web").isEmpty(), "a dry run takes no lease");
    }
}
