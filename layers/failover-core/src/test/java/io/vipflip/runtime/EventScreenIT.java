package io.vipflip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.policy.Trigger;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.LocalEc2;
import io.vipflip.testing.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Late, replayed and outdated events against DynamoDB Local and the local EC2 endpoint (issue 11). */
class EventScreenIT {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final DeploymentConfig CONFIG = new ConfigParser().parse("""
            {"groups": [{"name": "web", "vips": ["192.168.100.10/32"],
              "nodes": [{"name": "a", "instanceId": "i-0aaaaaaaaaaaaaaa1"}, {"name": "b", "instanceId": "i-0bbbbbbbbbbbbbbb2"},
                        {"name": "c", "instanceId": "i-0ccccccccccccccc3"}],
              "routeTables": {"tag": {"key": "vipflip:group", "value": "web"}}}]}
            """);
    private final DynamoDbClient dynamo = LocalDynamo.client();
    private final MutableClock clock = new MutableClock(T0);
    private Ec2Endpoint ec2;
    private String table;
    private EventScreen screen;

    @BeforeEach
    void start() {
        ec2 = LocalEc2.start(0);
        table = LocalDynamo.freshTable();
        screen = screenOn(ec2.endpoint());
    }

    @AfterEach
    void stop() {
        ec2.close();
    }

    private EventScreen screenOn(URI ec2Endpoint) {
        return new EventScreen(clock, EventScreen.DEFAULT_MAX_AGE, new DynamoDeliveryLedger(dynamo, table),
                new Ec2InstanceStates(LocalEc2.client(ec2Endpoint)));
    }

    private static AutomationEvent instance(String id, String state, Instant at) {
        return AutomationEvent.parse(("""
                {"id": "%s", "time": "%s", "source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification",
                 "detail": {"instance-id": "%s", "state": "%s"}}""").formatted(UUID.randomUUID(), at, id, state)
                .getBytes(StandardCharsets.UTF_8));
    }

    private EventScreen.Screened screen(AutomationEvent event) {
        return screen.screen(event, event.targets(CONFIG));
    }

    private int items() {
        return dynamo.scan(b -> b.tableName(table)).count();
    }

    @Test
    void anEventAtTheBound_acts_andOneMillisecondOlder_isStale() {
        ec2.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        clock.set(T0.plus(EventScreen.DEFAULT_MAX_AGE));

        assertEquals(EventScreen.Verdict.ACT, screen(instance("i-0aaaaaaaaaaaaaaa1", "stopped", T0)).verdict());
        EventScreen.Screened old = screen(instance("i-0aaaaaaaaaaaaaaa1", "stopped", T0.minusMillis(1)));

        assertEquals(EventScreen.Verdict.STALE, old.verdict());
        assertEquals(List.of(), old.targets());
        assertEquals(1, items(), "only the fresh event is remembered");
    }

    @Test
    void aStopThatEc2StillReports_isAuthoritative_withTheStateEc2ReportsNow() {
        ec2.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");

        EventScreen.Screened screened = screen(instance("i-0aaaaaaaaaaaaaaa1", "stopping", T0));

        assertEquals(EventScreen.Verdict.ACT, screened.verdict());
        assertTrue(screened.targets().getFirst().authoritative());
        assertEquals(new Trigger.InstanceStopped("i-0aaaaaaaaaaaaaaa1", "a", "stopped"),
                screened.targets().getFirst().trigger());
    }

    @Test
    void anInstanceEc2NoLongerKnows_isTreatedAsTerminated() {
        EventScreen.Screened screened = screen(instance("i-0ccccccccccccccc3", "shutting-down", T0));

        assertEquals(EventScreen.Verdict.ACT, screened.verdict());
        assertEquals(new Trigger.InstanceStopped("i-0ccccccccccccccc3", "c", "terminated"),
                screened.targets().getFirst().trigger());
    }

    @Test
    void aStopThatEc2StillReadsAsRunning_isLeftToTheProbes_neitherTrustedNorDropped() {
        // DescribeInstances is eventually consistent: a fresh, genuine stop may still read "running".
        EventScreen.Screened screened = screen(instance("i-0aaaaaaaaaaaaaaa1", "stopped", T0));

        assertEquals(EventScreen.Verdict.ACT, screened.verdict());
        assertFalse(screened.targets().getFirst().authoritative());
        assertTrue(screened.targets().getFirst().trigger() instanceof Trigger.Alarm alarm && alarm.node().equals("a")
                && alarm.alarmName().contains("running"), screened.targets().toString());
        assertEquals(1, items(), "the delivery is claimed like any other");
    }

