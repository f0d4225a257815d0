package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.config.ConfigException;
import io.vipflip.config.ConfigParser;
import io.vipflip.local.harness.LocalWorld;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generated damaged configuration documents: each refused with an error naming the damaged field's JSON path. */
class BadConfigurationIT {
    private static LocalWorld world;

    @BeforeAll
    static void start() {
        world = LocalWorld.start(LocalWorld.Settings.demo());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void hundredsOfBadConfigurations_areRefusedWithTheirJsonPath() {
        // GIVEN 120 documents, each the demo configuration with one of 10 kinds of damage
        Random random = new Random(99);
        String valid = world.configJson();
        Map<Integer, Integer> namedByKind = new TreeMap<>();
        int refused = 0;
        for (int i = 0; i < 120; i++) {
            BrokenConfig broken = mutateConfig(valid, random, i);

            // WHEN parsed, THEN refused with an error that names the damaged field's JSON path
            ConfigException error = assertThrows(ConfigException.class, () -> new ConfigParser().parse(broken.json()),
                    "mutation " + i + ": " + broken.json());
            refused++;
            assertTrue(error.errors().stream().allMatch(e -> e.contains(": ")), error.errors().toString());
            if (error.errors().stream().anyMatch(e -> e.startsWith(broken.path() + ": "))) {
                namedByKind.merge(i % 10, 1, Integer::sum);
            }
        }
        // every document was refused, every kind of damage produced and named 12 times out of 12
        assertEquals(120, refused);
        Map<Integer, Integer> all = new TreeMap<>();
        IntStream.range(0, 10).forEach(kind -> all.put(kind, 12));
        assertEquals(all, namedByKind, "damage kind -> documents whose error named the damaged path");
        new ConfigParser().parse(valid); // the undamaged document is accepted: the refusals are the damage's
    }

    /** A damaged configuration document and the JSON path of the damaged field. */
    record BrokenConfig(String json, String path) {
    }

    private static BrokenConfig mutateConfig(String valid, Random random, int i) {
        try {
            ObjectNode doc = (ObjectNode) BadInput.JSON.readTree(valid);
            ObjectNode group = (ObjectNode) doc.get("groups").get(0);
            int n = random.nextInt(2);
            ObjectNode node = (ObjectNode) group.get("nodes").get(n);
            String nodePath = "groups[0].nodes[" + n + "].";
            String nasty = BadInput.NASTY.get(i % BadInput.NASTY.size());
            if (i % 10 == 9) {
                return new BrokenConfig(valid.substring(0, random.nextInt(valid.length() - 1)), "document");
            }
            String path = switch (i % 10) {
                case 0 -> { group.put("name", nasty); yield "groups[0].name"; }
                case 1 -> { node.put("instanceId", nasty); yield nodePath + "instanceId"; }
                case 2 -> { node.put("eniId", nasty); yield nodePath + "eniId"; }
                case 3 -> { group.putArray("vips").add(nasty); yield "groups[0].vips[0]"; }
                case 4 -> {
                    ((ObjectNode) group.get("probe")).putArray("ports")
                            .add(random.nextBoolean() ? -random.nextInt(9999) : 65536 + random.nextInt(9999));
                    yield "groups[0].probe.ports[0]";
                }
                case 5 -> { ((ObjectNode) group.get("probe")).put("timeoutMillis", -random.nextInt(1000)); yield "groups[0].probe.timeoutMillis"; }
                case 6 -> { group.put(nasty, 1); yield "groups[0]." + nasty; }
                case 7 -> { node.put("probeAddress", nasty); yield nodePath + "probeAddress"; }
                case 8 -> { ((ObjectNode) group.get("probe")).put("fall", -random.nextInt(5)); yield "groups[0].probe.fall"; }
                default -> throw new IllegalArgumentException("kind " + i % 10);
            };
            return new BrokenConfig(BadInput.JSON.writeValueAsString(doc), path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
