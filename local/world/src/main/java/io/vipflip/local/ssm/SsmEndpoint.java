package io.vipflip.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parameter Store on loopback, speaking SSM's protocol (AWS JSON 1.1: {@code POST /}, {@code X-Amz-Target:
 * AmazonSSM.<Operation>}, errors as {@code {"__type": …, "message": …}} with HTTP 400), so the AWS SDK and the AWS
 * CLI talk to it unchanged: GetParameter, GetParametersByPath (pages of at most MaxResults ≤ 10, NextToken),
 * PutParameter and DeleteParameter. With {@link #shortPages} on, pages are as short as the API allows — fewer items
 * than asked, sometimes none, still with a NextToken — as the API reference says real pages can be.
 */
public final class SsmEndpoint implements AutoCloseable {
    static final String TARGET_PREFIX = "AmazonSSM.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ParameterStore store;
    private final HttpServer server;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile boolean shortPages;

    private SsmEndpoint(ParameterStore store, int port) throws IOException {
        this.store = store;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static SsmEndpoint start(String region, String account) {
        return start(new ParameterStore(region, account, Clock.systemUTC()), 0);
    }

    public static SsmEndpoint start(ParameterStore store, int port) {
        try {
            return new SsmEndpoint(store, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local SSM endpoint", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public ParameterStore store() {
        return store;
    }

    /** Pages as short as the API allows (see the class comment); off by default. */
    public void shortPages(boolean on) {
        shortPages = on;
    }

    /** The next {@code count} calls fail with ThrottlingException (HTTP 400), as SSM throttles. */
    public void throttleNext(int count) {
        throttleNext.set(count);
    }

    /** How many calls of {@code operation} were made since the last {@link #clearCalls}. */
    public int count(String operation) {
        return (int) calls.stream().filter(operation::equals).count();
    }

    public void clearCalls() {
        calls.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
            String operation = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
            calls.add(operation);
            int status = 200;
            JsonNode answer;
            try {
                if (!exchange.getRequestMethod().equals("POST")) {
                    throw SsmError.client("UnknownOperationException", "");
                }
                if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw SsmError.client("ThrottlingException", "Rate exceeded");
                }
                byte[] body = exchange.getRequestBody().readAllBytes();
                JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
                if (!request.isObject()) {
                    throw SsmError.client("SerializationException", "Start of structure or map found where not expected.");
                }
                answer = dispatch(operation, request);
            } catch (SsmError e) {
                status = e.status();
                ObjectNode error = JSON.createObjectNode().put("__type", e.type());
                if (!e.getMessage().isEmpty()) {
                    error.put("message", e.getMessage());
                }
                answer = error;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                status = 400;
                answer = JSON.createObjectNode().put("__type", "SerializationException").put("message", "malformed JSON");
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private JsonNode dispatch(String operation, JsonNode request) {
        return switch (operation) {
            case "GetParameter" -> getParameter(request);
            case "GetParametersByPath" -> getParametersByPath(request);
            case "PutParameter" -> putParameter(request);
            case "DeleteParameter" -> {
                store.delete(required(request, "Name", "name"));
                yield JSON.createObjectNode();
            }
            default -> throw SsmError.client("UnknownOperationException", "");
        };
    }

    private JsonNode getParameter(JsonNode request) {
        String name = required(request, "Name", "name");
        ParameterStore.Stored p = store.get(name).orElseThrow(() -> SsmError.client("ParameterNotFound", ""));
        ObjectNode answer = JSON.createObjectNode();
        answer.set("Parameter", parameter(p, request.path("WithDecryption").asBoolean(false)));
        return answer;
    }

    private JsonNode getParametersByPath(JsonNode request) {
        String path = required(request, "Path", "path");
        if (!path.startsWith("/")) {
            throw SsmError.client("ValidationException", "The parameter doesn't meet the parameter name requirements. "
                    + "The parameter name must begin with a forward slash \"/\".");
        }
        int maxResults = 10;
        if (request.has("MaxResults")) {
            maxResults = request.get("MaxResults").asInt();
            if (maxResults > 10) {
                throw SsmError.validation(String.valueOf(maxResults), "maxResults", "Member must have value less than or equal to 10");
            }
            if (maxResults < 1) {
                throw SsmError.validation(String.valueOf(maxResults), "maxResults", "Member must have value greater than or equal to 1");
            }
        }
        boolean recursive = request.path("Recursive").asBoolean(false);
        boolean decrypt = request.path("WithDecryption").asBoolean(false);
        String prefix = path.endsWith("/") ? path : path + "/";
        List<ParameterStore.Stored> matching = new ArrayList<>();
        for (ParameterStore.Stored p : store.all()) {
            if (p.name().startsWith(prefix) && (recursive || p.name().indexOf('/', prefix.length()) < 0)) {
                matching.add(p);
            }
        }
        int from = request.hasNonNull("NextToken") ? offset(request.get("NextToken").asText(), path) : 0;
        int size = maxResults;
        if (shortPages) {
            int page = pages.incrementAndGet();
            size = page % 4 == 0 ? 0 : Math.min(maxResults, 1 + page % 3);
        }
        int to = Math.min(matching.size(), from + size);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("Parameters");
        for (ParameterStore.Stored p : matching.subList(Math.min(from, matching.size()), to)) {
            list.add(parameter(p, decrypt));
        }
        if (to < matching.size()) {
            answer.put("NextToken", token(to, path));
        }
        return answer;
    }

    private JsonNode putParameter(JsonNode request) {
        String name = required(request, "Name", "name");
        String value = request.hasNonNull("Value") ? request.get("Value").asText() : null;
        if (value == null) {
            throw SsmError.validation("null", "value", "Member must not be null");
        }
        ParameterStore.Stored stored = store.put(name, value, text(request, "Type"),
                request.path("Overwrite").asBoolean(false), text(request, "Tier"));
        return JSON.createObjectNode().put("Tier", stored.tier()).put("Version", stored.version());
    }

    private ObjectNode parameter(ParameterStore.Stored p, boolean decrypt) {
        String value = p.type().equals("SecureString") && !decrypt
                ? Base64.getEncoder().encodeToString(("kms-local:" + p.value()).getBytes(StandardCharsets.UTF_8))
                : p.value();
        return JSON.createObjectNode().put("Name", p.name()).put("Type", p.type()).put("Value", value)
                .put("Version", p.version())
                .put("LastModifiedDate", p.lastModified().toEpochMilli() / 1000.0)
                .put("ARN", store.arn(p.name())).put("DataType", "text");
    }

    /** Opaque and new on every page (botocore stops a pagination that receives the same token twice). */
    private static String token(int offset, String path) {
        return Base64.getEncoder().encodeToString((offset + "|" + path + "|" + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token, String path) {
        try {
            String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = text.split("\\|", -1);
            if (parts.length == 3 && parts[1].equals(path)) {
                return Integer.parseInt(parts[0]);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error
        }
        throw SsmError.client("InvalidNextToken", "The specified token isn't valid.");
    }

    private static String required(JsonNode request, String field, String member) {
        if (!request.hasNonNull(field)) {
            throw SsmError.validation("null", member, "Member must not be null");
        }
        return request.get(field).asText();
    }

    private static Optional<String> text(JsonNode request, String field) {
        return request.hasNonNull(field) ? Optional.of(request.get(field).asText()) : Optional.empty();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
