package io.vipflip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.probe.HttpCheck;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The probe section: adaptive intervals (inter / fastinter / downinter) and the optional HTTP check. */
class ProbeSettingsParsingTest {
    private final ConfigParser parser = new ConfigParser();

    private static String withProbe(String probe) {
        return """
                {"groups": [{"name": "web", "vips": ["192.168.100.10/32"],
                  "nodes": [{"name": "a", "instanceId": "i-01234567"}, {"name": "b", "instanceId": "i-89abcdef"}],
                  "routeTables": {"ids": ["rtb-01234567"]}%s}]}
                """.formatted(probe == null ? "" : ", \"probe\": " + probe);
    }

    private ProbeSettings parse(String probe) {
        return parser.parse(withProbe(probe)).groups().getFirst().probe();
    }

    @Test
    void defaultsDetectFast_inter500_fastinter200_downinterEqualsInter_noHttpCheck() {
        for (ProbeSettings probe : List.of(parse(null), parse("{}"))) {
            assertEquals(Duration.ofMillis(500), probe.interval());
            assertEquals(Duration.ofMillis(200), probe.fastInterval());
            assertEquals(Duration.ofMillis(500), probe.downInterval());
            assertEquals(Duration.ofMillis(300), probe.timeout());
            assertEquals(3, probe.fall());
            assertEquals(Optional.empty(), probe.http());
        }
    }

    @Test
    void downIntervalFollowsTheIntervalUnlessGiven_asHaproxyDefaultsDowninterToInter() {
        assertEquals(Duration.ofMillis(2000), parse("{\"intervalMillis\": 2000}").downInterval());
        ProbeSettings given = parse("{\"intervalMillis\": 1000, \"fastIntervalMillis\": 100, \"downIntervalMillis\": 5000}");
        assertEquals(Duration.ofMillis(100), given.fastInterval());
        assertEquals(Duration.ofMillis(5000), given.downInterval());
    }

    @Test
    void httpCheck_defaultsToTheFirstPortAndStatuses200To399() {
        ProbeSettings probe = parse("{\"ports\": [8080, 443], \"http\": {\"path\": \"/healthz\"}}");

        HttpCheck http = probe.http().orElseThrow();
        assertEquals("/healthz", http.path());
        assertEquals(8080, http.port());
        assertTrue(http.accepts(200) && http.accepts(302) && http.accepts(399));
        assertFalse(http.accepts(199) || http.accepts(400) || http.accepts(503));
        assertEquals(Optional.of(http), probe.target("a", "10.0.0.1").http());
    }

    @Test
    void httpCheck_takesAPortOfTheProbeAndAStatusList() {
        HttpCheck http = parse("{\"ports\": [80, 8404], \"http\": {\"path\": \"/ready?deep=1\", \"port\": 8404, "
                + "\"expectStatus\": \"200, 204,300-302\"}}").http().orElseThrow();

        assertEquals(8404, http.port());
        assertEquals(List.of(new HttpCheck.StatusRange(200, 200), new HttpCheck.StatusRange(204, 204),
                new HttpCheck.StatusRange(300, 302)), http.accepted());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "fastinter above inter      | {\"intervalMillis\": 500, \"fastIntervalMillis\": 600}        | groups[0].probe.fastIntervalMillis: must not exceed intervalMillis (500)",
            "fastinter too short        | {\"fastIntervalMillis\": 10}                                  | groups[0].probe.fastIntervalMillis: must be between 50 and 60000",
            "downinter too short        | {\"downIntervalMillis\": 100}                                 | groups[0].probe.downIntervalMillis: must be between 250 and 60000",
            "downinter not a number     | {\"downIntervalMillis\": \"1s\"}                               | groups[0].probe.downIntervalMillis: must be an integer",
            "http without path          | {\"http\": {}}                                                | groups[0].probe.http.path: is required",
            "http path without slash    | {\"http\": {\"path\": \"health\"}}                             | groups[0].probe.http.path: must start with '/'",
            "http path with a space     | {\"http\": {\"path\": \"/a b\"}}                                | groups[0].probe.http.path: must start with '/'",
            "http path with CRLF        | {\"http\": {\"path\": \"/a\\r\\nX: y\"}}                        | groups[0].probe.http.path: must start with '/'",
            "http port not probed       | {\"ports\": [80], \"http\": {\"path\": \"/\", \"port\": 81}}     | groups[0].probe.http.port: must be one of the probe ports [80] (got 81)",
            "http status not a number   | {\"http\": {\"path\": \"/\", \"expectStatus\": \"ok\"}}         | groups[0].probe.http.expectStatus: must be statuses or ranges",
            "http status out of range   | {\"http\": {\"path\": \"/\", \"expectStatus\": \"200-699\"}}    | groups[0].probe.http.expectStatus: must be statuses or ranges",
            "http status range reversed | {\"http\": {\"path\": \"/\", \"expectStatus\": \"399-200\"}}    | groups[0].probe.http.expectStatus: must be statuses or ranges",
            "http status empty item     | {\"http\": {\"path\": \"/\", \"expectStatus\": \"200,\"}}       | groups[0].probe.http.expectStatus: must be statuses or ranges",
            "http unknown key           | {\"http\": {\"path\": \"/\", \"method\": \"HEAD\"}}            | groups[0].probe.http.method: unknown key",
            "http not an object         | {\"http\": \"/health\"}                                        | groups[0].probe.http: must be a JSON object"})
    void rejectsBadProbeSettings_namingTheField(String description, String probe, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> parse(probe));

        assertTrue(error.errors().stream().anyMatch(e -> e.startsWith(expected)),
                () -> description + ": expected '" + expected + "' in " + error.errors());
    }
}
