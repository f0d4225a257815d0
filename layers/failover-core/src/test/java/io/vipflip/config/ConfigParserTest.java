package io.vipflip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ConfigParser parser = new ConfigParser();

    static final String TWO_NODES = """
            {
              "groups": [{
                "name": "web",
                "vips": ["192.168.100.10/32"],
                "nodes": [
                  {"name": "haproxy-a", "instanceId": "i-0aaaaaaaaaaaaaaa1", "eniId": "eni-0aaaaaaaaaaaaaaa1",
                   "probeAddress": "10.0.1.10", "priority": 200},
                  {"name": "haproxy-b", "instanceId": "i-0bbbbbbbbbbbbbbb2", "priority": 100}
                ],
                "routeTables": {"ids": ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0bbbbbbbbbbbbbbb2"]},
                "probe": {"ports": [80, 443], "timeoutMillis": 250, "intervalMillis": 500, "fall": 3, "rise": 2},
                "failback": {"delaySeconds": 60},
                "damping": {"minSecondsBetweenFlips": 20, "maxFlipsPerHour": 4}
              }]
            }
            """;

    @Test
    void parsesTwoNodeGroup_withEveryField() {
        DeploymentConfig config = parser.parse(TWO_NODES);

        GroupConfig web = config.group("web").orElseThrow();
        assertEquals(List.of("192.168.100.10/32"), web.vips());
        assertEquals(Optional.of("eni-0aaaaaaaaaaaaaaa1"), web.node("haproxy-a").orElseThrow().eniId());
        assertEquals(Optional.empty(), web.node("haproxy-b").orElseThrow().eniId());
        assertEquals(200, web.node("haproxy-a").orElseThrow().priority());
        assertEquals(List.of("rtb-0aaaaaaaaaaaaaaa1", "rtb-0bbbbbbbbbbbbbbb2"), web.routeTables().ids());
        assertEquals(List.of(80, 443), web.probe().ports());
        assertEquals(Duration.ofMillis(250), web.probe().timeout());
        assertEquals(Duration.ofMillis(500), web.probe().interval());
        assertEquals(3, web.probe().fall());
        assertEquals(Duration.ofSeconds(60), web.failback().delay());
        assertEquals(4, web.damping().maxFlipsPerHour());
        assertEquals(Duration.ofSeconds(20), web.damping().minTimeBetweenFlips());
        assertTrue(web.probe().watch(), "watched unless the probe section says otherwise");
        assertEquals(Duration.ofMillis(ConfigParser.DEFAULT_LEASE_MILLIS), config.lease());
        assertEquals(Duration.ofSeconds(DeploymentConfig.DEFAULT_DRIFT_CHECK_SECONDS), config.driftCheck());
    }

    @Test
    void explicitSettings_replaceTheDefaults_andAbsentSectionsGetThem() {
        DeploymentConfig config = parser.parse(edited(d -> {
            d.put("driftCheckSeconds", 45);
            probe(d).put("watch", true);
            group(d).remove("damping");
        }));
        GroupConfig web = config.group("web").orElseThrow();

        assertEquals(Duration.ofSeconds(45), config.driftCheck());
        assertTrue(web.probe().watch());
        assertEquals(Duration.ofSeconds(30), web.damping().minTimeBetweenFlips());
        assertEquals(6, web.damping().maxFlipsPerHour());
    }

    @Test
    void parsesThreeGroups_withTagDiscoveryAndDefaults() {
        String doc = """
                {"leaseMillis": 15000, "historyTtlDays": 7, "groups": [
                  {"name": "web", "vips": ["192.168.100.10/32"],
                   "nodes": [{"name": "a", "instanceId": "i-01234567"}, {"name": "b", "instanceId": "i-89abcdef"}],
                   "routeTables": {"tag": {"key": "vipflip:group", "value": "web"}, "vpcId": "vpc-0123456789abcdef0"}},
                  {"name": "api", "vips": ["192.168.100.20/32", "192.168.100.21/32"],
                   "nodes": [{"name": "a", "instanceId": "i-01234568"}, {"name": "b", "instanceId": "i-89abcdee"}],
                   "routeTables": {"tag": {"key": "vipflip-api"}}},
                  {"name": "db-proxy", "vips": ["10.200.0.0/24"],
                   "nodes": [{"name": "c", "instanceId": "i-01234569"}],
                   "routeTables": {"ids": ["rtb-01234567"]}, "probe": {"watch": false}}
                ]}
                """;
        DeploymentConfig config = parser.parse(doc);

        assertEquals(3, config.groups().size());
        assertEquals(Duration.ofSeconds(15), config.lease());
        assertEquals(Duration.ofDays(7), config.historyTtl());
        GroupConfig web = config.group("web").orElseThrow();
        assertEquals(Optional.of(new RouteTableSelector.Tag("vipflip:group", "web")), web.routeTables().tag());
        assertEquals(List.of(80), web.probe().ports());
        assertTrue(web.probe().watch());
        assertFalse(web.failback().enabled());
        assertEquals(Optional.of("vpc-0123456789abcdef0"), web.routeTables().vpcId());
        assertEquals("", config.group("api").orElseThrow().routeTables().tag().orElseThrow().value());
        assertEquals(Optional.empty(), config.group("api").orElseThrow().routeTables().vpcId());
        assertFalse(config.group("db-proxy").orElseThrow().probe().watch());
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                raw("not JSON", "{\"groups\": [", "document: is not valid JSON"),
                raw("empty document", "  ", "document: is empty"),
                raw("array root", "[]", "document: must be a JSON object"),
                raw("no groups", "{}", "groups: is required"),
                raw("empty groups", "{\"groups\": []}", "groups: must hold at least one group"),
                edit("unknown top-level key", d -> d.put("leaseSeconds", 3), "leaseSeconds: unknown key"),
                edit("unknown group key", d -> group(d).put("vip", "x"), "groups[0].vip: unknown key"),
                edit("unknown node key", d -> node(d, 1).put("ip", "10.0.0.1"), "groups[0].nodes[1].ip: unknown key"),
                edit("group without name", d -> group(d).remove("name"), "groups[0].name: is required"),
                edit("bad group name", d -> group(d).put("name", "web group!"), "groups[0].name: must be letters"),
                edit("group without nodes", d -> group(d).putArray("nodes"), "groups[0].nodes: must hold at least one node"),
                edit("group without vips", d -> group(d).remove("vips"), "groups[0].vips: is required"),
                edit("group without tables", d -> group(d).remove("routeTables"), "groups[0].routeTables: is required"),
                edit("empty table ids", d -> tables(d).putArray("ids"), "groups[0].routeTables.ids: must hold at least one"),
                edit("malformed instance id", d -> node(d, 1).put("instanceId", "i-XYZ"), "groups[0].nodes[1].instanceId: must look like"),
                edit("instance id of wrong kind", d -> node(d, 0).put("instanceId", "eni-0aaaaaaaaaaaaaaa1"), "groups[0].nodes[0].instanceId"),
                edit("malformed eni", d -> node(d, 0).put("eniId", "eni-123"), "groups[0].nodes[0].eniId: must look like"),
                edit("malformed table id", d -> ((ArrayNode) tables(d).get("ids")).set(1, "rtb-nothex!"), "groups[0].routeTables.ids[1]: must look like"),
                edit("vip without prefix", d -> vips(d).set(0, "192.168.100.10"), "groups[0].vips[0]: must be an IPv4 CIDR"),
                edit("vip octet out of range", d -> vips(d).set(0, "192.168.300.10/32"), "groups[0].vips[0]: must be an IPv4 CIDR"),
                edit("vip as default route", d -> vips(d).set(0, "0.0.0.0/0"), "groups[0].vips[0]: prefix must be between"),
                edit("vip with host bits", d -> vips(d).set(0, "192.168.100.10/24"), "groups[0].vips[0]: has host bits set"),
                edit("port zero", d -> ports(d).set(0, 0), "groups[0].probe.ports[0]: must be between 1 and 65535"),
                edit("port too high", d -> ports(d).set(1, 70000), "groups[0].probe.ports[1]: must be between 1 and 65535"),
                edit("port as string", d -> ports(d).set(0, "80"), "groups[0].probe.ports[0]: must be an integer"),
                edit("zero timeout", d -> probe(d).put("timeoutMillis", 0), "groups[0].probe.timeoutMillis: must be between 1"),
                edit("negative timeout", d -> probe(d).put("timeoutMillis", -5), "groups[0].probe.timeoutMillis: must be between 1"),
                edit("fall zero", d -> probe(d).put("fall", 0), "groups[0].probe.fall: must be between 1"),
                edit("rise zero", d -> probe(d).put("rise", 0), "groups[0].probe.rise: must be between 1"),
                edit("timeout not below interval", d -> probe(d).put("timeoutMillis", 600), "groups[0].probe.timeoutMillis: must be shorter than intervalMillis"),
                edit("duplicate node names", d -> node(d, 1).put("name", "haproxy-a"), "groups[0].nodes[1]: duplicate node name 'haproxy-a'"),
                edit("duplicate instance ids", d -> node(d, 1).put("instanceId", "i-0aaaaaaaaaaaaaaa1"), "groups[0].nodes[1]: duplicate instanceId"),
                edit("duplicate ports", d -> ports(d).set(1, 80), "groups[0].probe.ports[1]: duplicate port"),
                edit("ids and tag together", d -> tables(d).putObject("tag").put("key", "k"), "groups[0].routeTables: give exactly one of 'ids' or 'tag'"),
                edit("malformed vpc id", d -> tables(d).put("vpcId", "vpc-nothex!"), "groups[0].routeTables.vpcId: must look like vpc-"),
                edit("vpc id not a string", d -> tables(d).put("vpcId", 7), "groups[0].routeTables.vpcId:"),
                edit("tag without key", d -> { tables(d).remove("ids"); tables(d).putObject("tag"); }, "groups[0].routeTables.tag.key: is required"),
                edit("probe address not IP", d -> node(d, 0).put("probeAddress", "haproxy-a.internal"), "groups[0].nodes[0].probeAddress: must be an IPv4 address"),
                edit("priority negative", d -> node(d, 0).put("priority", -1), "groups[0].nodes[0].priority: must be between 0"),
                edit("watch not boolean", d -> probe(d).put("watch", "yes"), "groups[0].probe.watch: must be true or false"),
                edit("failback negative", d -> group(d).putObject("failback").put("delaySeconds", -1), "groups[0].failback.delaySeconds"),
                edit("damping max zero", d -> group(d).putObject("damping").put("maxFlipsPerHour", 0), "groups[0].damping.maxFlipsPerHour"),
                edit("lease too short", d -> d.put("leaseMillis", 100), "leaseMillis: must be between 2000"),
                edit("lease that can never write", d -> d.put("leaseMillis", 2000), "leaseMillis: 2000 ms can never write routes"),
                edit("name not a string", d -> group(d).put("name", 42), "groups[0].name: must be a string"),
                edit("node not an object", d -> ((ArrayNode) group(d).get("nodes")).set(0, JSON.getNodeFactory().textNode("a")), "groups[0].nodes[0]: must be a JSON object"),
                edit("duplicate group", d -> ((ArrayNode) d.get("groups")).add(group(d).deepCopy()), "groups[1]: duplicate group name 'web'"),
                edit("interval too short", d -> probe(d).put("intervalMillis", 100), "groups[0].probe.intervalMillis: must be between 250"),
                edit("duplicate vips in a group", d -> vips(d).add("192.168.100.10/32"), "groups[0].vips[1]: duplicate VIP '192.168.100.10/32'"),
                edit("a vip routed by two groups", d -> {
                    ObjectNode other = group(d).deepCopy().put("name", "api");
                    ((ArrayNode) d.get("groups")).add(other);
                }, "groups[1].vips: VIP '192.168.100.10/32' is already routed by another group"),
                edit("duplicate route table ids", d -> ((ArrayNode) tables(d).get("ids")).set(1, "rtb-0aaaaaaaaaaaaaaa1"), "groups[0].routeTables.ids[1]: duplicate route table id 'rtb-0aaaaaaaaaaaaaaa1'"),
                edit("duplicate eni ids", d -> node(d, 1).put("eniId", "eni-0aaaaaaaaaaaaaaa1"), "groups[0].nodes[1]: duplicate eniId 'eni-0aaaaaaaaaaaaaaa1'"),
                edit("nodes not an array", d -> group(d).put("nodes", "haproxy-a"), "groups[0].nodes: must be an array of nodes"),
                edit("vip with host bits above the last octet", d -> vips(d).set(0, "10.0.1.0/16"), "groups[0].vips[0]: has host bits set"),
                edit("tag key longer than 256 characters", d -> { tables(d).remove("ids"); tables(d).putObject("tag").put("key", "k".repeat(257)); }, "groups[0].routeTables.tag.key: is longer than 256 characters"));
    }

    /**
     * One fault, exactly one error: a value that failed its check is not carried on (as 0 or "") into the rules
     * that depend on it, which would add errors about fields the operator did not get wrong.
     */
    static Stream<Arguments> oneFaultOneError() {
        return Stream.of(
                edit("group without name", d -> group(d).remove("name"), "groups[0].name: is required"),
                edit("name not a string", d -> group(d).put("name", 42), "groups[0].name: must be a string"),
                edit("blank name", d -> group(d).put("name", "  "), "groups[0].name: must not be blank"),
                edit("name longer than 256 characters", d -> group(d).put("name", "n".repeat(257)), "groups[0].name: is longer than 256 characters"),
                edit("node not an object", d -> ((ArrayNode) group(d).get("nodes")).set(1, JSON.getNodeFactory().textNode("b")), "groups[0].nodes[1]: must be a JSON object"),
                edit("interval not an integer", d -> probe(d).put("intervalMillis", "500"), "groups[0].probe.intervalMillis: must be an integer"),
                edit("interval out of range", d -> probe(d).put("intervalMillis", 100), "groups[0].probe.intervalMillis: must be between 250 and 60000 (got 100)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFaultOneError")
    void oneFault_givesExactlyOneError(String description, String document, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> parser.parse(document));

        assertEquals(List.of(expected), error.errors(), description);
    }

    @Test
    void anUnknownKey_listsTheAllowedOnesInOrder() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> parser.parse(edited(d -> node(d, 1).put("ip", "10.0.0.1"))));

        assertEquals(List.of("groups[0].nodes[1].ip: unknown key (allowed: eniId, instanceId, name, priority, probeAddress)"),
                error.errors());
    }

    @Test
    void aDocumentOfExactlyTheSizeLimit_isRead_andOneCharacterMoreIsNot() {
        int limit = 256 * 1024;
        String atLimit = TWO_NODES + " ".repeat(limit - TWO_NODES.length());
        assertEquals(1, parser.parse(atLimit).groups().size());
        ConfigException tooLarge = assertThrows(ConfigException.class, () -> parser.parse(atLimit + " "));
        assertEquals(List.of("document: is larger than 262144 characters"), tooLarge.errors());

        String group = groupDocument();
        String groupAtLimit = group + " ".repeat(limit - group.length());
        assertEquals("web", parser.parseGroup(groupAtLimit).name());
        assertEquals(List.of("document: is larger than 262144 characters"),
                assertThrows(ConfigException.class, () -> parser.parseGroup(groupAtLimit + " ")).errors());
    }

    @Test
    void stringsOfUpTo256Characters_areRead() {
        String key = "k".repeat(256);
        DeploymentConfig config = parser.parse(edited(d -> {
            tables(d).remove("ids");
            tables(d).putObject("tag").put("key", key);
        }));

        assertEquals(key, config.group("web").orElseThrow().routeTables().tag().orElseThrow().key());
    }

    @Test
    void aTimeoutEqualToTheInterval_isRejected_andAFastIntervalEqualToIt_isAccepted() {
        ConfigException equal = assertThrows(ConfigException.class,
                () -> parser.parse(edited(d -> probe(d).put("timeoutMillis", 500))));
        assertEquals(List.of("groups[0].probe.timeoutMillis: must be shorter than intervalMillis (500)"), equal.errors());

        GroupConfig web = parser.parse(edited(d -> probe(d).put("fastIntervalMillis", 500))).group("web").orElseThrow();
        assertEquals(Duration.ofMillis(500), web.probe().fastInterval());
        assertThrows(ConfigException.class, () -> parser.parse(edited(d -> probe(d).put("fastIntervalMillis", 501))));
    }

    @Test
    void theWidestStatusRange_andTheWidestVipPrefix_areAccepted() {
        assertEquals(List.of(new io.vipflip.probe.HttpCheck.StatusRange(100, 599)), ProbeSettingsParser.statusRanges("100-599"));
        assertEquals(List.of(), ProbeSettingsParser.statusRanges("99-599"));
        assertEquals(List.of(), ProbeSettingsParser.statusRanges("100-600"));

        GroupConfig web = parser.parse(edited(d -> vips(d).set(0, "10.0.0.0/8"))).group("web").orElseThrow();
        assertEquals(List.of("10.0.0.0/8"), web.vips());
        assertEquals(List.of("10.255.255.255/32"),
                parser.parse(edited(d -> vips(d).set(0, "10.255.255.255/32"))).group("web").orElseThrow().vips());
    }

    @Test
    void theTimingSection_isTheBudgetTheDeploymentUses() {
        DeploymentConfig config = parser.parse(edited(d -> d.putObject("timing").put("skewMarginMillis", 1500)
                .put("writeSettleMillis", 1200).put("endMarginMillis", 2500)));

        assertEquals(Duration.ofMillis(1500), config.timing().skewMargin());
        assertEquals(Duration.ofMillis(1200), config.timing().writeSettle());
        assertEquals(Duration.ofMillis(2500), config.timing().endMargin());
        assertEquals(config.lease(), config.timing().lease());
    }

    private static String groupDocument() {
        try {
            return JSON.writeValueAsString(group((ObjectNode) JSON.readTree(TWO_NODES)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDocuments")
    void rejectsInvalidDocument_namingTheField(String description, String document, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> parser.parse(document));

        assertTrue(error.errors().stream().anyMatch(e -> e.startsWith(expected) || e.contains(expected)),
                () -> description + ": expected an error containing '" + expected + "' but got " + error.errors());
    }

    @Test
    void reportsEveryErrorAtOnce() {
        String doc = edited(d -> {
            node(d, 0).put("instanceId", "nope");
            node(d, 1).put("eniId", "eni-zz");
            ports(d).set(0, 0);
            d.put("extra", true);
        });
        ConfigException error = assertThrows(ConfigException.class, () -> parser.parse(doc));

        assertEquals(4, error.errors().size(), error.errors().toString());
        assertTrue(error.getMessage().contains("4 errors"));
    }

    private static Arguments raw(String description, String document, String expected) {
        return Arguments.of(description, document, expected);
    }

    private static Arguments edit(String description, Consumer<ObjectNode> change, String expected) {
        return Arguments.of(description, edited(change), expected);
    }

    private static String edited(Consumer<ObjectNode> change) {
        try {
            ObjectNode doc = (ObjectNode) JSON.readTree(TWO_NODES);
            change.accept(doc);
            return JSON.writeValueAsString(doc);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode group(ObjectNode doc) {
        return (ObjectNode) doc.get("groups").get(0);
    }

    private static ObjectNode node(ObjectNode doc, int index) {
        return (ObjectNode) group(doc).get("nodes").get(index);
    }

    private static ObjectNode tables(ObjectNode doc) {
        return (ObjectNode) group(doc).get("routeTables");
    }

    private static ObjectNode probe(ObjectNode doc) {
        return (ObjectNode) group(doc).get("probe");
    }

    private static ArrayNode vips(ObjectNode doc) {
        return (ArrayNode) group(doc).get("vips");
    }

    private static ArrayNode ports(ObjectNode doc) {
        return (ArrayNode) probe(doc).get("ports");
    }
}
