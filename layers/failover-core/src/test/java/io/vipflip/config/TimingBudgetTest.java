package io.vipflip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One timing budget, validated at config load: each rule rejects a combination that cannot flip (issue 11). */
class TimingBudgetTest {
    private final ConfigParser parser = new ConfigParser();

    private static String doc(String deployment, String probe) {
        return """
                {%s "groups": [{"name": "web", "vips": ["192.168.100.10/32"],
                  "nodes": [{"name": "a", "instanceId": "i-0aaaaaaaaaaaaaaa1"},
                            {"name": "b", "instanceId": "i-0bbbbbbbbbbbbbbb2"}],
                  "routeTables": {"ids": ["rtb-0aaaaaaaaaaaaaaa1"]},
                  "probe": {%s}}]}
                """.formatted(deployment, probe);
    }

    private void assertRejected(String document, String field, String rule) {
        ConfigException error = assertThrows(ConfigException.class, () -> parser.parse(document));
        assertTrue(error.errors().stream().anyMatch(e -> e.startsWith(field + ": ") && e.contains(rule)),
                () -> "expected '" + field + ": …" + rule + "…' in " + error.errors());
    }

    @Test
    void theDefaultsHold_andAreTheTemplatesTimeouts() {
        DeploymentConfig config = parser.parse(doc("", "\"ports\": [80]"));

        TimingBudget timing = config.timing();
        assertEquals(config.lease(), timing.lease());
        assertEquals(Duration.ofSeconds(300), timing.watchFunctionTimeout());
        assertEquals(Duration.ofSeconds(30), timing.alarmFunctionTimeout());
        assertEquals(Duration.ofSeconds(2), timing.skewMargin());
    }

    @Test
    void aTwoSecondLease_isRejected_becauseItCanNeverWrite() {
        assertRejected(doc("\"leaseMillis\": 2000,", "\"ports\": [80]"), "leaseMillis", "can never write routes");
    }

    @Test
    void theShortestLeaseThatCanWrite_isAccepted_andOneMillisecondLessIsNot() {
        // probe timeout 300 + re-read 1000 + one write 1000 + settle 2000 + skew 2000
        assertEquals(Duration.ofMillis(6300), parser.parse(doc("\"leaseMillis\": 6300,", "\"ports\": [80]")).lease());
        assertRejected(doc("\"leaseMillis\": 6299,", "\"ports\": [80]"), "leaseMillis", "at least 6300 ms");
    }

    @Test
    void aLeaseLongerThanTheShortestFunctionTimeout_isRejected() {
        assertRejected(doc("\"leaseMillis\": 600000,", "\"ports\": [80]"), "leaseMillis",
                "must fit in the shortest function timeout (30 s)");
        assertRejected(doc("\"leaseMillis\": 27001,", "\"ports\": [80]"), "leaseMillis", "too long");
        assertEquals(Duration.ofMillis(27_000), parser.parse(doc("\"leaseMillis\": 27000,", "\"ports\": [80]")).lease());
    }

    @Test
    void aLongerLease_isAccepted_whenTheFunctionTimeoutsAreLonger() {
        String timing = "\"leaseMillis\": 100000, \"timing\": {\"watchFunctionTimeoutSeconds\": 300,"
                + " \"alarmFunctionTimeoutSeconds\": 120, \"manualFunctionTimeoutSeconds\": 120},";
        assertEquals(Duration.ofSeconds(100), parser.parse(doc(timing, "\"ports\": [80]")).lease());
    }

    @Test
    void anAlarmBurstLongerThanTheAlarmFunction_isRejected_namingFall() {
        // 30 rounds × (5000 + 250) ms alone is 157 s
        assertRejected(doc("", "\"timeoutMillis\": 5000, \"intervalMillis\": 6000, \"fall\": 30"),
                "groups[0].probe.fall", "exceeds the alarm function's timeout (30 s)");
    }

    @Test
    void aColdOperatorRequestLongerThanTheManualFunction_isRejected_namingRise() {
        String timing = "\"timing\": {\"alarmFunctionTimeoutSeconds\": 900},";
        assertRejected(doc(timing, "\"timeoutMillis\": 5000, \"intervalMillis\": 6000, \"rise\": 5"),
                "groups[0].probe.rise", "more than the manual function's timeout (30 s)");
    }

    @Test
    void aDetectionLongerThanOneWatchInvocation_isRejected_namingTheInterval() {
        String timing = "\"timing\": {\"alarmFunctionTimeoutSeconds\": 900, \"manualFunctionTimeoutSeconds\": 900},";
        assertRejected(doc(timing, "\"intervalMillis\": 60000, \"fall\": 5"), "groups[0].probe.intervalMillis",
                "exceed the watch function's timeout (300 s)");
    }

