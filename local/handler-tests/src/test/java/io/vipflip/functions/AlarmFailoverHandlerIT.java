package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.CloudWatchCompositeAlarmEvent;
import com.amazonaws.services.lambda.runtime.events.CloudWatchMetricAlarmEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.local.harness.FakeContext;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.harness.LocalWorldExtension;
import io.vipflip.runtime.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/** The alarm and instance-state samples in events/ through the handler, against the local world. */
class AlarmFailoverHandlerIT {
    @RegisterExtension
    static final LocalWorldExtension WORLD = new LocalWorldExtension();
    private static LocalWorld world;

    @BeforeEach
    void reset() {
        world = WORLD.world();
    }

    /** Delivers a sample as if it had just happened (the samples carry a fixed time). */
    private JsonNode invoke(String event) throws IOException {
        return invoke(sample(event, Instant.now()));
    }

    /** The sample with its time (and an alarm's state-change time) set to {@code at}. */
    private ObjectNode sample(String event, Instant at) throws IOException {
        ObjectNode json;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("events/" + event)) {
            json = (ObjectNode) new ObjectMapper().readTree(in);
        }
        json.put("time", at.toString());
        if (json.path("alarmData").path("state") instanceof ObjectNode state) {
            state.put("timestamp", at.toString());
        }
        return json;
    }

    private JsonNode invoke(ObjectNode event) throws IOException {
        byte[] body = new ObjectMapper().writeValueAsBytes(event);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new AlarmFailoverHandler(world.engine(Clock.systemUTC())).handleRequest(new ByteArrayInputStream(body), out,
                new FakeContext("alarm-failover", Duration.ofSeconds(30), Clock.systemUTC()));
        return new ObjectMapper().readTree(out.toByteArray());
    }

    @Test
    void theSamplesAreTheEventsAwsLambdaJavaEventsDescribes() {
        CloudWatchMetricAlarmEvent metric = EventLoader.loadEvent("events/alarm-haproxy-a-ALARM.json",
                CloudWatchMetricAlarmEvent.class);
        CloudWatchCompositeAlarmEvent composite = EventLoader.loadEvent("events/alarm-composite-ALARM.json",
                CloudWatchCompositeAlarmEvent.class);

        assertEquals("ALARM", metric.getAlarmData().getState().getValue());
        assertEquals("i-0aaaaaaaaaaaaaaa1", metric.getAlarmData().getConfiguration().getMetrics().getFirst()
                .getMetricStat().getMetric().getDimensions().get("InstanceId"));
        assertEquals("ALARM", composite.getAlarmData().getState().getValue());
    }

    @Test
    void aConfirmedAlarm_failsOverAtOnce() throws IOException {
        world.nodes().kill("haproxy-a");

        JsonNode answer = invoke("alarm-haproxy-a-ALARM.json");

        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-b"), target));
        assertEquals("FLIPPED", answer.path("runs").get(answer.path("runs").size() - 1).path("outcome").asText(),
                answer.toPrettyString());
    }

    /**
     * A CPU-starved container (a small Lambda) or slow API calls stretch every round of the confirmation burst
     * beyond a few probe intervals: the rounds are still consecutive evidence, so fall is reached and the alarm
     * fails over (it once reset the counters every round, and the VIP stayed on the dead node).
     */
    @Test
    void aConfirmedAlarm_failsOver_evenWhenEveryRoundIsSlowerThanTheEvidenceMaxAge() throws IOException {
        world.nodes().kill("haproxy-a");
        // Each round reads the routes (DescribeRouteTables): 2 s per call > 3 x the 500 ms probe interval.
        world.ec2().faults().latency(Duration.ofSeconds(2));

        JsonNode answer = invoke("alarm-haproxy-a-ALARM.json");

        assertEquals("FLIPPED", answer.path("runs").get(answer.path("runs").size() - 1).path("outcome").asText(),
                answer.toPrettyString());
        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-b"), target));
    }

    @Test
    void anAlarmTheProbesDoNotConfirm_changesNothing() throws IOException {
        JsonNode answer = invoke("alarm-haproxy-a-ALARM.json");

        assertEquals(0, world.ec2().calls().writes());
        answer.path("runs").forEach(run -> assertEquals("NO_CHANGE", run.path("outcome").asText()));
        assertEquals(3, answer.path("runs").size(), "a burst of fall (3) confirmation rounds");
    }

    @Test
    void aCompositeAlarm_isMappedThroughItsDescription() throws IOException {
        world.nodes().kill("haproxy-a");

        invoke("alarm-composite-ALARM.json");

        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-b"), target));
    }

    @Test
    void anAlarmBackToOk_doesNothing() throws IOException {
        JsonNode answer = invoke("alarm-haproxy-a-OK.json");

        assertEquals(0, answer.path("runs").size());
        assertEquals(0, world.ec2().calls().count("DescribeRouteTables"));
    }

    @Test
    void aStoppedInstance_isAuthoritative_andFailedOverOnceTheSurvivorIsKnownHealthy() throws IOException {
        world.nodes().kill("haproxy-a");
        world.ec2().world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");

        JsonNode answer = invoke("instance-haproxy-a-stopped.json");

        JsonNode runs = answer.path("runs");
        assertEquals(2, runs.size(), "a is DOWN at once; b is UP after rise (2) rounds in this cold container");
        assertEquals("FLIPPED", runs.get(1).path("outcome").asText(), answer.toPrettyString());
        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-b"), target));
    }

    @Test
    void aRunningInstance_isNotAnEventToActOn() throws IOException {
        assertEquals(0, invoke("instance-haproxy-a-running.json").path("runs").size());
    }

    @Test
    void anUnknownInstance_isRefusedNamingTheField_andNothingIsWritten() {
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> invoke("negative-instance-unknown.json"));

        assertEquals("detail.instance-id", error.field());
        assertEquals(0, world.ec2().calls().writes());
        assertEquals(0, world.dynamoItems());
    }

    // Issue 11: late, replayed and outdated events.

    @Test
    void aStopEventOlderThanTheBound_isDropped_andNothingIsReadOrWritten() throws IOException {
        // The instance has long been running again; its hours-old stop event is replayed.
        JsonNode answer = invoke(sample("instance-haproxy-a-stopped.json", Instant.now().minus(Duration.ofMinutes(10))));

        assertEquals(0, answer.path("runs").size());
        assertEquals(0, world.ec2().calls().writes());
        assertEquals(0, world.ec2().calls().count("DescribeInstances"));
        assertEquals(0, world.dynamoItems());
        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-a"), target));
        assertEquals("STALE", answer.path("event").asText(), answer.toPrettyString());
    }

    @Test
    void aStopEventDeliveredAfterTheInstanceCameBack_doesNotMoveTheVip() throws IOException {
        // The instance stopped and was started again; its stop event arrives (late, within the bound) now. EC2
        // reads "running" (as it may for a fresh genuine stop: eventual consistency), so the probes decide.
        JsonNode answer = invoke(sample("instance-haproxy-a-stopped.json", Instant.now().minusSeconds(30)));

        assertTrue(world.ec2().calls().count("DescribeInstances") >= 1, "the state is confirmed with EC2");
        assertEquals(0, world.ec2().calls().writes(), "the probes find a healthy: nothing is written");
        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-a"), target));
        assertEquals("ACT", answer.path("event").asText(), answer.toPrettyString());
    }

    @Test
    void aStopEventDeliveredTwice_isHandledOnce() throws IOException {
        world.nodes().kill("haproxy-a");
        world.ec2().world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        ObjectNode event = sample("instance-haproxy-a-stopped.json", Instant.now());

        JsonNode first = invoke(event);
        long writes = world.ec2().calls().writes();
        JsonNode second = invoke(event);

        assertEquals(0, second.path("runs").size());
        assertEquals(writes, world.ec2().calls().writes());
        assertEquals("ACT", first.path("event").asText());
        assertEquals("DUPLICATE", second.path("event").asText(), second.toPrettyString());
    }

    @Test
    void anAlarmDeliveredTwice_isConfirmedOnce() throws IOException {
        ObjectNode alarm = sample("alarm-haproxy-a-ALARM.json", Instant.now());

        JsonNode first = invoke(alarm);
        JsonNode second = invoke(alarm);

        assertEquals(3, first.path("runs").size(), "a burst of fall (3) confirmation rounds");
        assertEquals(0, second.path("runs").size());
        assertEquals("DUPLICATE", second.path("event").asText(), second.toPrettyString());
    }

    @Test
    void anAlarmOlderThanTheBound_isDropped() throws IOException {
        world.nodes().kill("haproxy-a");

        JsonNode answer = invoke(sample("alarm-haproxy-a-ALARM.json", Instant.now().minus(Duration.ofHours(5))));

        assertEquals(0, world.ec2().calls().writes());
        assertEquals(0, world.dynamoItems());
        assertEquals("STALE", answer.path("event").asText(), answer.toPrettyString());
    }

    @Test
    void aStopEventWithoutATime_isRefusedNamingTheField_andChangesNothing() throws IOException {
        world.ec2().world().setInstanceState("i-0aaaaaaaaaaaaaaa1", "stopped");
        ObjectNode event = sample("instance-haproxy-a-stopped.json", Instant.now());
        event.remove("time");

        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> invoke(event));

        assertEquals("time", error.field());
        assertEquals(0, world.ec2().calls().count("DescribeInstances"));
        assertEquals(0, world.dynamoItems());
    }

    @Test
    void anEventFromTheFuture_isRefusedNamingTheField_andChangesNothing() throws IOException {
        ObjectNode event = sample("alarm-haproxy-a-ALARM.json", Instant.now().plus(Duration.ofHours(1)));

        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> invoke(event));

        assertEquals("alarmData.state.timestamp", error.field());
        assertEquals(0, world.dynamoItems());
    }
}
