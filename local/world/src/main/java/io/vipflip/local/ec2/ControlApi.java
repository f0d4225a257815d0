package io.vipflip.local.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The endpoint's control interface, JSON over HTTP under {@code /_vipflip/}:
 * <pre>
 * GET    /_vipflip/calls                      the call log
 * DELETE /_vipflip/calls                      clear it
 * POST   /_vipflip/instances/{id}/stop|start  change an instance's state (its routes become blackholes)
 * POST   /_vipflip/faults                     {"latencyMillis", "throttleNext", "throttleFraction", "seed",
 *                                              "serverErrorsNext", "failWritesTo", "failWritesTimes"}
 * DELETE /_vipflip/faults                     clear every fault
 * GET    /_vipflip/routes?destination=CIDR    each table's target for a destination
 * </pre>
 */
final class ControlApi {
    static final String PREFIX = "/_vipflip/";
    private final ObjectMapper json = new ObjectMapper();
    private final World world;
    private final Faults faults;
    private final CallLog calls;

    ControlApi(World world, Faults faults, CallLog calls) {
        this.world = world;
        this.faults = faults;
        this.calls = calls;
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            Object answer;
            int status = 200;
            try {
                answer = route(method, path, exchange);
            } catch (Ec2Error | IllegalArgumentException e) {
                status = 400;
                answer = json.createObjectNode().put("error", e.getMessage());
            }
            byte[] bytes = json.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Object route(String method, String path, HttpExchange exchange) throws IOException {
        String[] parts = path.split("/");
        if (path.equals("calls") && method.equals("GET")) {
            ArrayNode list = json.createArrayNode();
            calls.all().forEach(c -> list.addObject().put("at", c.at().toString()).put("action", c.action())
                    .put("table", c.tableId()).put("status", c.status()).put("error", c.error()));
            return list;
        }
        if (path.equals("calls") && method.equals("DELETE")) {
            calls.clear();
            return ok();
        }
        if (parts.length == 3 && parts[0].equals("instances") && method.equals("POST")) {
            String state = switch (parts[2]) {
                case "stop" -> "stopped";
                case "start" -> "running";
                default -> throw new IllegalArgumentException("unknown instance action " + parts[2]);
            };
            world.setInstanceState(parts[1], state);
            return ok();
        }
        if (path.equals("faults") && method.equals("DELETE")) {
            faults.clear();
            return ok();
        }
        if (path.equals("faults") && method.equals("POST")) {
            JsonNode body = json.readTree(exchange.getRequestBody());
            if (body.has("latencyMillis")) {
                faults.latency(Duration.ofMillis(body.get("latencyMillis").asLong()));
            }
            if (body.has("throttleNext")) {
                faults.throttleNext(body.get("throttleNext").asInt());
            }
            if (body.has("throttleFraction")) {
                faults.throttleFraction(body.get("throttleFraction").asDouble(), body.path("seed").asLong(1));
            }
            if (body.has("serverErrorsNext")) {
                faults.serverErrorsNext(body.get("serverErrorsNext").asInt());
            }
            if (body.has("failWritesTo")) {
                faults.failWritesTo(body.get("failWritesTo").asText(), body.path("failWritesTimes").asInt(-1));
            }
            return ok();
        }
        if (path.equals("routes") && method.equals("GET")) {
            String query = exchange.getRequestURI().getQuery();
            String destination = query == null ? "" : query.replaceFirst("^destination=", "");
            ObjectNode routes = json.createObjectNode();
            world.routeTableIds().forEach(id -> routes.put(id, world.target(id, destination)));
            return routes;
        }
        throw new IllegalArgumentException("no control action " + method + " " + PREFIX + path);
    }

    private ObjectNode ok() {
        return json.createObjectNode().put("ok", true);
    }
}