    @Test
    void aGroupParameterThatCannotFlip_isAProblemOfThatParameter_andASettingsLeaseTooLongIsRejected() {
        GroupParameters layout = new GroupParameters("/vipflip/prod");
        String slow = """
                {"name": "web", "vips": ["192.168.100.10/32"],
                 "nodes": [{"name": "a", "instanceId": "i-0aaaaaaaaaaaaaaa1"},
                           {"name": "b", "instanceId": "i-0bbbbbbbbbbbbbbb2"}],
                 "routeTables": {"ids": ["rtb-0aaaaaaaaaaaaaaa1"]},
                 "probe": {"timeoutMillis": 5000, "intervalMillis": 6000, "fall": 30}}
                """;
        GroupParameters.Loaded loaded = layout.load(java.util.List.of(
                new ConfigParameter("/vipflip/prod/groups/web", slow, 1, Instant.EPOCH),
                new ConfigParameter("/vipflip/prod/settings", "{\"leaseMillis\": 600000}", 1, Instant.EPOCH)));

        assertTrue(loaded.config().groups().isEmpty(), loaded.config().groups().toString());
        assertTrue(loaded.problems().stream().flatMap(p -> p.errors().stream())
                .anyMatch(e -> e.startsWith("probe.fall: ") && e.contains("alarm function")), loaded.problems().toString());
        assertTrue(loaded.problems().stream().flatMap(p -> p.errors().stream())
                .anyMatch(e -> e.startsWith("leaseMillis: 600000 ms is too long")), loaded.problems().toString());
    }

    @Test
    void timingFields_areValidated_andUnknownOnesRejected() {
        assertRejected(doc("\"timing\": {\"skewMarginMillis\": -1},", "\"ports\": [80]"), "timing.skewMarginMillis",
                "must be between 0");
        assertRejected(doc("\"timing\": {\"lease\": 1},", "\"ports\": [80]"), "timing.lease", "unknown key");
    }

    @Test
    void aLargerSkewMargin_raisesTheShortestLease() {
        assertRejected(doc("\"leaseMillis\": 8000, \"timing\": {\"skewMarginMillis\": 4000},", "\"ports\": [80]"),
                "leaseMillis", "at least 8300 ms");
    }

    @Test
    void writesEndSkewAndSettleBeforeTheLeaseExpires() {
        TimingBudget budget = TimingBudget.defaults(Duration.ofSeconds(20));
        Instant expires = Instant.parse("2026-11-25T10:00:20Z");

        assertEquals(Instant.parse("2026-11-25T10:00:16Z"), budget.writeDeadline(expires));
    }

    @Test
    void theLeaseIsShortenedToFitTheInvocation_orNotTakenAtAll() {
        GroupConfig web = parser.parse(doc("", "\"ports\": [80]")).group("web").orElseThrow();
        TimingBudget budget = TimingBudget.defaults(Duration.ofSeconds(20));
        Instant now = Instant.parse("2026-11-25T10:00:00Z");

        assertEquals(Duration.ofSeconds(20), budget.leaseFor(web, now, now.plusSeconds(60)));
        assertEquals(Duration.ofSeconds(9), budget.leaseFor(web, now, now.plusSeconds(9)));
        assertEquals(Duration.ofMillis(6300), budget.leaseFor(web, now, now.plusMillis(6300)));
        assertEquals(Duration.ZERO, budget.leaseFor(web, now, now.plusMillis(6299)));
    }

    /**
     * Each function-timeout rule at its exact limit. With timeout 1000, interval 2000, fall = rise = 4 and a
     * 10 s lease: the shortest lease is 1000 + 1000 + 1000 + 2000 + 2000 = 7000 ms and the end margin 3000 ms, so
     * an alarm needs 4 × (1000 + 250) + 7000 + 3000 = 15000 ms, an operator request 4 × 1000 + 7000 + 3000 =
     * 14000 ms and the watch loop 4 × 2000 + 1000 + 7000 + 3000 = 19000 ms. Exactly those timeouts are enough;
     * one millisecond more probe timeout breaks all three, and the alarm rule names fall when fall = rise.
     */
    @Test
    void eachFunctionTimeout_isEnoughAtItsExactLimit_andAMillisecondMoreIsNot() {
        String timing = "\"leaseMillis\": 10000, \"timing\": {\"alarmFunctionTimeoutSeconds\": 15, "
                + "\"manualFunctionTimeoutSeconds\": 14, \"watchFunctionTimeoutSeconds\": 19},";
        String probe = "\"ports\": [80], \"intervalMillis\": 2000, \"fall\": 4, \"rise\": 4, \"timeoutMillis\": ";

        DeploymentConfig exact = parser.parse(doc(timing, probe + "1000"));
        assertEquals(Duration.ofSeconds(15), exact.timing().alarmFunctionTimeout());

        ConfigException over = assertThrows(ConfigException.class, () -> parser.parse(doc(timing, probe + "1001")));
        assertEquals(3, over.errors().size(), over.errors().toString());
        assertTrue(over.errors().get(0).startsWith("groups[0].probe.fall: an alarm's confirmation burst"), over.errors().get(0));
        assertTrue(over.errors().get(1).startsWith("groups[0].probe.rise: a cold operator request"), over.errors().get(1));
        assertTrue(over.errors().get(2).startsWith("groups[0].probe.intervalMillis: fall × intervalMillis"), over.errors().get(2));
    }

    @Test
    void theAlarmBurst_spacesItsRoundsByAQuarterSecond_orTheIntervalWhenShorter() {
        ProbeSettings slow = new ProbeSettings(java.util.List.of(80), Duration.ofMillis(300), Duration.ofMillis(1000),
                Duration.ofMillis(200), Duration.ofMillis(1000), 3, 2, true, java.util.Optional.empty());
        ProbeSettings fast = new ProbeSettings(java.util.List.of(80), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(200), Duration.ofMillis(200), 2, 5, true, java.util.Optional.empty());

        assertEquals(Duration.ofMillis(3 * (300 + 250)), TimingBudget.alarmBurst(slow));
        assertEquals(Duration.ofMillis(5 * (100 + 200)), TimingBudget.alarmBurst(fast));
    }
}