    @Test
    void whenEc2CannotAnswer_theStopIsLeftToTheProbes() {
        ec2.close(); // connection refused: the SDK gives up after its retries
        EventScreen.Screened screened = screen(instance("i-0aaaaaaaaaaaaaaa1", "stopped", T0));

        assertEquals(EventScreen.Verdict.ACT, screened.verdict());
        assertFalse(screened.targets().getFirst().authoritative());
        assertTrue(screened.targets().getFirst().trigger() instanceof Trigger.Alarm alarm && alarm.node().equals("a"),
                screened.targets().toString());
        ec2 = LocalEc2.start(0);
    }

    /**
     * A slow DescribeInstances (an AZ in trouble, a throttled account) is cut after its bound and the probes decide:
     * the stop is not trusted after a 5 s wait. Before the bound the answer came after 5 s and was authoritative.
     */
    @Test
    void aSlowEc2_isNotWaitedFor_theStopIsLeftToTheProbes() {
        ec2.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        ec2.faults().latency(Duration.ofSeconds(5));

        EventScreen.Screened screened = screen(instance("i-0aaaaaaaaaaaaaaa1", "stopped", T0));

        assertEquals(EventScreen.Verdict.ACT, screened.verdict());
        assertFalse(screened.targets().getFirst().authoritative(), screened.targets().toString());
    }

    @Test
    void aSecondDelivery_isADuplicate_untilTheFirstIsReleased() {
        ec2.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        AutomationEvent event = instance("i-0aaaaaaaaaaaaaaa1", "stopped", T0);

        assertEquals(EventScreen.Verdict.ACT, screen(event).verdict());
        assertEquals(EventScreen.Verdict.DUPLICATE, screen(event).verdict());
        screen.release(event);
        assertEquals(EventScreen.Verdict.ACT, screen(event).verdict(), "a failed handling may be retried");
        assertEquals(EventScreen.Verdict.DUPLICATE, screen(event).verdict());
    }

    @Test
    void aDeliveryIsRemembered_aslongAsAReplayCouldPassTheAgeCheck() {
        ec2.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        screen(instance("i-0aaaaaaaaaaaaaaa1", "stopped", T0));

        long ttl = Long.parseLong(dynamo.scan(b -> b.tableName(table)).items().getFirst().get("ttl").n());

        assertTrue(ttl > T0.plus(EventScreen.DEFAULT_MAX_AGE).plus(EventScreen.FUTURE_TOLERANCE).getEpochSecond(),
                "ttl " + ttl);
    }

    @Test
    void anEventFromBeyondThePlausibleSkew_isRefusedNamingTheField_andChangesNothing() {
        ec2.world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        Instant ahead = T0.plus(EventScreen.FUTURE_TOLERANCE).plusSeconds(1);

        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> screen(instance("i-0aaaaaaaaaaaaaaa1", "stopped", ahead)));

        assertEquals("time", error.field());
        assertEquals(0, items());
        assertEquals(0, ec2.calls().count("DescribeInstances"));
        assertEquals(EventScreen.Verdict.ACT,
                screen(instance("i-0aaaaaaaaaaaaaaa1", "stopped", T0.plus(EventScreen.FUTURE_TOLERANCE))).verdict());
    }

    @Test
    void theFirstDeliveryCondition_isTheOneSent() {
        assertEquals("attribute_not_exists(#pk) OR #released = :true", DynamoDeliveryLedger.FIRST_DELIVERY_CONDITION);
    }

    @Test
    void theBound_comesFromTheEnvironment_andABadValueNamesTheVariable() {
        assertEquals(EventScreen.DEFAULT_MAX_AGE, EventScreen.maxAgeFromEnvironment(Map.of()));
        assertEquals(Duration.ofSeconds(300),
                EventScreen.maxAgeFromEnvironment(Map.of(EventScreen.MAX_AGE_VARIABLE, "300")));
        for (String bad : List.of("29", "21601", "2m", "-1")) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> EventScreen.maxAgeFromEnvironment(Map.of(EventScreen.MAX_AGE_VARIABLE, bad)));
            assertTrue(error.getMessage().startsWith(EventScreen.MAX_AGE_VARIABLE), error.getMessage());
        }
        assertEquals(Duration.ofSeconds(30), EventScreen.maxAgeFromEnvironment(Map.of(EventScreen.MAX_AGE_VARIABLE, "30")));
        assertEquals(Duration.ofSeconds(21_600),
                EventScreen.maxAgeFromEnvironment(Map.of(EventScreen.MAX_AGE_VARIABLE, "21600")));
    }
}
