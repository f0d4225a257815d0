package io.vipflip.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vipflip.local.nodes.HaproxyNode;
import io.vipflip.testing.Listeners;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP check against a real haproxy: a status it serves, a status it refuses with, and the frozen process
 * (SIGSTOP), which a connect probe cannot see because the kernel still completes the handshake.
 */
class HttpCheckHaproxyIT {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final List<HttpCheck.StatusRange> OK = List.of(new HttpCheck.StatusRange(200, 399));
    private final TcpProber prober = new TcpProber();
    private Process haproxy;
    private int port;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        Optional<String> binary = HaproxyNode.find();
        if (binary.isEmpty() && "true".equals(System.getenv("VIPFLIP_CI"))) {
            throw new AssertionError("haproxy is required in CI");
        }
        assumeTrue(binary.isPresent(), "haproxy is not installed: this test runs only against a real haproxy");
        port = Listeners.unusedPort();
        Path config = dir.resolve("node.cfg");
        Files.writeString(config, """
                global
                    maxconn 64
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend node
                    bind 127.0.0.1:%d
                    http-request return status 503 if { path /maintenance }
                    http-request return status 200 content-type text/plain string "ok\\n"
                """.formatted(port));
        haproxy = new ProcessBuilder(binary.get(), "-db", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        awaitListening();
    }

    @AfterEach
    void stop() throws Exception {
        if (haproxy != null) {
            signal("CONT");
            haproxy.destroyForcibly().waitFor();
        }
    }

    @Test
    void passes_whenHaproxyServesTheCheckPath() {
        assertTrue(check("/healthz").open(), check("/healthz").toString());
    }

    @Test
    void fails_whenHaproxyAnswersARefusedStatus() {
        assertEquals("GET /maintenance answered 503", check("/maintenance").failure().orElseThrow());
    }

    @Test
    void aFrozenHaproxy_passesAConnectProbe_butFailsTheHttpCheck_untilItIsThawed() throws Exception {
        signal("STOP");

        ProbeRound connectOnly = prober.probe(List.of(new ProbeTarget("a", "127.0.0.1", List.of(port))), TIMEOUT);
        PortResult http = check("/healthz");

        assertTrue(connectOnly.passed("a"), "the kernel completes the handshake of a stopped process: " + connectOnly);
        assertFalse(http.open());
        assertTrue(http.failure().orElseThrow().startsWith("no answer within 300ms"), http.toString());

        signal("CONT");
        assertTrue(check("/healthz").open(), "thawed, it answers again");
    }

    private PortResult check(String path) {
        ProbeRound round = prober.probe(List.of(new ProbeTarget("a", "127.0.0.1", List.of(port),
                Optional.of(new HttpCheck(path, port, OK)))), TIMEOUT);
        return round.nodes().get("a").ports().getFirst();
    }

    private void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(haproxy.pid())).inheritIO().start().waitFor();
    }

    private void awaitListening() throws InterruptedException {
        for (int attempt = 0; attempt < 200 && haproxy.isAlive(); attempt++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        throw new IllegalStateException("haproxy did not listen on 127.0.0.1:" + port);
    }
}
