package io.vipflip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.local.harness.LocalObservers;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.lambda.LambdaEndpoint;
import io.vipflip.local.nodes.AzNetwork;
import io.vipflip.local.nodes.NodeNetwork;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.runtime.Engine;
import io.vipflip.vantage.LambdaVantagePoints;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The AZ quorum (issue 14) in network namespaces: haproxy-a (active) stands in az-a, haproxy-b in az-b, and the
 * deciding run — this JVM, in the host's namespace — in az-b too. One observer process per zone (az-a, az-b, az-c)
 * in its own namespace, invoked through the local Lambda endpoint by the real SDK client. Partitions are drop rules:
 * the host's path to a node ({@code lose}), a zone's path to a node ({@code cut}), a zone's path to the host. Four
 * vantage points: a flip needs three votes, a majority of them seeing haproxy-a DOWN, and all seeing haproxy-b UP.
 * Runs as root (CI); skipped elsewhere unless VIPFLIP_CI=true, where it must run.
 */
class QuorumPartitionIT {
    private static final List<String> ZONES = List.of("az-a", "az-b", "az-c");
    private static final int MAX_ROUNDS = 12;
    /**
     * Generous, for a CPU-starved CI machine: answers count as soon as they arrive, so only a silent observer waits it
     * out (the deadline's effect on latency is the benchmark's business, not this test's).
     */
    private static final int DEADLINE_MILLIS = 5000;
    private static LocalWorld world;
    private static AzNetwork zones;
    private static LambdaEndpoint lambda;
    private static LocalObservers observers;
    private static LambdaClient lambdaClient;
    private final List<HistoryEvent> announced = new CopyOnWriteArrayList<>();
    private Engine engine;

    @BeforeAll
    static void start() {
        String why = NodeNetwork.namespacesUnavailable().orElse("");
        if (!"true".equals(System.getenv("VIPFLIP_CI"))) {
            assumeTrue(why.isEmpty(), "AZ partitions need network namespaces: " + why);
        }
        world = LocalWorld.start(LocalWorld.Settings.demo(), NodeNetwork.NAMESPACES);
        zones = AzNetwork.create(world.nodes(), ZONES);
        lambda = LambdaEndpoint.start();
        observers = LocalObservers.start(zones, ZONES, lambda);
        lambdaClient = world.clients().lambda(lambda.uri());
        // Warm observers, as deployed ones are kept warm: a cold JVM's first answer is not what these tests are about.
        List<ProbeTarget> nodes = world.nodes().names().stream()
                .map(n -> new ProbeTarget(n, world.nodes().address(n), List.of(world.port()))).toList();
        for (int i = 0; i < 3; i++) {
            new LambdaVantagePoints(lambdaClient, observers.functionNames()).ask(nodes, Duration.ofMillis(250),
                    Duration.ofSeconds(30));
        }
    }

