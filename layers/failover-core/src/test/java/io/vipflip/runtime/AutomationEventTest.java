package io.vipflip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.runtime.AutomationEvent.InstanceScope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which instance state changes the alarm function acts on, per subscription scope (issue 10, many groups). */
class AutomationEventTest {
    private static final DeploymentConfig CONFIG = new ConfigParser().parse("""
            {"groups": [{"name": "web", "vips": ["192.168.100.10/32"],
              "nodes": [{"name": "a", "instanceId": "i-0aaaaaaaaaaaaaaa1"}, {"name": "b", "instanceId": "i-0bbbbbbbbbbbbbbb2"}],
              "routeTables": {"tag": {"key": "vipflip:group", "value": "web"}}}]}
            """);

    private static AutomationEvent stopped(String instance) {
        return AutomationEvent.parse(("""
                {"id": "7bf73129-1428-4cd3-a780-95db273d1602", "time": "2026-11-25T10:00:00Z",
                 "source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification",
                 "detail": {"instance-id": "%s", "state": "stopped"}}
                """).formatted(instance).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withEveryInstanceSubscribed_anotherInstancesStop_asksForNothing() {
        assertEquals(List.of(), stopped("i-0fffffffffffffff9").targets(CONFIG, InstanceScope.ALL_INSTANCES));
    }

    @Test
    void withEveryInstanceSubscribed_aNodesStop_stillFailsOver() {
        List<AutomationEvent.Target> targets = stopped("i-0aaaaaaaaaaaaaaa1").targets(CONFIG, InstanceScope.ALL_INSTANCES);

        assertEquals(1, targets.size());
        assertEquals("web", targets.getFirst().group());
        assertTrue(targets.getFirst().authoritative());
    }

    @Test
    void withOnlyTheNodesSubscribed_anotherInstance_isRefusedNamingTheField() {
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> stopped("i-0fffffffffffffff9").targets(CONFIG, InstanceScope.CONFIGURED_NODES));
        assertEquals("detail.instance-id", error.field());
    }

    @Test
    void theScope_comesFromTheEnvironment_andAnUnknownValueNamesTheVariable() {
        assertEquals(InstanceScope.CONFIGURED_NODES, InstanceScope.fromEnvironment(null));
        assertEquals(InstanceScope.CONFIGURED_NODES, InstanceScope.fromEnvironment("nodes"));
        assertEquals(InstanceScope.ALL_INSTANCES, InstanceScope.fromEnvironment("all"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> InstanceScope.fromEnvironment("every"));
        assertTrue(error.getMessage().startsWith("VIPFLIP_INSTANCE_EVENTS"), error.getMessage());
    }

    private static AutomationEvent alarm(String stateTimestamp) {
        return AutomationEvent.parse(("""
                {"source": "aws.cloudwatch", "alarmArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a-down",
                 "time": "2026-11-25T10:00:01.000+0000",
                 "alarmData": {"alarmName": "a-down", "state": {"value": "ALARM", "timestamp": %s},
                   "configuration": {"description": "vipflip:web/a"}}}
                """).formatted(stateTimestamp).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anInstanceEvent_carriesItsTimeAndId() {
        AutomationEvent event = stopped("i-0aaaaaaaaaaaaaaa1");

        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), event.occurredAt());
        assertEquals("event:7bf73129-1428-4cd3-a780-95db273d1602", event.deliveryKey());
    }

    @Test
    void anAlarm_isTimedByItsStateChange_inCloudWatchsOffsetFormat() {
        AutomationEvent event = alarm("\"2026-11-25T09:59:58.250+0000\"");

        assertEquals(Instant.parse("2026-11-25T09:59:58.250Z"), event.occurredAt());
        assertEquals("alarm:arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a-down@2026-11-25T09:59:58.250Z",
                event.deliveryKey());
        assertEquals(Instant.parse("2026-11-25T07:59:58Z"), alarm("\"2026-11-25T09:59:58+02:00\"").occurredAt());
    }

    @Test
    void anAlarmWithoutAUsableStateTimestamp_isRefusedNamingTheField() {
        for (String bad : List.of("null", "\"\"", "\"yesterday\"", "\"2026-11-25T09:59:58\"", "12")) {
            InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> alarm(bad), bad);
            assertEquals("alarmData.state.timestamp", error.field(), bad);
        }
    }

    @Test
    void anInstanceEventWithoutIdOrTime_isRefusedNamingTheField() {
        String noId = """
                {"time": "2026-11-25T10:00:00Z", "source": "aws.ec2",
                 "detail-type": "EC2 Instance State-change Notification",
                 "detail": {"instance-id": "i-0aaaaaaaaaaaaaaa1", "state": "stopped"}}""";
        String badTime = noId.replace("\"time\": \"2026-11-25T10:00:00Z\"", "\"id\": \"e-1\", \"time\": \"10:00\"");

        assertEquals("id", assertThrows(InvalidRequestException.class,
                () -> AutomationEvent.parse(noId.getBytes(StandardCharsets.UTF_8))).field());
        assertEquals("time", assertThrows(InvalidRequestException.class,
                () -> AutomationEvent.parse(badTime.getBytes(StandardCharsets.UTF_8))).field());
    }
}
