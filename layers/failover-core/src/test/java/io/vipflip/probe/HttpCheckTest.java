package io.vipflip.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP check against Java servers that answer in the ways a real node can (and cannot). */
class HttpCheckTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final List<HttpCheck.StatusRange> OK_2XX_3XX = List.of(new HttpCheck.StatusRange(200, 399));
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final TcpProber prober = new TcpProber();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void passes_whenTheStatusIsAccepted_andSendsGetPathWithAHost() throws Exception {
        int port = server(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        PortResult result = check(port, "/healthz", OK_2XX_3XX);

        assertTrue(result.open(), result.toString());
        String request = requests.getFirst();
        assertTrue(request.startsWith("GET /healthz HTTP/1.1\r\n"), request);
        assertTrue(request.contains("\r\nHost: 127.0.0.1\r\n"), request);
    }

    @Test
    void fails_whenTheServerAcceptsButNeverAnswers_whileAConnectProbeOfTheSamePortPasses() throws Exception {
        // A frozen process: the kernel completes the handshake, nothing ever answers.
        int port = server(out -> sleepQuietly(Duration.ofSeconds(5)));

        PortResult http = check(port, "/", OK_2XX_3XX);
        ProbeRound tcpOnly = prober.probe(List.of(new ProbeTarget("a", "127.0.0.1", List.of(port))), TIMEOUT);

        assertFalse(http.open());
        assertEquals("no answer within 300ms (waiting for the HTTP status)", http.failure().orElseThrow());
        assertTrue(tcpOnly.passed("a"), "a connect probe alone cannot tell: " + tcpOnly);
    }

    @Test
    void fails_whenTheStatusIsNotAccepted_namingIt() throws Exception {
        int port = server(out -> write(out, "HTTP/1.1 503 Service Unavailable\r\n\r\n"));

        PortResult result = check(port, "/ready", OK_2XX_3XX);

        assertFalse(result.open());
        assertEquals("GET /ready answered 503", result.failure().orElseThrow());
    }

    @Test
    void acceptsEveryStatusOfTheConfiguredRanges_andOnlyThose() throws Exception {
        List<HttpCheck.StatusRange> only204And300s = List.of(new HttpCheck.StatusRange(204, 204),
                new HttpCheck.StatusRange(300, 302));
        for (int status : List.of(204, 300, 302)) {
            int port = server(out -> write(out, "HTTP/1.0 " + status + " X\r\n\r\n"));
            assertTrue(check(port, "/", only204And300s).open(), "status " + status);
        }
        for (int status : List.of(200, 203, 205, 303)) {
            int port = server(out -> write(out, "HTTP/1.0 " + status + " X\r\n\r\n"));
            assertFalse(check(port, "/", only204And300s).open(), "status " + status);
        }
    }

    @Test
    void readsAStatusLineThatArrivesInPieces() throws Exception {
        int port = server(out -> {
            write(out, "HTTP/1.1 2");
            sleepQuietly(Duration.ofMillis(30));
            write(out, "00 OK\r\n\r\n");
        });

        assertTrue(check(port, "/", OK_2XX_3XX).open());
    }

    @Test
    void fails_whenTheServerClosesWithoutAStatus_orAnswersSomethingElse() throws Exception {
        int closes = server(out -> { });
        int garbage = server(out -> write(out, "SSH-2.0-OpenSSH_9.2\r\n"));

        assertEquals("connection closed before an HTTP status", check(closes, "/", OK_2XX_3XX).failure().orElseThrow());
        assertEquals("not an HTTP status line", check(garbage, "/", OK_2XX_3XX).failure().orElseThrow());
    }

    @Test
    void otherPortsOfTheNodeAreOnlyConnected() throws Exception {
        int silent = server(out -> sleepQuietly(Duration.ofSeconds(5)));
        int web = server(out -> write(out, "HTTP/1.1 200 OK\r\n\r\n"));
        HttpCheck check = new HttpCheck("/", web, OK_2XX_3XX);

        ProbeRound round = prober.probe(List.of(new ProbeTarget("a", "127.0.0.1", List.of(silent, web),
                Optional.of(check))), TIMEOUT);

        assertTrue(round.passed("a"), "the silent port only has to accept: " + round);
    }

    private PortResult check(int port, String path, List<HttpCheck.StatusRange> accepted) {
        ProbeRound round = prober.probe(List.of(new ProbeTarget("a", "127.0.0.1", List.of(port),
                Optional.of(new HttpCheck(path, port, accepted)))), TIMEOUT);
        return round.nodes().get("a").ports().getFirst();
    }

    /** A loopback server that reads the request head, records it, then lets {@code answer} write (or not). */
    private int server(Consumer<OutputStream> answer) throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        open.add(socket);
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    open.add(client);
                    Thread.ofVirtual().start(() -> serve(client, answer));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return socket.getLocalPort();
    }

    private void serve(Socket client, Consumer<OutputStream> answer) {
        try (client) {
            InputStream in = client.getInputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
                head.append((char) b);
            }
            requests.add(head.toString());
            answer.accept(client.getOutputStream());
        } catch (IOException ignored) {
            // The prober closed first (timeout): nothing to serve.
        }
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // The prober gave up; the test asserts what it recorded.
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
