package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated bad operator requests — broken JSON, wrong types, huge strings, unknown groups/nodes/actions, missing
 * reasons, injection-like strings, random bytes — through the manual handler: each is refused naming its field and
 * makes no call at all (counted per case).
 */
class BadManualRequestIT {
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
    void hundredsOfBadManualRequests_areRefusedNamingTheField_andChangeNothing() throws Exception {
        List<BadInput.Case> cases = manualCases(new Random(20261125));
        ManualFailoverHandler handler = new ManualFailoverHandler(input.engine);

        int checked = input.assertEachRefusedWithoutCalls(handler, cases);

        assertTrue(checked >= 300, "checked " + checked);
        assertEquals(60, cases.stream().filter(c -> c.description().startsWith("random bytes")).count());
        input.assertRoutesUnchanged();
        input.assertTheCountersSeeAValidRequest(handler, "{\"action\":\"status\",\"group\":\"web\"}");
    }

    static List<BadInput.Case> manualCases(Random random) throws Exception {
        List<BadInput.Case> cases = new ArrayList<>();
        String[] actions = {"status", "failover", "failback", "reconcile", "pause", "resume"};
        for (String action : actions) {
            for (String nasty : BadInput.NASTY) {
                cases.add(BadInput.request("nasty group for " + action, "group", r -> r.put("action", action).put("group", nasty)
                        .put("reason", "r")));
                cases.add(BadInput.request("nasty action", "action", r -> r.put("action", nasty).put("group", "web")));
                cases.add(BadInput.request("unknown field " + action, BadInput.shownAsField(nasty), r -> r.put("action", action)
                        .put("group", "web").put("reason", "r").put(nasty, 1)));
            }
            for (Object wrong : List.of(1, true, List.of("web"), java.util.Map.of("a", 1))) {
                cases.add(BadInput.request("group of type " + wrong.getClass().getSimpleName(), "group",
                        r -> r.put("action", action).set("group", BadInput.JSON.valueToTree(wrong))));
                cases.add(BadInput.request("dryRun of type " + wrong.getClass().getSimpleName(), "dryRun",
                        r -> BadInput.base(r, action).set("dryRun", BadInput.JSON.valueToTree(wrong instanceof Boolean ? "true" : wrong))));
            }
            cases.add(BadInput.request("missing group " + action, "group", r -> r.put("action", action)));
            cases.add(BadInput.request("unknown group " + action, "group", r -> r.put("action", action).put("group", "api")));
            if (!action.equals("failover")) {
                cases.add(BadInput.request("force outside failover " + action, "force", r -> BadInput.base(r, action).put("force", true)));
                cases.add(BadInput.request("target outside failover " + action, "target",
                        r -> BadInput.base(r, action).put("target", "haproxy-b")));
            }
        }
        for (String nasty : BadInput.NASTY) {
            cases.add(BadInput.request("nasty target", "target", r -> r.put("action", "failover").put("group", "web")
                    .put("target", nasty).put("reason", "r")));
            cases.add(BadInput.request("failover without reason, nasty target", "target", r -> r.put("action", "failover")
                    .put("group", "web").put("target", nasty)));
        }
        cases.add(BadInput.request("missing reason", "reason", r -> r.put("action", "failover").put("group", "web").put("target", "haproxy-b")));
        cases.add(BadInput.request("blank reason", "reason", r -> r.put("action", "pause").put("group", "web").put("reason", "  ")));
        cases.add(BadInput.request("huge reason", "reason", r -> r.put("action", "pause").put("group", "web").put("reason", "y".repeat(5000))));
        cases.add(new BadInput.Case("huge body", ("{\"action\":\"status\",\"group\":\"web\",\"pad\":\"" + "z".repeat(100_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8), "request"));
        byte[] valid = "{\"action\":\"failover\",\"group\":\"web\",\"target\":\"haproxy-b\",\"reason\":\"drill\"}"
                .getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut < valid.length - 1; cut++) {
            cases.add(new BadInput.Case("truncated at " + cut, java.util.Arrays.copyOf(valid, cut), "request"));
        }
        for (int i = 0; i < 60; i++) {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            cases.add(new BadInput.Case("random bytes " + i, garbage, "request"));
        }
        for (String literal : List.of("null", "[]", "42", "\"status\"", "true", "[{\"action\":\"status\"}]")) {
            cases.add(new BadInput.Case("not an object: " + literal, literal.getBytes(StandardCharsets.UTF_8), "request"));
        }
        cases.add(new BadInput.Case("empty object", "{}".getBytes(StandardCharsets.UTF_8), "action"));
        return cases;
    }
}
