package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.testing.InMemoryRouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import io.vipflip.vantage.NodeSeen;
import io.vipflip.vantage.PortSeen;
import io.vipflip.vantage.PortState;
import io.vipflip.vantage.VantagePoints;
import io.vipflip.vantage.VantageView;
import io.vipflip.vantage.VantageVotes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The quorum rule inside a run (issue 14): the observers are asked under the lease, a flip they do not back changes
 * no route and is recorded and announced once while it lasts, and asked again every round. The observers here are a
 * script of what each AZ saw (the partition itself, in network namespaces, is QuorumPartitionIT in local/demo);
 * the lease, state and history are DynamoDB Local, the probes real TCP.
 */
class QuorumOrchestratorIT {
    private static final String VIP = "192.168.100.10/32";
    private static final List<String> TABLES = List.of("rtb-00000001", "rtb-00000002");
    private static final String ENI_A = "eni-0000000a";
    private static final String ENI_B = "eni-0000000b";

    private final DynamoDbClient dynamo = LocalDynamo.client();
    private final Listeners listeners = new Listeners();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final InMemoryRouteTables routes = new InMemoryRouteTables();
    private final List<HistoryEvent> announced = new CopyOnWriteArrayList<>();
    private final ScriptedObservers observers = new ScriptedObservers();
    private String table;
    private int port;

    /**
     * Two observers, one per AZ, whose answers the test sets; each call is remembered. In the partition the AZ of a
     * (az-b) still reaches a and no longer reaches b, in the AZ of the deciding run and of b (az-a).
     */
    private static final class ScriptedObservers implements VantagePoints {
        volatile boolean aUpFromAzB;
        final List<Duration> deadlines = new CopyOnWriteArrayList<>();
        final List<List<String>> asked = new CopyOnWriteArrayList<>();

        @Override
        public int count() {
            return 2;
        }

        @Override
        public VantageVotes ask(List<ProbeTarget> targets, Duration probeTimeout, Duration deadline) {
            deadlines.add(deadline);
            asked.add(targets.stream().map(ProbeTarget::node).toList());
            return new VantageVotes(2, List.of(view("az-a", false, true),
                    view("az-b", aUpFromAzB, !aUpFromAzB)), List.of());
        }

        private static VantageView view(String az, boolean aUp, boolean bUp) {
            return new VantageView(az, Map.of("a", seen("a", aUp), "b", seen("b", bUp)));
        }

        private static NodeSeen seen(String node, boolean up) {
            return new NodeSeen(node, List.of(new PortSeen(80, up ? PortState.UP : PortState.TIMEOUT, 1, "")));
        }
    }

    @BeforeEach
    void world() {
        table = LocalDynamo.freshTable();
        port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        TABLES.forEach(t -> routes.route(t, VIP, ENI_A));
    }

    @AfterEach
    void close() {
        listeners.close();
    }

    private Orchestrator orchestrator(String vantage) {
        DeploymentConfig config = new ConfigParser().parse("""
                {"leaseMillis": 10000, "groups": [{"name": "web", "vips": ["%s"], %s
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "%s", "probeAddress": "127.0.0.1", "priority": 200},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "%s", "probeAddress": "127.0.0.2", "priority": 100}],
                  "routeTables": {"ids": ["rtb-00000001", "rtb-00000002"]},
                  "damping": {"minSecondsBetweenFlips": 0},
                  "probe": {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 500, "fall": 1, "rise": 1}}]}
                """.formatted(VIP, vantage, ENI_A, ENI_B, port));
        return new Orchestrator(config, new Ec2NodeResolver(null), new TcpProber(), routes,
                new DynamoLeaseStore(dynamo, table), new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1)),
                clock, LeaseOwner.fixed("fn-1"), announced::add, observers);
    }

    private RunResult round(Orchestrator orchestrator) {
        clock.advance(Duration.ofMillis(500));
        return orchestrator.run("web", new Trigger.Scheduled());
    }

    private List<String> history() {
        return new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1)).history("web", 10).stream()
                .map(e -> e.kind().wire()).toList();
    }

    @Test
    void partition_changesNoRoute_recordsAndAnnouncesItOnce_andAsksAgainEveryRound() {
        Orchestrator orchestrator = orchestrator("\"vantage\": \"quorum\", \"quorumDeadlineMillis\": 450,");
        round(orchestrator);
        observers.aUpFromAzB = true;
        listeners.close("127.0.0.1", port); // lost from the deciding run (and, in the script, from az-a)

        List<RunResult> rounds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rounds.add(round(orchestrator));
        }

        rounds.forEach(r -> assertEquals(Outcome.PARTITION_SUSPECTED, r.outcome(), r.decision().reason()));
        assertTrue(rounds.getFirst().decision().reason().contains("az-b: a UP, b DOWN (80 TIMEOUT)"), rounds.getFirst().decision().reason());
        TABLES.forEach(t -> assertEquals(ENI_A, routes.target(t, VIP)));
        assertEquals(List.of(), routes.writes());
        assertEquals(List.of("partition-suspected"), history());
        assertEquals(1, announced.size());
        assertTrue(announced.getFirst().reason().contains("az-a: a DOWN (80 TIMEOUT), b UP"));
        assertEquals(3, observers.asked.size(), "asked again on every round while the partition lasts");
        assertEquals(List.of("a", "b"), observers.asked.getFirst());
        assertEquals(Duration.ofMillis(450), observers.deadlines.getFirst());

        observers.aUpFromAzB = false; // now every AZ sees a DOWN: it really died
        RunResult flipped = round(orchestrator);
        assertEquals(Outcome.FLIPPED, flipped.outcome(), flipped.decision().reason());
        TABLES.forEach(t -> assertEquals(ENI_B, routes.target(t, VIP)));
        assertEquals(List.of("flip", "partition-suspected"), history());
    }

    @Test
    void localGroup_asksNobody() {
        Orchestrator orchestrator = orchestrator("");
        round(orchestrator);
        observers.aUpFromAzB = true;
        listeners.close("127.0.0.1", port);
        assertEquals(Outcome.FLIPPED, round(orchestrator).outcome());
        assertEquals(List.of(), observers.asked);
    }

    @Test
    void healthyGroup_asksNobody() {
        Orchestrator orchestrator = orchestrator("\"vantage\": \"quorum\",");
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.NO_CHANGE, round(orchestrator).outcome());
        }
        assertEquals(List.of(), observers.asked);
    }
}
