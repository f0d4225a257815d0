package io.vipflip.local.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint's control interface over HTTP, as `./demo --keep-running` users and the benchmark reach it. */
class ControlApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Ec2Endpoint endpoint;
    private SdkDriver ec2;

    @BeforeEach
    void start() {
        endpoint = Ec2Endpoint.start(WorldFile.demo());
        ec2 = new SdkDriver(endpoint.endpoint());
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.endpoint() + "/_vipflip/" + path));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void stopsAndStartsInstances_whoseRoutesTurnToBlackholesAndBack() throws Exception {
        call("POST", "instances/i-0aaaaaaaaaaaaaaa1/stop", null);
        assertEquals("blackhole", ec2.describeRouteTables(List.of(), Map.of(), null).getFirst()
                .routes().get("192.168.100.10/32").state());

        call("POST", "instances/i-0aaaaaaaaaaaaaaa1/start", null);
        assertEquals("active", ec2.describeRouteTables(List.of(), Map.of(), null).getFirst()
                .routes().get("192.168.100.10/32").state());
    }

    @Test
    void injectsAndClearsFaults_andServesTheCallLog() throws Exception {
        call("POST", "faults", "{\"failWritesTo\": \"rtb-0aaaaaaaaaaaaaaa1\"}");
        Ec2Driver.Ec2Failure failed = org.junit.jupiter.api.Assertions.assertThrows(Ec2Driver.Ec2Failure.class,
                () -> ec2.replaceRoute("rtb-0aaaaaaaaaaaaaaa1", "192.168.100.10/32", "eni-0bbbbbbbbbbbbbbb2"));
        assertEquals("InternalError", failed.code);
        call("DELETE", "faults", null);
        ec2.replaceRoute("rtb-0aaaaaaaaaaaaaaa1", "192.168.100.10/32", "eni-0bbbbbbbbbbbbbbb2");

        JsonNode calls = call("GET", "calls", null);
        assertTrue(calls.size() >= 2, calls.toString());
        JsonNode last = calls.get(calls.size() - 1);
        assertEquals("ReplaceRoute", last.path("action").asText());
        assertEquals("rtb-0aaaaaaaaaaaaaaa1", last.path("table").asText());
        assertEquals(200, last.path("status").asInt());
        assertEquals("eni-0bbbbbbbbbbbbbbb2", call("GET", "routes?destination=192.168.100.10/32", null)
                .path("rtb-0aaaaaaaaaaaaaaa1").asText());

        call("DELETE", "calls", null);
        assertEquals(0, call("GET", "calls", null).size());
    }

    @Test
    void anUnknownControlActionIsA400WithItsReason() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(endpoint.endpoint() + "/_vipflip/nothing-here")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("no control action"), response.body());
    }
}
