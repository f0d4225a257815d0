package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.CloudWatchCompositeAlarmEvent;
import com.amazonaws.services.lambda.runtime.events.CloudWatchMetricAlarmEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private JsonNode invoke(String event) throws IOException {
        byte[] body;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("events/" + event)) {
            body = in.readAllBytes();
        }
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
}
