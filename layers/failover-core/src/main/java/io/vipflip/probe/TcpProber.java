package io.vipflip.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TCP connect probes (and HTTP checks) with non-blocking NIO: every connect of a round starts at once on one
 * selector, so a refused port fails immediately and an unanswered one fails when the shared timeout ends. On an
 * HTTP check's port the request is sent once connected, and the status line must arrive within the same timeout.
 */
public final class TcpProber implements Prober {
    /** Monotonic time and the selector wait: injectable so tests drive time instead of waiting it out. */
    interface Waiting {
        long nanoTime();

        int select(Selector selector, long millis) throws IOException;
    }

    private static final Waiting REAL_TIME = new Waiting() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public int select(Selector selector, long millis) throws IOException {
            return selector.select(millis);
        }
    };

    private final Waiting waiting;

    public TcpProber() {
        this(REAL_TIME);
    }

    TcpProber(Waiting waiting) {
        this.waiting = waiting;
    }
    /** Enough for any status line; a longer first line is not HTTP. */
    private static final int MAX_STATUS_LINE = 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})(?: .*)?");

    /** One port's check in flight: its connect, then (for an HTTP check) the request and the status line. */
    private static final class Attempt {
        final String node;
        final int port;
        final SocketChannel channel;
        final long startedNanos;
        final Optional<HttpCheck> http;
        final ByteBuffer request;
        final ByteBuffer response = ByteBuffer.allocate(MAX_STATUS_LINE);
        String stage = "connect";

        Attempt(ProbeTarget target, int port, SocketChannel channel, long startedNanos) {
            this.node = target.node();
            this.port = port;
            this.channel = channel;
            this.startedNanos = startedNanos;
            this.http = target.httpOn(port);
            this.request = http.map(h -> ByteBuffer.wrap(h.request(target.address()).getBytes(StandardCharsets.US_ASCII)))
                    .orElse(ByteBuffer.allocate(0));
        }
    }

    @Override
    public ProbeRound probe(List<ProbeTarget> targets, Duration timeout) {
        Map<String, List<PortResult>> results = new LinkedHashMap<>();
        targets.forEach(t -> results.put(t.node(), new ArrayList<>()));
        try (Selector selector = Selector.open()) {
            int unanswered = 0;
            for (ProbeTarget target : targets) {
                for (int port : target.ports()) {
                    unanswered += start(target, port, selector, results) ? 1 : 0;
                }
            }
            long deadline = waiting.nanoTime() + timeout.toNanos();
            while (unanswered > 0 && waiting.nanoTime() < deadline) {
                waiting.select(selector, Math.max(1, (deadline - waiting.nanoTime()) / 1_000_000));
                unanswered -= stepReady(selector, results);
            }
            // This thread may get no CPU until after the deadline (a starved container): one last look without
            // waiting, so an answer the kernel already holds is not reported as the node's silence.
            while (unanswered > 0 && selector.selectNow() > 0) {
                unanswered -= stepReady(selector, results);
            }
            for (SelectionKey key : selector.keys()) {
                if (!key.isValid()) {
                    continue; // answered: cancelled when it finished
                }
                Attempt attempt = (Attempt) key.attachment();
                record(results, attempt, PortResult.failed(attempt.port, elapsed(attempt),
                        "no answer within " + timeout.toMillis() + "ms (" + attempt.stage + ")"));
                close(attempt.channel);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for probing", e);
        }
        Map<String, NodeProbe> nodes = new LinkedHashMap<>();
        results.forEach((node, ports) -> nodes.put(node, new NodeProbe(node, ports)));
        return new ProbeRound(nodes);
    }

    /** Advances every ready attempt; returns how many recorded their result. */
    private int stepReady(Selector selector, Map<String, List<PortResult>> results) {
        int finished = 0;
        for (SelectionKey key : selector.selectedKeys()) {
            if (key.isValid() && step((Attempt) key.attachment(), key, results)) {
                finished++;
            }
        }
        selector.selectedKeys().clear();
        return finished;
    }

    /** Starts one port's check; true when it is now pending on the selector, false when it already ended. */
    private boolean start(ProbeTarget target, int port, Selector selector, Map<String, List<PortResult>> results) {
        long started = waiting.nanoTime();
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            Attempt attempt = new Attempt(target, port, channel, started);
            SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT, attempt);
            if (channel.connect(new InetSocketAddress(target.address(), port))) {
                return !connected(attempt, key, results);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            results.get(target.node()).add(PortResult.failed(port, Duration.ofNanos(waiting.nanoTime() - started),
                    describe(e)));
            if (channel != null) {
                close(channel);
            }
            return false;
        }
    }

    /** Advances an attempt on a ready key; true when its result is recorded. */
    private boolean step(Attempt attempt, SelectionKey key, Map<String, List<PortResult>> results) {
        try {
            if (key.isConnectable()) {
                if (!attempt.channel.finishConnect()) {
                    return finish(attempt, key, results, PortResult.failed(attempt.port, elapsed(attempt),
                            "connect not finished"));
                }
                return connected(attempt, key, results);
            }
            if (key.isWritable()) {
                attempt.channel.write(attempt.request);
                if (!attempt.request.hasRemaining()) {
                    attempt.stage = "waiting for the HTTP status";
                    key.interestOps(SelectionKey.OP_READ);
                }
                return false;
            }
            if (key.isReadable()) {
                return read(attempt, key, results);
            }
            return false;
        } catch (IOException e) {
            return finish(attempt, key, results, PortResult.failed(attempt.port, elapsed(attempt), describe(e)));
        }
    }

    private boolean connected(Attempt attempt, SelectionKey key, Map<String, List<PortResult>> results) {
        if (attempt.http.isEmpty()) {
            return finish(attempt, key, results, PortResult.open(attempt.port, elapsed(attempt)));
        }
        attempt.stage = "sending the HTTP check";
        key.interestOps(SelectionKey.OP_WRITE);
        return false;
    }

    private boolean read(Attempt attempt, SelectionKey key, Map<String, List<PortResult>> results)
            throws IOException {
        int read = attempt.channel.read(attempt.response);
        String received = new String(attempt.response.array(), 0, attempt.response.position(),
                StandardCharsets.ISO_8859_1);
        int end = received.indexOf("\r\n");
        if (end < 0) {
            if (read < 0) {
                return finish(attempt, key, results, PortResult.failed(attempt.port, elapsed(attempt),
                        "connection closed before an HTTP status"));
            }
            if (!attempt.response.hasRemaining()) {
                return finish(attempt, key, results, PortResult.failed(attempt.port, elapsed(attempt),
                        "no HTTP status line in the first " + MAX_STATUS_LINE + " bytes"));
            }
            return false;
        }
        Matcher status = STATUS_LINE.matcher(received.substring(0, end));
        HttpCheck check = attempt.http.orElseThrow();
        if (!status.matches()) {
            return finish(attempt, key, results, PortResult.failed(attempt.port, elapsed(attempt),
                    "not an HTTP status line"));
        }
        int code = Integer.parseInt(status.group(1));
        return finish(attempt, key, results, check.accepts(code)
                ? PortResult.open(attempt.port, elapsed(attempt))
                : PortResult.failed(attempt.port, elapsed(attempt), "GET " + check.path() + " answered " + code));
    }

    private static boolean finish(Attempt attempt, SelectionKey key, Map<String, List<PortResult>> results,
                                  PortResult result) {
        record(results, attempt, result);
        key.cancel();
        close(attempt.channel);
        return true;
    }

    private static void record(Map<String, List<PortResult>> results, Attempt attempt, PortResult result) {
        results.get(attempt.node).add(result);
    }

    private Duration elapsed(Attempt attempt) {
        return Duration.ofNanos(waiting.nanoTime() - attempt.startedNanos);
    }

    private static String describe(Exception e) {
        if (e instanceof ConnectException) {
            return "refused";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a probe socket that failed to connect has nothing left to report.
        }
    }
}
