package io.vipflip.functions;

import io.vipflip.policy.HistoryKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.local.harness.FakeContext;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.harness.LocalWorldExtension;
import io.vipflip.orchestrator.WatchLoop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * events/schedule.json through the handler, against the local world (EC2 endpoint, DynamoDB Local, haproxy), on
 * virtual time: the invocation's budget and the loop's waits run on a clock the test drives.
 */
class HealthCheckHandlerIT {
    @RegisterExtension
    static final LocalWorldExtension WORLD = new LocalWorldExtension();
    private static LocalWorld world;
    private VirtualTime time;

    @BeforeEach
    void reset() {
        world = WORLD.world();
        time = new VirtualTime();
    }

    private io.vipflip.runtime.Engine engine;

    private Map<String, Object> invoke(ScheduledEvent event, Duration budget) {
        engine = time.engine(world);
        HealthCheckHandler handler = new HealthCheckHandler(engine);
        return handler.handleRequest(event, new FakeContext("health-check", budget, time));
    }

    @ParameterizedTest
    @Event(value = "events/schedule.json", type = ScheduledEvent.class)
    void watchesForTheInvocationsBudget_andChangesNothingWhileTheActiveNodeIsHealthy(ScheduledEvent event) {
        Duration watched = Duration.ofSeconds(10);
        Duration interval = world.config().groups().getFirst().probe().interval();

        Map<String, Object> answer = invoke(event, watched.plus(WatchLoop.SAFETY_MARGIN));

        @SuppressWarnings("unchecked")
        Map<String, Integer> rounds = (Map<String, Integer>) answer.get("rounds");
        assertTrue(rounds.get("web") >= watched.dividedBy(interval), "a round at least every interval: " + rounds);
        assertTrue(time.elapsed().compareTo(watched) <= 0, "stops before the margin: " + time.elapsed());
        assertTrue(time.elapsed().plus(interval).compareTo(watched) > 0, "watches to the end: " + time.elapsed());
        assertEquals(List.of(), answer.get("notable"));
        assertEquals(0, world.ec2().calls().writes());
        assertEquals(1, world.ec2().calls().count("DescribeRouteTables"),
                "one drift read of all tables per drift check (30 s), not one per round");
        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-a"), target));
    }

    @ParameterizedTest
    @Event(value = "events/schedule.json", type = ScheduledEvent.class)
    void killedActiveNode_isFailedOverWithinTheInvocation_andRecorded(ScheduledEvent event) {
        world.nodes().kill("haproxy-a");

        // Long enough for a leased flip to end before the invocation does (10 s of rounds, the flip's lease must
        // end 3 s before the end and be at least 6.3 s: docs/decisions.md 26).
        Map<String, Object> answer = invoke(event, Duration.ofSeconds(13));

        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-b"), target));
        assertEquals(3, world.ec2().calls().writes());
        assertTrue(answer.get("notable").toString().contains("FLIPPED"), answer.toString());
        List<HistoryEvent> history = new DynamoGroupStateStore(world.dynamoClient(), world.table(), Duration.ofDays(1))
                .history("web", 5);
        assertEquals(HistoryKind.FLIP, history.getFirst().kind());
        assertEquals("haproxy-b", history.getFirst().to().orElseThrow());
    }

    @ParameterizedTest
    @Event(value = "events/schedule.json", type = ScheduledEvent.class)
    void handsTheHealthCountersToTheNextInvocation(ScheduledEvent event) {
        invoke(event, Duration.ofSeconds(4));

        var handedOver = new DynamoGroupStateStore(world.dynamoClient(), world.table(), Duration.ofDays(1))
                .read("web").health().orElseThrow();

        // Exactly the counters this container ended with: 1 s of rounds on virtual time, both nodes past rise.
        assertEquals(engine.orchestrator().health("web").orElseThrow(), handedOver);
        assertTrue(handedOver.of("haproxy-a").isUp(), handedOver.toString());
        assertTrue(handedOver.of("haproxy-b").isUp(), handedOver.toString());
    }
}
