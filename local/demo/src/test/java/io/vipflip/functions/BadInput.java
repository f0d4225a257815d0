package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;

/**
 * The bad-input suites' shared parts: nasty strings, the cases' shape, and a local world whose EC2 call log and
 * an SDK interceptor on vipflip's DynamoDB client are read before and after every single case.
 */
final class BadInput implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> NASTY = List.of("'; DROP TABLE vipflip; --", "${jndi:ldap://x.invalid/a}",
            "<script>alert(1)</script>", "../../etc/passwd", "haproxy-b\nInjected: header", "\u202Ehaproxy-b",
            "%00", "{\"action\":\"failover\"}", "$(reboot)", "x".repeat(300), "web\u0000", "ｗｅｂ");
    /** Counts every API call vipflip's DynamoDB client starts (before the first attempt, so failed ones too). */
    private final CallCounter dynamoCalls = new CallCounter();
    final LocalWorld world;
    final Engine engine;

    record Case(String description, byte[] body, String field) {
    }

    /** EC2 calls the endpoint logged and DynamoDB calls vipflip's client started, so far. */
    record CallCounts(int ec2, long dynamo) {
    }

    BadInput() {
        world = LocalWorld.start(LocalWorld.Settings.demo());
        world.reset();
        engine = world.engine(Clock.systemUTC(), world.clients().dynamo(world.dynamo().endpoint(), dynamoCalls));
    }

    CallCounts calls() {
        return new CallCounts(world.ec2().calls().all().size(), dynamoCalls.count());
    }

    /**
     * Serves every case: each is refused naming its field with a short message, and makes no call at all. Returns
     * how many were checked.
     */
    int assertEachRefusedWithoutCalls(RequestStreamHandler handler, List<Case> cases) {
        int checked = 0;
        for (Case c : cases) {
            CallCounts before = calls();
            InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> handler.handleRequest(
                    new ByteArrayInputStream(c.body()), new ByteArrayOutputStream(), context()), c.description());
            assertEquals(before, calls(), c.description() + " made calls");
            assertEquals(c.field(), error.field(), c.description() + ": " + error.getMessage());
            assertFalse(error.getMessage().isBlank());
            assertTrue(error.getMessage().length() < 400, "error messages stay short: " + c.description());
            checked++;
        }
        return checked;
    }

    void assertRoutesUnchanged() {
        world.routes().values().forEach(t -> assertEquals(LocalWorld.ENIS.get("haproxy-a"), t));
    }

    /** The zero-call checks could not pass because the counters are blind: a valid request is counted. */
    void assertTheCountersSeeAValidRequest(RequestStreamHandler handler, String valid) throws Exception {
        CallCounts before = calls();
        handler.handleRequest(new ByteArrayInputStream(valid.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), context());
        CallCounts after = calls();
        assertTrue(after.ec2() > before.ec2(), "a valid request reaches EC2: " + before + " -> " + after);
        assertTrue(after.dynamo() > before.dynamo(), "a valid request reaches DynamoDB: " + before + " -> " + after);
    }

    static FakeContext context() {
        return new FakeContext("bad-input", Duration.ofSeconds(30), Clock.systemUTC());
    }

    /** How an error names a field the request made up: control characters shown as '?', cut after 40. */
    static String shownAsField(String name) {
        String printable = name.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "…";
    }

    /** A valid request for the action, to break one field of. */
    static ObjectNode base(ObjectNode request, String action) {
        request.put("action", action).put("group", "web").put("reason", "r");
        if (action.equals("failover")) {
            request.put("target", "haproxy-b");
        }
        return request;
    }

    interface Edit {
        void apply(ObjectNode request);
    }

    static Case request(String description, String field, Edit edit) {
        return new Case(description, json(edit), field);
    }

    static byte[] json(Edit edit) {
        ObjectNode request = JSON.createObjectNode();
        edit.apply(request);
        try {
            return JSON.writeValueAsBytes(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        world.close();
    }
}
