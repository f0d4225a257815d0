package io.vipflip.vantage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.probe.HttpCheck;
import io.vipflip.probe.PortResult;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.probe.TcpProber;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The observer function's core: the request it accepts, what it answers, and the answer the deciding run reads. */
class ObserverTest {

    @Test
    void answersWhatItSees_fromWhereItStands() throws IOException {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int closed;
            try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
                closed = gone.getLocalPort();
            }
            byte[] request = ObserverProtocol.request(new ObserverRequest(List.of(
                    new ProbeTarget("a", "127.0.0.1", List.of(open.getLocalPort())),
                    new ProbeTarget("b", "127.0.0.1", List.of(open.getLocalPort(), closed))), Duration.ofMillis(500)));

            VantageView view = ObserverProtocol.parseAnswer(new Observer(new TcpProber(), "az-b").answer(request));

            assertEquals("az-b", view.vantage());
            assertEquals(java.util.Optional.of(true), view.sees("a"));
            assertEquals(java.util.Optional.of(false), view.sees("b"));
            assertEquals(List.of(PortState.DOWN), view.nodes().get("b").ports().stream()
                    .filter(p -> p.port() == closed).map(PortSeen::state).toList());
            assertEquals("DOWN (" + closed + " DOWN)", view.describe("b"));
            assertEquals(java.util.Optional.empty(), view.sees("c"));
        }
    }

    @Test
    void aFailureThatLastedTheWholeTimeout_isATimeoutNotARefusal() {
        Duration timeout = Duration.ofMillis(300);
        assertEquals(PortState.TIMEOUT, PortState.of(PortResult.failed(80, Duration.ofMillis(300), "no answer"), timeout));
        assertEquals(PortState.DOWN, PortState.of(PortResult.failed(80, Duration.ofMillis(299), "refused"), timeout));
        assertEquals(PortState.UP, PortState.of(PortResult.open(80, Duration.ofMillis(400)), timeout));
    }

    @Test
    void requestRoundTrips_withItsHttpCheck() {
        HttpCheck http = new HttpCheck("/health", 80, List.of(new HttpCheck.StatusRange(200, 299),
                new HttpCheck.StatusRange(302, 302)));
        ObserverRequest request = new ObserverRequest(List.of(new ProbeTarget("a", "10.0.1.5", List.of(80, 443),
                Optional.of(http))), Duration.ofMillis(250));
        assertEquals(request, ObserverProtocol.parseRequest(ObserverProtocol.request(request)));
    }

    @Test
    void malformedRequests_areRefusedNamingTheField_beforeAnyProbe() {
        Observer observer = new Observer((targets, timeout) -> {
            throw new AssertionError("probed a malformed request");
        }, "az-a");
        assertField(observer, "{}", "timeoutMillis");
        assertField(observer, "{\"timeoutMillis\":300}", "nodes");
        assertField(observer, "{\"timeoutMillis\":300,\"nodes\":[]}", "nodes");
        assertField(observer, "{\"timeoutMillis\":300,\"nodes\":[{\"node\":\"a\",\"address\":\"example.com\","
                + "\"ports\":[80]}]}", "nodes[0].address");
        assertField(observer, "{\"timeoutMillis\":300,\"nodes\":[{\"node\":\"a\",\"address\":\"10.0.0.1\","
                + "\"ports\":[0]}]}", "nodes[0].ports[0]");
        assertField(observer, "{\"timeoutMillis\":300,\"nodes\":[{\"node\":\"a\",\"address\":\"10.0.0.1\","
                + "\"ports\":[80],\"http\":{\"path\":\"/\",\"port\":81,\"accept\":[[200,399]]}}]}", "nodes[0].http.port");
        assertField(observer, "{\"timeoutMillis\":300,\"nodes\":[{\"node\":\"a\",\"address\":\"10.0.0.1\","
                + "\"ports\":[80],\"http\":{\"path\":\"/\",\"port\":80,\"accept\":[[399,200]]}}]}",
                "nodes[0].http.accept[0]");
        assertField(observer, "{\"timeoutMillis\":60000,\"nodes\":[]}", "timeoutMillis");
        assertField(observer, "not json", "request");
    }

    private static void assertField(Observer observer, String json, String field) {
        ObserverRequestException e = assertThrows(ObserverRequestException.class,
                () -> observer.answer(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void anAnswerThatIsNotOne_isRejected() {
        assertThrows(ObserverRequestException.class, () -> ObserverProtocol.parseAnswer(
                "{\"vantage\":\"az\",\"nodes\":[{\"node\":\"a\",\"ports\":[{\"port\":80,\"state\":\"MAYBE\"}]}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThrows(ObserverRequestException.class, () -> ObserverProtocol.parseAnswer(
                "{\"errorMessage\":\"boom\"}".getBytes(StandardCharsets.UTF_8)));
        VantageView ok = ObserverProtocol.parseAnswer(ObserverProtocol.answer(new VantageView("az",
                java.util.Map.of("a", new NodeSeen("a", List.of(new PortSeen(80, PortState.TIMEOUT, 300, "x")))))));
        assertFalse(ok.sees("a").orElseThrow());
        assertTrue(ok.describe("a").contains("TIMEOUT"));
    }
}