    @AfterAll
    static void stop() {
        if (observers != null) {
            observers.close();
        }
        if (lambda != null) {
            lambda.close();
        }
        if (zones != null) {
            zones.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @BeforeEach
    void engine() {
        String quorum = world.configJson().replace("\"name\": \"web\",",
                "\"name\": \"web\", \"vantage\": \"quorum\", \"quorumDeadlineMillis\": " + DEADLINE_MILLIS + ",");
        engine = Engine.create(new io.vipflip.config.ConfigParser().parse(quorum), world.table(), world.ec2Client(),
                world.dynamoClient(), Clock.systemUTC(), LeaseOwner.fixed("deciding-run"), announced::add,
                // as the deployed functions ask: batched (Engine.fromEnvironment)
                new io.vipflip.vantage.BatchedVantagePoints(
                        new LambdaVantagePoints(lambdaClient, observers.functionNames())));
        // Known health first, every vantage point reachable; and a warm SDK client, as in a warm container.
        RunResult settled = rounds(r -> r.health().nodes().values().stream().allMatch(h -> h.isUp()));
        assertEquals(Outcome.NO_CHANGE, settled.outcome(), settled.decision().reason());
    }

    @AfterEach
    void heal() {
        lambda.heal();
        zones.healAll();
        world.reset();
    }

    /** Rounds back to back until {@code done} holds (at most MAX_ROUNDS); the last round. */
    private RunResult rounds(java.util.function.Predicate<RunResult> done) {
        RunResult last = null;
        for (int i = 0; i < MAX_ROUNDS; i++) {
            last = engine.orchestrator().run("web", new Trigger.Scheduled());
            if (done.test(last)) {
                return last;
            }
        }
        return last;
    }

    private RunResult untilDecided() {
        return rounds(r -> r.outcome() != Outcome.NO_CHANGE);
    }

    private List<String> history() {
        return new DynamoGroupStateStore(world.dynamoClient(), world.table(), Duration.ofDays(1)).history("web", 20)
                .stream().map(e -> e.kind().wire()).toList();
    }

    /** az-a and az-b no longer reach each other; the deciding run stands in az-b. */
    private static void partitionBetweenAzAAndAzB() {
        world.nodes().lose("haproxy-a");      // the deciding run (az-b) -> haproxy-a
        zones.cut("az-b", "haproxy-a");       // az-b's observer -> haproxy-a
        zones.cut("az-a", "haproxy-b");       // az-a's observer -> haproxy-b
    }

    @Test
    void partitionBetweenTheDecidingAzAndTheActiveNode_changesNothing_andRecordsPartitionSuspected() {
        partitionBetweenAzAAndAzB();

        RunResult first = untilDecided();
        List<RunResult> more = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            more.add(engine.orchestrator().run("web", new Trigger.Scheduled()));
        }

        assertEquals(Outcome.PARTITION_SUSPECTED, first.outcome(), first.decision().reason());
        more.forEach(r -> assertEquals(Outcome.PARTITION_SUSPECTED, r.outcome(), r.decision().reason()));
        assertTrue(world.allOn("haproxy-a"), "the VIP stays where az-a and az-c clients reach it: " + world.routes());
        String reason = first.decision().reason();
        assertTrue(reason.contains("only 2 of 4 vantage points see haproxy-a DOWN"), reason);
        assertTrue(reason.contains("az-c: haproxy-a UP, haproxy-b UP"), reason);
        assertTrue(reason.contains("az-a: haproxy-a UP, haproxy-b DOWN"), reason);
        assertTrue(reason.contains("az-b: haproxy-a DOWN"), reason);
        assertEquals(List.of("partition-suspected"), history(), "recorded once while it lasts");
        assertEquals(List.of("partition-suspected"), announced.stream().map(e -> e.kind().wire()).toList());
        assertTrue(lambda.calls().size() >= 9, "the observers are asked again every round: " + lambda.calls().size());
    }

    @Test
    void theActiveNodeReallyDies_everyVantageAgrees_andTheVipMoves() {
        world.nodes().kill("haproxy-a");

        RunResult flipped = untilDecided();

        assertEquals(Outcome.FLIPPED, flipped.outcome(), flipped.decision().reason());
        assertTrue(flipped.decision().reason().contains("4 of 4 vantage points see haproxy-a DOWN"),
                flipped.decision().reason());
        assertTrue(world.allOn("haproxy-b"), world.routes().toString());
        assertTrue(flipped.timingsMillis().containsKey("confirm"), flipped.timingsMillis().toString());
    }

    @Test
    void slowAndThrottledObservers_areNotCounted_tooFewVotesChangeNothing_visibly() {
        lambda.delay(LocalObservers.functionName("az-a"), Duration.ofMillis(DEADLINE_MILLIS + 3000));
        lambda.fault(LocalObservers.functionName("az-c"), LambdaEndpoint.Fault.THROTTLED);
        world.nodes().kill("haproxy-a");

        RunResult refused = untilDecided();

        assertEquals(Outcome.TOO_FEW_VOTES, refused.outcome(), refused.decision().reason());
        String reason = refused.decision().reason();
        assertTrue(reason.contains("only 2 of 4 vantage points answered (3 needed)"), reason);
        assertTrue(reason.contains("observer-az-c: TooManyRequestsException"), reason);
        assertTrue(reason.contains("observer-az-a: "), reason);
        assertTrue(world.allOn("haproxy-a"), world.routes().toString());
        assertEquals(List.of("too-few-votes"), history());

        lambda.fault(LocalObservers.functionName("az-a"), LambdaEndpoint.Fault.FUNCTION_ERROR);
        lambda.delay(LocalObservers.functionName("az-a"), Duration.ZERO);
        lambda.fault(LocalObservers.functionName("az-c"), LambdaEndpoint.Fault.NONE);
        RunResult flipped = untilDecided();
        assertEquals(Outcome.FLIPPED, flipped.outcome(), "three of four votes, all agreeing: "
                + flipped.decision().reason());
        assertTrue(world.allOn("haproxy-b"), world.routes().toString());
    }

    @Test
    void decidingAzCutOffFromEverythingButItsLocalNode_changesNothing() {
        world.nodes().lose("haproxy-a");   // the deciding run no longer reaches haproxy-a ...
        zones.cut("az-b", "haproxy-a");    // ... nor does anything else in its zone
        zones.isolateFromHost("az-a");     // ... nor the observers of the other zones
        zones.isolateFromHost("az-c");

        RunResult refused = untilDecided();

        assertEquals(Outcome.TOO_FEW_VOTES, refused.outcome(), refused.decision().reason());
        assertTrue(world.allOn("haproxy-a"), world.routes().toString());
    }
}
