package io.vipflip.vantage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.config.Formats;
import io.vipflip.probe.HttpCheck;
import io.vipflip.probe.ProbeTarget;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The observer's JSON, both ways. Request: {@code {"timeoutMillis":300,"nodes":[{"node":"a","address":"10.0.1.5",
 * "ports":[80],"http":{"path":"/health","port":80,"accept":[[200,399]]}}]}}. Answer: {@code {"vantage":"eu-west-1b",
 * "nodes":[{"node":"a","ports":[{"port":80,"state":"UP","millis":2,"detail":""}]}]}}.
 */
public final class ObserverProtocol {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ObserverProtocol() {
    }

    public static byte[] request(ObserverRequest request) {
        ObjectNode root = JSON.createObjectNode();
        root.put("timeoutMillis", request.probeTimeout().toMillis());
        ArrayNode nodes = root.putArray("nodes");
        for (ProbeTarget target : request.targets()) {
            ObjectNode node = nodes.addObject().put("node", target.node()).put("address", target.address());
            target.ports().forEach(node.putArray("ports")::add);
            target.http().ifPresent(http -> {
                ObjectNode check = node.putObject("http").put("path", http.path()).put("port", http.port());
                ArrayNode accept = check.putArray("accept");
                http.accepted().forEach(r -> accept.addArray().add(r.from()).add(r.to()));
            });
        }
        return bytes(root);
    }

    /** Parses and validates a request; throws {@link ObserverRequestException} naming the field. */
    public static ObserverRequest parseRequest(byte[] body) {
        JsonNode root = tree(body, "request");
        int timeout = integer(root.get("timeoutMillis"), "timeoutMillis", 1, ObserverRequest.MAX_TIMEOUT_MILLIS);
        JsonNode nodes = root.get("nodes");
        if (nodes == null || !nodes.isArray() || nodes.isEmpty() || nodes.size() > ObserverRequest.MAX_NODES) {
            throw new ObserverRequestException("nodes", "must be an array of 1 to " + ObserverRequest.MAX_NODES
                    + " nodes");
        }
        List<ProbeTarget> targets = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            targets.add(target(nodes.get(i), "nodes[" + i + "]"));
        }
        return new ObserverRequest(targets, Duration.ofMillis(timeout));
    }

    private static ProbeTarget target(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw new ObserverRequestException(at, "must be an object");
        }
        String name = text(node.get("node"), at + ".node");
        if (!Formats.NAME.matcher(name).matches()) {
            throw new ObserverRequestException(at + ".node", "must be a node name (got '" + name + "')");
        }
        String address = text(node.get("address"), at + ".address");
        if (!Formats.isIpv4(address)) {
            throw new ObserverRequestException(at + ".address", "must be an IPv4 address (got '" + address + "')");
        }
        JsonNode ports = node.get("ports");
        if (ports == null || !ports.isArray() || ports.isEmpty() || ports.size() > ObserverRequest.MAX_PORTS) {
            throw new ObserverRequestException(at + ".ports", "must be an array of 1 to " + ObserverRequest.MAX_PORTS
                    + " ports");
        }
        List<Integer> list = new ArrayList<>();
        for (int p = 0; p < ports.size(); p++) {
            list.add(integer(ports.get(p), at + ".ports[" + p + "]", 1, 65_535));
        }
        Optional<HttpCheck> http = node.has("http") ? Optional.of(http(node.get("http"), at + ".http", list))
                : Optional.empty();
        return new ProbeTarget(name, address, list, http);
    }

    private static HttpCheck http(JsonNode node, String at, List<Integer> ports) {
        if (!node.isObject()) {
            throw new ObserverRequestException(at, "must be an object");
        }
        String path = text(node.get("path"), at + ".path");
        if (!path.startsWith("/") || path.length() > 1024 || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ObserverRequestException(at + ".path", "must start with '/' and hold printable characters");
        }
        int port = integer(node.get("port"), at + ".port", 1, 65_535);
        if (!ports.contains(port)) {
            throw new ObserverRequestException(at + ".port", "must be one of the node's ports " + ports);
        }
        JsonNode accept = node.get("accept");
        if (accept == null || !accept.isArray() || accept.isEmpty() || accept.size() > 16) {
            throw new ObserverRequestException(at + ".accept", "must be 1 to 16 [from, to] status ranges");
        }
        List<HttpCheck.StatusRange> ranges = new ArrayList<>();
        for (int r = 0; r < accept.size(); r++) {
            JsonNode range = accept.get(r);
            String where = at + ".accept[" + r + "]";
            if (!range.isArray() || range.size() != 2) {
                throw new ObserverRequestException(where, "must be [from, to]");
            }
            int from = integer(range.get(0), where, 100, 599);
            int to = integer(range.get(1), where, from, 599);
            ranges.add(new HttpCheck.StatusRange(from, to));
        }
        return new HttpCheck(path, port, ranges);
    }

    /** The keep-warm ping ({@code {"warm":true}}): answered with no node, nothing probed. */
    public static boolean isWarmUp(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            return root != null && root.isObject() && root.size() == 1 && root.path("warm").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    public static byte[] answer(VantageView view) {
        ObjectNode root = JSON.createObjectNode().put("vantage", view.vantage());
        ArrayNode nodes = root.putArray("nodes");
        view.nodes().values().stream().sorted(java.util.Comparator.comparing(NodeSeen::node)).forEach(seen -> {
            ArrayNode ports = nodes.addObject().put("node", seen.node()).putArray("ports");
            seen.ports().forEach(p -> ports.addObject().put("port", p.port()).put("state", p.state().name())
                    .put("millis", p.millis()).put("detail", p.detail()));
        });
        return bytes(root);
    }

    /** Parses an observer's answer; throws {@link ObserverRequestException} when it is not one (no vote). */
    public static VantageView parseAnswer(byte[] body) {
        JsonNode root = tree(body, "answer");
        String vantage = text(root.get("vantage"), "vantage");
        JsonNode nodes = root.get("nodes");
        if (nodes == null || !nodes.isArray()) {
            throw new ObserverRequestException("nodes", "must be an array");
        }
        Map<String, NodeSeen> seen = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            String at = "nodes[" + i + "]";
            JsonNode node = nodes.get(i);
            String name = text(node.get("node"), at + ".node");
            JsonNode ports = node.get("ports");
            if (ports == null || !ports.isArray()) {
                throw new ObserverRequestException(at + ".ports", "must be an array");
            }
            List<PortSeen> list = new ArrayList<>();
            for (int p = 0; p < ports.size(); p++) {
                JsonNode port = ports.get(p);
                String where = at + ".ports[" + p + "]";
                PortState state;
                try {
                    state = PortState.valueOf(text(port.get("state"), where + ".state"));
                } catch (IllegalArgumentException e) {
                    throw new ObserverRequestException(where + ".state", "must be UP, DOWN or TIMEOUT");
                }
                list.add(new PortSeen(integer(port.get("port"), where + ".port", 1, 65_535), state,
                        port.path("millis").asLong(0), port.path("detail").asText("")));
            }
            seen.put(name, new NodeSeen(name, list));
        }
        return new VantageView(vantage, seen);
    }

    private static JsonNode tree(byte[] body, String what) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw new ObserverRequestException(what, "must be a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new ObserverRequestException(what, "is not valid JSON");
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new ObserverRequestException(field, "is required (a string)");
        }
        return node.asText();
    }

    private static int integer(JsonNode node, String field, int min, int max) {
        if (node == null || !node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw new ObserverRequestException(field, "must be an integer from " + min + " to " + max);
        }
        return node.asInt();
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
