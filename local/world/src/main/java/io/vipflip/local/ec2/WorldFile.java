package io.vipflip.local.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds a {@link World} from a JSON world file (docs/local-world.md):
 * <pre>
 * {"accountId": "...", "vpcs": [{"id", "cidr"}], "subnets": [{"id", "vpc", "availabilityZone", "cidr"}],
 *  "instances": [{"id", "subnet", "privateIp", "networkInterfaceId", "tags": {}}],
 *  "routeTables": [{"id", "vpc", "subnets": [], "tags": {}, "routes": {"CIDR": "eni-…"}}]}
 * </pre>
 */
public final class WorldFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorldFile() {
    }

    public static World read(Path file) {
        try {
            return parse(JSON.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read world file " + file, e);
        }
    }

    public static World read(InputStream in) {
        try {
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read world file", e);
        }
    }

    /** The world bundled for the demo: two nodes in two AZs, three route tables (see worlds/demo.json). */
    public static World demo() {
        try (InputStream in = WorldFile.class.getResourceAsStream("/worlds/demo.json")) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static World parse(JsonNode root) {
        World world = new World(root.path("accountId").asText("123456789012"));
        root.path("vpcs").forEach(v -> world.vpc(v.get("id").asText(), v.get("cidr").asText()));
        root.path("subnets").forEach(s -> world.subnet(s.get("id").asText(), s.get("vpc").asText(),
                s.get("availabilityZone").asText(), s.get("cidr").asText()));
        root.path("instances").forEach(i -> world.instance(i.get("id").asText(), i.get("subnet").asText(),
                i.get("privateIp").asText(), i.get("networkInterfaceId").asText(), strings(i.path("tags"))));
        root.path("routeTables").forEach(t -> {
            List<String> subnets = new ArrayList<>();
            t.path("subnets").forEach(s -> subnets.add(s.asText()));
            world.routeTable(t.get("id").asText(), t.get("vpc").asText(), strings(t.path("tags")), subnets);
            strings(t.path("routes")).forEach((cidr, eni) -> world.route(t.get("id").asText(), cidr, eni));
        });
        return world;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
