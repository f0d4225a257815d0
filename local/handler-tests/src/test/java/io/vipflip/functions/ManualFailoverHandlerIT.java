package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipflip.local.harness.FakeContext;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.harness.LocalWorldExtension;
import io.vipflip.runtime.Engine;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every manual sample in events/ through the handler, against the local world; negative ones change nothing. */
class ManualFailoverHandlerIT {
    @RegisterExtension
    static final LocalWorldExtension WORLD = new LocalWorldExtension();
    private static LocalWorld world;
    private Engine engine;

    @BeforeEach
    void reset() {
        world = WORLD.world();
        engine = world.engine(Clock.systemUTC());
    }

    private JsonNode invoke(String event) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("events/" + event)) {
            return invoke(in.readAllBytes());
        }
    }

    private JsonNode invoke(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ManualFailoverHandler(engine).handleRequest(new ByteArrayInputStream(body), out,
                new FakeContext("manual-failover", Duration.ofSeconds(30), Clock.systemUTC()));
        return new ObjectMapper().readTree(out.toByteArray());
    }

    /** A node is UP only after rise (2) rounds; an operator's failover is checked against that. */
    private void warmUp() {
        engine.orchestrator().run("web", new io.vipflip.policy.Trigger.Scheduled());
        engine.orchestrator().run("web", new io.vipflip.policy.Trigger.Scheduled());
    }

    @Test
    void failover_movesEveryTable_answersBeforeAfterAndToken_andPins() throws IOException {
        warmUp();

        JsonNode answer = invoke("manual-failover.json");

        assertEquals("FLIPPED", answer.path("outcome").asText(), answer.toPrettyString());
        assertTrue(answer.path("token").asLong() > 0);
        answer.path("tables").forEach(t -> {
            assertEquals(LocalWorld.ENIS.get("haproxy-a"), t.path("before").asText());
            assertEquals(LocalWorld.ENIS.get("haproxy-b"), t.path("after").asText());
        });
        assertEquals("patching haproxy-a (CHG-1234)", answer.path("event").path("reason").asText().replace("manual failover: ", ""));
        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-b"), target));
        assertEquals("haproxy-b", invoke("manual-status.json").path("pin").path("node").asText());
    }

    @Test
    void forcedFailover_toANodeThatIsDown_isCarriedOut() throws IOException {
        world.nodes().kill("haproxy-b");
        warmUp();

        JsonNode plain = invoke("manual-failover.json");
        JsonNode forced = invoke("manual-failover-force.json");

        assertEquals("REFUSED", plain.path("outcome").asText());
        assertEquals("FLIPPED", forced.path("outcome").asText(), forced.toPrettyString());
    }

    @Test
    void dryRun_answersWhatWouldHappen_andWritesNothing() throws IOException {
        warmUp();

        JsonNode answer = invoke("manual-failover-dry-run.json");

        assertEquals("DRY_RUN", answer.path("outcome").asText());
        assertEquals("flip", answer.path("decision").asText());
        assertEquals(0, world.ec2().calls().writes());
        assertEquals(0, world.dynamoItems());
    }

    @Test
    void failback_returnsToThePreferredNode_andClearsThePin() throws IOException {
        warmUp();
        invoke("manual-failover.json");

        JsonNode answer = invoke("manual-failback.json");

        assertEquals("FLIPPED", answer.path("outcome").asText(), answer.toPrettyString());
        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-a"), target));
        assertTrue(invoke("manual-status.json").path("pin").isMissingNode());
    }

    @Test
    void reconcile_repairsADriftedTable() throws IOException {
        warmUp();
        world.ec2().world().route("rtb-0ccccccccccccccc3", LocalWorld.VIP, LocalWorld.ENIS.get("haproxy-b"));

        JsonNode answer = invoke("manual-reconcile.json");

        assertEquals("REPAIRED", answer.path("outcome").asText(), answer.toPrettyString());
        assertEquals(1, world.ec2().calls().writes());
    }

    @Test
    void pause_blocksAutomaticFlips_andResumeLiftsIt() throws IOException {
        warmUp();
        assertEquals("RECORDED", invoke("manual-pause.json").path("outcome").asText());
        world.nodes().kill("haproxy-a");

        for (int i = 0; i < 4; i++) {
            engine.orchestrator().run("web", new io.vipflip.policy.Trigger.Scheduled());
        }
        assertEquals(0, world.ec2().calls().writes(), "paused: no automatic flip");

        assertEquals("RECORDED", invoke("manual-resume.json").path("outcome").asText());
        engine.orchestrator().run("web", new io.vipflip.policy.Trigger.Scheduled());
        world.routes().values().forEach(target -> assertEquals(LocalWorld.ENIS.get("haproxy-b"), target));
    }

    @Test
    void status_showsATableInRepairBackoff_afterEc2RefusedItsWrite() throws IOException {
        warmUp();
        String refused = world.routes().keySet().iterator().next();
        world.ec2().faults().refuseWritesTo(refused, "UnauthorizedOperation");

        assertEquals("PARTIAL", invoke("manual-failover.json").path("outcome").asText());
        JsonNode status = invoke("manual-status.json");

        JsonNode backoff = status.path("repairBackoff");
        assertEquals(1, backoff.size(), status.toPrettyString());
        assertEquals(refused, backoff.get(0).path("table").asText());
        assertEquals(1, backoff.get(0).path("failures").asInt());
        assertTrue(backoff.get(0).path("error").asText().startsWith("UnauthorizedOperation"), backoff.toString());
    }

    @Test
    void status_showsRoutesNodesLeaseAndHistory() throws IOException {
        warmUp();
        invoke("manual-pause.json");

        JsonNode status = invoke("manual-status.json");

        assertEquals("haproxy-a", status.path("activeNode").asText(), status.toPrettyString());
        assertEquals(3, status.path("tables").size());
        assertEquals("UP", status.path("nodes").get(0).path("health").asText());
        assertTrue(status.path("nodes").get(0).path("sourceDestCheck").asBoolean(),
                "the demo world's ENIs keep EC2's default");
        assertTrue(status.path("nodes").get(0).path("warning").asText().contains("source/destination check"));
        assertTrue(status.path("paused").asBoolean());
        assertEquals("paused", status.path("history").get(0).path("kind").asText());
        assertTrue(status.path("lease").path("token").asLong() >= 1);
    }

    @ParameterizedTest
    @CsvSource({
            "negative-manual-malformed.json, request",
            "negative-manual-unknown-group.json, group",
            "negative-manual-unknown-target.json, target",
            "negative-manual-missing-reason.json, reason",
            "negative-manual-unknown-action.json, action"})
    void aBadRequest_failsNamingTheField_andChangesNothing(String event, String field) {
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> invoke(event));

        assertEquals(field, error.field(), error.getMessage());
        assertEquals(0, world.ec2().calls().count("DescribeRouteTables") + world.ec2().calls().writes());
        assertEquals(0, world.dynamoItems());
        assertFalse(error.getMessage().isBlank());
    }

    @Test
    void anOversizedRequest_isRefusedUnread() {
        byte[] huge = ("{\"action\":\"status\",\"group\":\"web\",\"reason\":\"" + "x".repeat(20_000) + "\"}").getBytes();

        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> invoke(huge));

        assertEquals("request", error.field());
    }
}
