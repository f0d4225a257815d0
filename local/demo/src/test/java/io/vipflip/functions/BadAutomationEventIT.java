package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated bad automation events — unknown sources, instances and alarms that name no node, wrong types, missing or
 * malformed times and ids, truncations, random bytes — through the alarm handler: each is refused naming its field
 * and makes no call at all (counted per case).
 */
class BadAutomationEventIT {
    private static BadInput input;

    @BeforeAll
    static void start() {
        input = new BadInput();
    }

    @AfterAll
    static void stop() {
        input.close();
    }

    @Test
    void hundredsOfBadAutomationEvents_areRefusedNamingTheField_andChangeNothing() throws Exception {
        List<BadInput.Case> cases = eventCases(new Random(7));
        AlarmFailoverHandler handler = new AlarmFailoverHandler(input.engine);

        int checked = input.assertEachRefusedWithoutCalls(handler, cases);

        assertTrue(checked >= 150, "checked " + checked);
        assertEquals(40, cases.stream().filter(c -> c.description().startsWith("random event bytes")).count());
        input.assertRoutesUnchanged();
        // a standby's status-check alarm: the node is confirmed by probes, the routes read, nothing changed
        input.assertTheCountersSeeAValidRequest(handler, "{\"source\":\"aws.cloudwatch\",\"alarmData\":{\"alarmName\":"
                + "\"vipflip-web-haproxy-b-status-check\",\"state\":{\"value\":\"ALARM\",\"timestamp\":\"" + Instant.now()
                + "\"},\"configuration\":{\"description\":\"EC2 status check of haproxy-b (vipflip:web/haproxy-b)\"}}}");
    }

    static List<BadInput.Case> eventCases(Random random) throws Exception {
        List<BadInput.Case> cases = new ArrayList<>();
        String now = Instant.now().toString();
        for (String nasty : BadInput.NASTY) {
            cases.add(new BadInput.Case("unknown source", BadInput.json(r -> r.put("source", nasty)), "source"));
            cases.add(new BadInput.Case("instance not a node", BadInput.json(r -> instanceEvent(r, nasty, now)),
                    "detail.instance-id"));
            cases.add(new BadInput.Case("alarm naming no node", BadInput.json(r -> r.put("source", "aws.cloudwatch")
                    .set("alarmData", BadInput.JSON.createObjectNode().put("alarmName", nasty)
                            .set("state", BadInput.JSON.createObjectNode().put("value", "ALARM").put("timestamp", now)))),
                    "alarmData"));
            cases.add(new BadInput.Case("instance event time " + nasty, BadInput.json(r -> instanceEvent(r,
                    "i-0aaaaaaaaaaaaaaa1", nasty)), "time"));
            cases.add(new BadInput.Case("alarm state time " + nasty, BadInput.json(r -> r.put("source", "aws.cloudwatch")
                    .set("alarmData", BadInput.JSON.createObjectNode().put("alarmName", "a")
                            .set("state", BadInput.JSON.createObjectNode().put("value", "ALARM").put("timestamp", nasty)))),
                    "alarmData.state.timestamp"));
        }
        for (Object wrong : List.of(1, true, List.of("x"), java.util.Map.of("a", 1))) {
            String type = wrong.getClass().getSimpleName();
            cases.add(new BadInput.Case("alarm name of type " + type, BadInput.json(r -> r.put("source", "aws.cloudwatch")
                    .set("alarmData", BadInput.JSON.createObjectNode().set("alarmName", BadInput.JSON.valueToTree(wrong)))),
                    "alarmData.alarmName"));
            cases.add(new BadInput.Case("instance id of type " + type, BadInput.json(r -> r.put("source", "aws.ec2")
                    .put("detail-type", "EC2 Instance State-change Notification")
                    .set("detail", BadInput.JSON.createObjectNode().set("instance-id", BadInput.JSON.valueToTree(wrong)))),
                    "detail.instance-id"));
            cases.add(new BadInput.Case("event id of type " + type, BadInput.json(r -> instanceEvent(r,
                    "i-0aaaaaaaaaaaaaaa1", now).set("id", BadInput.JSON.valueToTree(wrong))), "id"));
            cases.add(new BadInput.Case("event time of type " + type, BadInput.json(r -> instanceEvent(r,
                    "i-0aaaaaaaaaaaaaaa1", now).set("time", BadInput.JSON.valueToTree(wrong))), "time"));
        }
        cases.add(new BadInput.Case("instance event without id", BadInput.json(r -> instanceEvent(r,
                "i-0aaaaaaaaaaaaaaa1", now).remove("id")), "id"));
        cases.add(new BadInput.Case("instance event without time", BadInput.json(r -> instanceEvent(r,
                "i-0aaaaaaaaaaaaaaa1", now).remove("time")), "time"));
        cases.add(new BadInput.Case("instance event from tomorrow", BadInput.json(r -> instanceEvent(r,
                "i-0aaaaaaaaaaaaaaa1", Instant.now().plusSeconds(86_400).toString())), "time"));
        cases.add(new BadInput.Case("alarm without state", BadInput.json(r -> r.put("source", "aws.cloudwatch")
                .set("alarmData", BadInput.JSON.createObjectNode().put("alarmName", "x"))), "alarmData.state.value"));
        cases.add(new BadInput.Case("no source", BadInput.json(r -> r.put("detail-type", "Scheduled Event")), "source"));
        byte[] sample = BadInput.json(r -> instanceEvent(r, "i-0aaaaaaaaaaaaaaa1", now));
        for (int cut = 0; cut < sample.length - 1; cut++) {
            cases.add(new BadInput.Case("truncated event at " + cut, java.util.Arrays.copyOf(sample, cut), "event"));
        }
        for (int i = 0; i < 40; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            cases.add(new BadInput.Case("random event bytes " + i, garbage, "event"));
        }
        cases.add(new BadInput.Case("huge event", ("{\"source\":\"" + "s".repeat(200_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8), "event"));
        return cases;
    }

    /** An EC2 instance stop event as EventBridge delivers it (the instance and time given). */
    private static com.fasterxml.jackson.databind.node.ObjectNode instanceEvent(
            com.fasterxml.jackson.databind.node.ObjectNode event, String instanceId, String time) {
        event.put("version", "0").put("id", "7bf73129-1428-4cd3-a780-95db273d1602")
                .put("detail-type", "EC2 Instance State-change Notification").put("source", "aws.ec2")
                .put("time", time).set("detail", BadInput.JSON.createObjectNode().put("instance-id", instanceId)
                        .put("state", "stopped"));
        return event;
    }
}
