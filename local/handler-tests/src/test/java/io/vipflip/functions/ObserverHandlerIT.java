package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipflip.local.harness.FakeContext;
import io.vipflip.probe.TcpProber;
import io.vipflip.vantage.Observer;
import io.vipflip.vantage.ObserverRequestException;
import io.vipflip.vantage.ObserverProtocol;
import io.vipflip.vantage.VantageView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The observer function's handler: the request in, what its AZ sees out; nothing else. */
class ObserverHandlerIT {
    private final ObserverHandler handler = new ObserverHandler(new Observer(new TcpProber(), "eu-west-1b"));

    private byte[] invoke(String request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out,
                new FakeContext("observer", Duration.ofSeconds(3), Clock.systemUTC()));
        return out.toByteArray();
    }

    @Test
    void answersWhatItsAzSeesOfEachNode() throws IOException {
        try (ServerSocket node = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            VantageView view = ObserverProtocol.parseAnswer(invoke("{\"timeoutMillis\":500,\"nodes\":[{\"node\":\"a\","
                    + "\"address\":\"127.0.0.1\",\"ports\":[" + node.getLocalPort() + "]}]}"));
            assertEquals("eu-west-1b", view.vantage());
            assertEquals(Optional.of(true), view.sees("a"));
        }
    }

    @Test
    void theKeepWarmPing_isAnsweredWithoutAProbe() throws IOException {
        ObserverHandler idle = new ObserverHandler(new Observer((targets, timeout) -> {
            throw new AssertionError("probed on a warm-up ping");
        }, "eu-west-1c"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        idle.handleRequest(new ByteArrayInputStream("{\"warm\":true}".getBytes(StandardCharsets.UTF_8)), out,
                new FakeContext("observer", Duration.ofSeconds(3), Clock.systemUTC()));
        VantageView view = ObserverProtocol.parseAnswer(out.toByteArray());
        assertEquals("eu-west-1c", view.vantage());
        assertEquals(0, view.nodes().size());
        assertThrows(ObserverRequestException.class, () -> invoke("{\"warm\":false}"));
    }

    @Test
    void aMalformedOrOversizedRequestFails_namingTheField() {
        ObserverRequestException bad = assertThrows(ObserverRequestException.class,
                () -> invoke("{\"timeoutMillis\":500,\"nodes\":[{\"node\":\"a\",\"address\":\"10.0.0.1\"}]}"));
        assertEquals("nodes[0].ports", bad.field());
        ObserverRequestException big = assertThrows(ObserverRequestException.class,
                () -> invoke("{\"pad\":\"" + "x".repeat(70_000) + "\"}"));
        assertEquals("request", big.field());
    }
}
