package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.config.ConfigException;
import io.vipflip.config.ConfigParser;
import io.vipflip.local.harness.FakeContext;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.runtime.Engine;
import io.vipflip.runtime.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input — broken JSON, wrong types, huge strings, unknown groups/nodes/actions, missing reasons,
 * injection-like strings — through the manual and alarm handlers and the configuration parser. Each is rejected
 * naming the field, and the local world's call logs show zero EC2 calls and zero DynamoDB items.
 */
class BadInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NASTY = List.of("'; DROP TABLE vipflip; --", "${jndi:ldap://x.invalid/a}",
            "<script>alert(1)</script>", "../../etc/passwd", "haproxy-b\nInjected: header", "\u202Ehaproxy-b",
            "%00", "{\"action\":\"failover\"}", "$(reboot)", "x".repeat(300), "web\u0000", "ｗｅｂ");
    private static LocalWorld world;
    private static Engine engine;

    @BeforeAll
    static void start() {
        world = LocalWorld.start(LocalWorld.Settings.demo());
        world.reset();
        engine = world.engine(Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    record Case(String description, byte[] body, String field) {
    }

    @Test
    void hundredsOfBadManualRequests_areRefusedNamingTheField_andChangeNothing() throws Exception {
        List<Case> cases = manualCases(new Random(20261125));
        assertTrue(cases.size() >= 300, "generated " + cases.size());
        ManualFailoverHandler handler = new ManualFailoverHandler(engine);
        for (Case c : cases) {
            InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> handler.handleRequest(
                    new ByteArrayInputStream(c.body()), new ByteArrayOutputStream(), context()), c.description());
            if (c.field() != null) {
                assertEquals(c.field(), error.field(), c.description() + ": " + error.getMessage());
            }
            assertFalse(error.getMessage().isBlank());
            assertTrue(error.getMessage().length() < 400, "error messages stay short: " + c.description());
        }
        assertNothingChanged();
    }

    @Test
    void hundredsOfBadAutomationEvents_areRefusedNamingTheField_andChangeNothing() throws Exception {
        List<Case> cases = eventCases(new Random(7));
        assertTrue(cases.size() >= 150, "generated " + cases.size());
        AlarmFailoverHandler handler = new AlarmFailoverHandler(engine);
        for (Case c : cases) {
            InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> handler.handleRequest(
                    new ByteArrayInputStream(c.body()), new ByteArrayOutputStream(), context()), c.description());
            if (c.field() != null) {
                assertEquals(c.field(), error.field(), c.description() + ": " + error.getMessage());
            }
        }
        assertNothingChanged();
    }

    @Test
    void hundredsOfBadConfigurations_areRefusedWithTheirJsonPath() {
        Random random = new Random(99);
        String valid = world.configJson();
        int checked = 0;
        for (int i = 0; i < 120; i++) {
            String broken = mutateConfig(valid, random, i);
            ConfigException error = assertThrows(ConfigException.class, () -> new ConfigParser().parse(broken),
                    "mutation " + i + ": " + broken);
            assertTrue(error.errors().stream().allMatch(e -> e.contains(": ")), error.errors().toString());
            checked++;
        }
        assertEquals(120, checked);
    }

    private static void assertNothingChanged() {
        assertEquals(0, world.ec2().calls().all().size(), "bad input must not reach EC2");
        assertEquals(0, world.dynamoItems(), "bad input must not reach DynamoDB");
        world.routes().values().forEach(t -> assertEquals(LocalWorld.ENIS.get("haproxy-a"), t));
    }

    private static FakeContext context() {
        return new FakeContext("bad-input", Duration.ofSeconds(30), Clock.systemUTC());
    }

    static List<Case> manualCases(Random random) throws Exception {
        List<Case> cases = new ArrayList<>();
        String[] actions = {"status", "failover", "failback", "reconcile", "pause", "resume"};
        for (String action : actions) {
            for (String nasty : NASTY) {
                cases.add(request("nasty group for " + action, "group", r -> r.put("action", action).put("group", nasty)
                        .put("reason", "r")));
                cases.add(request("nasty action", "action", r -> r.put("action", nasty).put("group", "web")));
                cases.add(request("unknown field " + action, null, r -> r.put("action", action).put("group", "web")
                        .put("reason", "r").put(nasty.isBlank() ? "x" : nasty, 1)));
            }
            for (Object wrong : List.of(1, true, List.of("web"), java.util.Map.of("a", 1))) {
                cases.add(request("group of type " + wrong.getClass().getSimpleName(), "group",
                        r -> r.put("action", action).set("group", JSON.valueToTree(wrong))));
                cases.add(request("dryRun of type " + wrong.getClass().getSimpleName(), "dryRun",
                        r -> base(r, action).set("dryRun", JSON.valueToTree(wrong instanceof Boolean ? "true" : wrong))));
            }
            cases.add(request("missing group " + action, "group", r -> r.put("action", action)));
            cases.add(request("unknown group " + action, "group", r -> r.put("action", action).put("group", "api")));
            if (!action.equals("failover")) {
                cases.add(request("force outside failover " + action, "force", r -> base(r, action).put("force", true)));
                cases.add(request("target outside failover " + action, "target",
                        r -> base(r, action).put("target", "haproxy-b")));
            }
        }
        for (String nasty : NASTY) {
            cases.add(request("nasty target", "target", r -> r.put("action", "failover").put("group", "web")
                    .put("target", nasty).put("reason", "r")));
            cases.add(request("failover without reason, nasty target", "target", r -> r.put("action", "failover")
                    .put("group", "web").put("target", nasty)));
        }
        cases.add(request("missing reason", "reason", r -> r.put("action", "failover").put("group", "web").put("target", "haproxy-b")));
        cases.add(request("blank reason", "reason", r -> r.put("action", "pause").put("group", "web").put("reason", "  ")));
        cases.add(request("huge reason", "reason", r -> r.put("action", "pause").put("group", "web").put("reason", "y".repeat(5000))));
        cases.add(new Case("huge body", ("{\"action\":\"status\",\"group\":\"web\",\"pad\":\"" + "z".repeat(100_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8), "request"));
        byte[] valid = "{\"action\":\"failover\",\"group\":\"web\",\"target\":\"haproxy-b\",\"reason\":\"drill\"}"
                .getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut < valid.length - 1; cut++) {
            cases.add(new Case("truncated at " + cut, java.util.Arrays.copyOf(valid, cut), "request"));
        }
        for (int i = 0; i < 60; i++) {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            cases.add(new Case("random bytes " + i, garbage, null));
        }
        for (String literal : List.of("null", "[]", "42", "\"status\"", "true", "{}", "[{\"action\":\"status\"}]")) {
            cases.add(new Case("not an object: " + literal, literal.getBytes(StandardCharsets.UTF_8), null));
        }
        return cases;
    }

    static List<Case> eventCases(Random random) throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String nasty : NASTY) {
            cases.add(new Case("unknown source", json(r -> r.put("source", nasty)), "source"));
            cases.add(new Case("instance not a node", json(r -> r.put("source", "aws.ec2")
                    .put("detail-type", "EC2 Instance State-change Notification")
                    .set("detail", JSON.createObjectNode().put("instance-id", nasty).put("state", "stopped"))),
                    "detail.instance-id"));
            cases.add(new Case("alarm naming no node", json(r -> r.put("source", "aws.cloudwatch")
                    .set("alarmData", JSON.createObjectNode().put("alarmName", nasty)
                            .set("state", JSON.createObjectNode().put("value", "ALARM")))), "alarmData"));
        }
        for (Object wrong : List.of(1, true, List.of("x"), java.util.Map.of("a", 1))) {
            cases.add(new Case("alarm name of type " + wrong.getClass().getSimpleName(), json(r -> r.put("source", "aws.cloudwatch")
                    .set("alarmData", JSON.createObjectNode().set("alarmName", JSON.valueToTree(wrong)))),
                    "alarmData.alarmName"));
            cases.add(new Case("instance id of type " + wrong.getClass().getSimpleName(), json(r -> r.put("source", "aws.ec2")
                    .put("detail-type", "EC2 Instance State-change Notification")
                    .set("detail", JSON.createObjectNode().set("instance-id", JSON.valueToTree(wrong)))),
                    "detail.instance-id"));
        }
        cases.add(new Case("alarm without state", json(r -> r.put("source", "aws.cloudwatch")
                .set("alarmData", JSON.createObjectNode().put("alarmName", "x"))), "alarmData.state.value"));
        cases.add(new Case("no source", json(r -> r.put("detail-type", "Scheduled Event")), "source"));
        byte[] sample = ("{\"source\":\"aws.ec2\",\"detail-type\":\"EC2 Instance State-change Notification\","
                + "\"detail\":{\"instance-id\":\"i-0aaaaaaaaaaaaaaa1\",\"state\":\"stopped\"}}").getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut < sample.length - 1; cut++) {
            cases.add(new Case("truncated event at " + cut, java.util.Arrays.copyOf(sample, cut), null));
        }
        for (int i = 0; i < 40; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            cases.add(new Case("random event bytes " + i, garbage, null));
        }
        cases.add(new Case("huge event", ("{\"source\":\"" + "s".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8),
                "event"));
        return cases;
    }

    private static String mutateConfig(String valid, Random random, int i) {
        try {
            ObjectNode doc = (ObjectNode) JSON.readTree(valid);
            ObjectNode group = (ObjectNode) doc.get("groups").get(0);
            ObjectNode node = (ObjectNode) group.get("nodes").get(random.nextInt(2));
            String nasty = NASTY.get(i % NASTY.size());
            switch (i % 10) {
                case 0 -> group.put("name", nasty);
                case 1 -> node.put("instanceId", nasty);
                case 2 -> node.put("eniId", nasty);
                case 3 -> group.putArray("vips").add(nasty);
                case 4 -> ((ObjectNode) group.get("probe")).putArray("ports").add(random.nextBoolean() ? -random.nextInt(9999) : 65536 + random.nextInt(9999));
                case 5 -> ((ObjectNode) group.get("probe")).put("timeoutMillis", -random.nextInt(1000));
                case 6 -> group.put(nasty.isBlank() ? "x" : nasty, 1);
                case 7 -> node.put("probeAddress", nasty);
                case 8 -> ((ObjectNode) group.get("probe")).put("fall", random.nextInt(1) - random.nextInt(5));
                default -> { return valid.substring(0, random.nextInt(valid.length() - 1)); }
            }
            return JSON.writeValueAsString(doc);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid request for the action, to break one field of. */
    private static ObjectNode base(ObjectNode request, String action) {
        request.put("action", action).put("group", "web").put("reason", "r");
        if (action.equals("failover")) {
            request.put("target", "haproxy-b");
        }
        return request;
    }

    interface Edit {
        void apply(ObjectNode request);
    }

    private static Case request(String description, String field, Edit edit) {
        return new Case(description, json(edit), field);
    }

    private static byte[] json(Edit edit) {
        ObjectNode request = JSON.createObjectNode();
        edit.apply(request);
        try {
            return JSON.writeValueAsBytes(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
