package io.vipflip.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's Invoke on loopback, speaking its REST-JSON protocol ({@code POST /2015-03-31/functions/<name>/invocations},
 * {@code X-Amz-Invocation-Type}), so the AWS SDK's Lambda client talks to it unchanged. A function runs in this JVM
 * or is forwarded to a process (an observer in its own network namespace). What the Invoke API reference documents a
 * caller must cope with can be injected per function: throttling (HTTP 429 {@code TooManyRequestsException}), a
 * function error (HTTP 200 with {@code X-Amz-Function-Error: Unhandled} and an error object as payload), a slow
 * function. An unknown function is a 404 {@code ResourceNotFoundException}.
 */
public final class LambdaEndpoint implements AutoCloseable {
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

    /** What the next invocations of a function meet. */
    public enum Fault {
        NONE,
        THROTTLED,
        FUNCTION_ERROR
    }

    /** One invocation as received: the function and the invocation type header. */
    public record Call(String function, String invocationType) {
    }

    private final HttpServer server;
    private final HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, UnaryOperator<byte[]>> functions = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Environments> environments = new ConcurrentHashMap<>();

    /**
     * Lambda's scaling for one function: each execution environment serves one request at a time, a request that
     * finds none idle gets a new one (a cold start), and with reserved concurrency a request beyond that many in
     * flight is throttled (429, Reason ReservedFunctionConcurrentInvocationLimitExceeded). Lambda developer guide,
     * "Understanding Lambda function scaling"; Invoke API reference, TooManyRequestsException.
     */
    private static final class Environments {
        final int reserved;
        final Duration coldStart;
        int inFlight;
        int idle;
        int coldStarts;

        Environments(int reserved, Duration coldStart, int warm) {
            this.reserved = reserved;
            this.coldStart = coldStart;
            this.idle = warm;
        }

        /** Null when throttled; else whether this request waits for a new environment. */
        synchronized Boolean enter() {
            if (reserved > 0 && inFlight >= reserved) {
                return null;
            }
            inFlight++;
            if (idle > 0) {
                idle--;
                return false;
            }
            coldStarts++;
            return true;
        }

        synchronized void leave() {
            inFlight--;
            idle++;
        }

        synchronized int coldStarts() {
            return coldStarts;
        }
    }

    private LambdaEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static LambdaEndpoint start() {
        try {
            return new LambdaEndpoint();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Lambda endpoint", e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A function run in this JVM: payload in, payload out; a RuntimeException is a function error. */
    public void register(String name, UnaryOperator<byte[]> handler) {
        functions.put(name, handler);
    }

    /**
     * A function run by a process listening at {@code invokeUri} (POST the payload, the answer is the payload; a
     * non-2xx answer is a function error). A process that does not answer within {@code timeout} is a function
     * that timed out.
     */
    public void forward(String name, URI invokeUri, Duration timeout) {
        register(name, payload -> {
            try {
                HttpResponse<byte[]> response = forwarder.send(HttpRequest.newBuilder(invokeUri).timeout(timeout)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() / 100 != 2) {
                    throw new IllegalStateException(new String(response.body(), StandardCharsets.UTF_8));
                }
                return response.body();
            } catch (IOException e) {
                throw new IllegalStateException("Task timed out or failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        });
    }

    public void fault(String function, Fault fault) {
        faults.put(function, fault);
    }

    /** Every invocation of {@code function} answers only after {@code delay} (a cold start, a slow observer). */
    public void delay(String function, Duration delay) {
        delays.put(function, delay);
    }

    /**
     * Scales {@code function} as Lambda does: {@code warm} environments are ready, each request beyond the idle ones
     * waits {@code coldStart} for a new one, and with {@code reservedConcurrency} > 0 a request beyond that many in
     * flight is throttled.
     */
    public void scaling(String function, int reservedConcurrency, Duration coldStart, int warm) {
        environments.put(function, new Environments(reservedConcurrency, coldStart, warm));
    }

    /** How many requests of {@code function} started a new execution environment (see {@link #scaling}). */
    public int coldStarts(String function) {
        Environments e = environments.get(function);
        return e == null ? 0 : e.coldStarts();
    }

    /** Clears every fault and delay. */
    public void heal() {
        faults.clear();
        delays.clear();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher invoke = INVOKE.matcher(exchange.getRequestURI().getPath());
            byte[] payload = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod()) || !invoke.matches()) {
                error(exchange, 400, "InvalidRequestContentException", "not an Invoke request");
                return;
            }
            String name = java.net.URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8);
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            calls.add(new Call(name, type == null ? "RequestResponse" : type));
            UnaryOperator<byte[]> function = functions.get(name);
            if (function == null) {
                error(exchange, 404, "ResourceNotFoundException", "Function not found: " + name);
                return;
            }
            Fault fault = faults.getOrDefault(name, Fault.NONE);
            if (fault == Fault.THROTTLED) {
                error(exchange, 429, "TooManyRequestsException", "Rate Exceeded.");
                return;
            }
            Environments scaled = environments.get(name);
            Boolean cold = scaled == null ? Boolean.FALSE : scaled.enter();
            if (cold == null) {
                error(exchange, 429, "TooManyRequestsException", "Rate Exceeded.");
                return;
            }
            try {
                if (cold) {
                    Thread.sleep(scaled.coldStart);
                }
                run(exchange, name, function, fault, payload);
            } finally {
                if (scaled != null) {
                    scaled.leave();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // The caller gave up (its deadline passed): nothing left to answer.
        }
    }

    private void run(HttpExchange exchange, String name, UnaryOperator<byte[]> function, Fault fault, byte[] payload)
            throws IOException, InterruptedException {
        Duration delay = delays.get(name);
        if (delay != null && !delay.isZero()) {
            Thread.sleep(delay);
        }
        if (fault == Fault.FUNCTION_ERROR) {
            functionError(exchange, "Runtime.ExitError", "the function crashed (injected)");
            return;
        }
        byte[] answer;
        try {
            answer = function.apply(payload);
        } catch (RuntimeException failed) {
            functionError(exchange, failed.getClass().getName(), String.valueOf(failed.getMessage()));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        send(exchange, 200, answer);
    }

    /** A function error: still HTTP 200, flagged by X-Amz-Function-Error, with the error object as payload. */
    private static void functionError(HttpExchange exchange, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
        send(exchange, 200, ("{\"errorType\":" + quote(type) + ",\"errorMessage\":" + quote(message) + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        String reason = status == 429 ? ",\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"" : "";
        send(exchange, status, ("{\"Type\":\"User\",\"message\":" + quote(message) + reason + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> quoted.append(c < 0x20 ? ' ' : c);
            }
        }
        return quoted.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
