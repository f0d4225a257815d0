package io.vipflip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code vantage} and {@code quorumDeadlineMillis} (issue 14): parsed, defaulted, and rejected naming the field. */
class VantageConfigTest {
    private final ConfigParser parser = new ConfigParser();

    private static String withGroupFields(String fields) {
        return ConfigParserTest.TWO_NODES.replace("\"name\": \"web\",", "\"name\": \"web\", " + fields);
    }

    private GroupConfig web(String fields) {
        return parser.parse(withGroupFields(fields)).group("web").orElseThrow();
    }

    private String error(String fields) {
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse(withGroupFields(fields)));
        return String.join("\n", e.errors());
    }

    @Test
    void defaultsToLocal_withADeadlineThatOutlastsTheProbe() {
        GroupConfig web = web("");
        assertFalse(web.vantage().quorum());
        assertEquals(VantageSettings.Mode.LOCAL, web.vantage().mode());
        assertEquals(Duration.ofMillis(250 + VantageSettings.DEFAULT_EXTRA_MILLIS), web.vantage().deadline());
    }

    @Test
    void parsesQuorumAndItsDeadline() {
        GroupConfig web = web("\"vantage\": \"quorum\", \"quorumDeadlineMillis\": 600,");
        assertTrue(web.vantage().quorum());
        assertEquals(Duration.ofMillis(600), web.vantage().deadline());
    }

    @Test
    void rejectsAnUnknownVantage_namingTheField() {
        String errors = error("\"vantage\": \"majority\",");
        assertTrue(errors.contains("groups[0].vantage: must be 'local' or 'quorum' (got 'majority')"), errors);
    }

    @Test
    void rejectsADeadlineThatLeavesNoTimeForTheAnswerAfterTheProbeTimeout() {
        String errors = error("\"vantage\": \"quorum\", \"quorumDeadlineMillis\": 299,");
        assertTrue(errors.contains("groups[0].quorumDeadlineMillis: must be at least probe.timeoutMillis + 50 (300)"),
                errors);
        web("\"vantage\": \"quorum\", \"quorumDeadlineMillis\": 300,");
    }

    @Test
    void rejectsADeadlineOutOfRange() {
        String errors = error("\"quorumDeadlineMillis\": 20000,");
        assertTrue(errors.contains("groups[0].quorumDeadlineMillis"), errors);
    }

    @Test
    void theLeaseMustCoverTheObserversDeadline() {
        String quorum = withGroupFields("\"vantage\": \"quorum\", \"quorumDeadlineMillis\": 3000,")
                .replace("\"groups\": [{", "\"leaseMillis\": 8000, \"groups\": [{");
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse(quorum));
        String errors = String.join("\n", e.errors());
        assertTrue(errors.contains("leaseMillis") && errors.contains("confirmation probe (3000 ms)"), errors);
        // The same deadline on a local group asks nobody, so it does not lengthen the lease.
        parser.parse(quorum.replace("\"vantage\": \"quorum\", ", ""));
    }
}
