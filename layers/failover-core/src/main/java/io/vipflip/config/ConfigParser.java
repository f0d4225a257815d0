package io.vipflip.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates the configuration document (docs/configuration.md) into immutable records.
 * Strict: unknown keys are errors, and every error names its JSON path; all are reported at once.
 */
public final class ConfigParser {
    static final Set<String> DEPLOYMENT_KEYS = Set.of("groups", "leaseMillis", "historyTtlDays");
    static final Set<String> GROUP_KEYS = Set.of("name", "vips", "nodes", "routeTables", "probe", "failback", "damping");
    static final Set<String> NODE_KEYS = Set.of("name", "instanceId", "eniId", "probeAddress", "priority");
    static final Set<String> TABLE_KEYS = Set.of("ids", "tag", "vpcId");
    static final Set<String> TAG_KEYS = Set.of("key", "value");
    static final Set<String> PROBE_KEYS = Set.of("ports", "timeoutMillis", "intervalMillis", "fall", "rise", "watch");
    static final Set<String> FAILBACK_KEYS = Set.of("delaySeconds");
    static final Set<String> DAMPING_KEYS = Set.of("minSecondsBetweenFlips", "maxFlipsPerHour");

    public static final int DEFAULT_LEASE_MILLIS = 20_000;
    private static final int MAX_DOCUMENT_CHARS = 256 * 1024;

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    public DeploymentConfig parse(String json) {
        if (json == null || json.isBlank()) {
            throw new ConfigException(List.of("document: is empty"));
        }
        if (json.length() > MAX_DOCUMENT_CHARS) {
            throw new ConfigException(List.of("document: is larger than " + MAX_DOCUMENT_CHARS + " characters"));
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of("document: is not valid JSON (" + e.getOriginalMessage() + ")"));
        }
        List<String> errors = new ArrayList<>();
        DeploymentConfig config = deployment(root, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }

    /**
     * One group's document on its own (one SSM parameter per group): the same rules as an element of
     * {@code groups}, with error paths relative to the document.
     */
    public GroupConfig parseGroup(String json) {
        JsonNode root = tree(json);
        List<String> errors = new ArrayList<>();
        GroupConfig group = group(root, "", errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return group;
    }

    /** The deployment-wide settings document ({@code leaseMillis}, {@code historyTtlDays}), without groups. */
    public DeploymentConfig parseSettings(String json) {
        JsonNode root = tree(json);
        List<String> errors = new ArrayList<>();
        if (root.isObject() && root.has("groups")) {
            errors.add("groups: not allowed in the settings document (each group has its own parameter)");
            ((com.fasterxml.jackson.databind.node.ObjectNode) root).remove("groups");
        }
        JsonFields doc = JsonFields.object(root, "", errors, DEPLOYMENT_KEYS);
        Integer leaseMillis = doc.intInRange("leaseMillis", DEFAULT_LEASE_MILLIS, 2_000, 600_000);
        Integer ttlDays = doc.intInRange("historyTtlDays", 30, 1, 3650);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new DeploymentConfig(List.of(), Duration.ofMillis(leaseMillis), Duration.ofDays(ttlDays));
    }

    private JsonNode tree(String json) {
        if (json == null || json.isBlank()) {
            throw new ConfigException(List.of("document: is empty"));
        }
        if (json.length() > MAX_DOCUMENT_CHARS) {
            throw new ConfigException(List.of("document: is larger than " + MAX_DOCUMENT_CHARS + " characters"));
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of("document: is not valid JSON (" + e.getOriginalMessage() + ")"));
        }
    }

    private DeploymentConfig deployment(JsonNode root, List<String> errors) {
        JsonFields doc = JsonFields.object(root, "", errors, DEPLOYMENT_KEYS);
        Integer leaseMillis = doc.intInRange("leaseMillis", DEFAULT_LEASE_MILLIS, 2_000, 600_000);
        Integer ttlDays = doc.intInRange("historyTtlDays", 30, 1, 3650);
        List<GroupConfig> groups = new ArrayList<>();
        doc.requiredArray("groups", "group", (node, path) -> groups.add(group(node, path, errors)));
        checkUnique(groups, GroupConfig::name, "", "groups", "group name", errors);
        checkVipsUniqueAcrossGroups(groups, errors);
        return new DeploymentConfig(groups, Duration.ofMillis(leaseMillis == null ? 0 : leaseMillis),
                Duration.ofDays(ttlDays == null ? 0 : ttlDays));
    }

    private GroupConfig group(JsonNode node, String path, List<String> errors) {
        JsonFields group = JsonFields.object(node, path, errors, GROUP_KEYS);
        String name = matching(group, "name", Formats.NAME, "must be letters, digits, '.', '_' or '-', at most 63");
        List<String> vips = new ArrayList<>();
        group.requiredArray("vips", "VIP CIDR", (vip, at) -> {
            String text = group.string(vip, at);
            if (text != null) {
                Formats.vipCidrProblem(text).ifPresentOrElse(p -> errors.add(at + ": " + p), () -> vips.add(text));
            }
        });
        checkUnique(vips, v -> v, path, "vips", "VIP", errors);
        List<NodeConfig> nodes = new ArrayList<>();
        group.requiredArray("nodes", "node", (n, at) -> nodes.add(node(n, at, errors)));
        checkUnique(nodes, NodeConfig::name, path, "nodes", "node name", errors);
        checkUnique(nodes, NodeConfig::instanceId, path, "nodes", "instanceId", errors);
        checkUnique(nodes.stream().filter(n -> n.eniId().isPresent()).toList(), n -> n.eniId().get(), path,
                "nodes", "eniId", errors);
        RouteTableSelector tables = group.has("routeTables")
                ? routeTables(group.get("routeTables"), group.path("routeTables"), errors) : null;
        if (node != null && node.isObject() && !group.has("routeTables")) {
            group.error("routeTables", "is required (ids or tag)");
        }
        ProbeSettings probe = probe(group.get("probe"), group.path("probe"), errors);
        FailbackSettings failback = failback(group.get("failback"), group.path("failback"), errors);
        DampingSettings damping = damping(group.get("damping"), group.path("damping"), errors);
        return new GroupConfig(name, vips, nodes, tables, probe, failback, damping);
    }

    private NodeConfig node(JsonNode node, String path, List<String> errors) {
        JsonFields fields = JsonFields.object(node, path, errors, NODE_KEYS);
        String name = matching(fields, "name", Formats.NAME, "must be letters, digits, '.', '_' or '-', at most 63");
        String instanceId = matching(fields, "instanceId", Formats.INSTANCE_ID, "must look like i-0123456789abcdef0");
        Optional<String> eni = fields.optionalString("eniId");
        eni.filter(e -> !Formats.ENI_ID.matcher(e).matches())
                .ifPresent(e -> fields.error("eniId", "must look like eni-0123456789abcdef0 (got '" + e + "')"));
        Optional<String> address = fields.optionalString("probeAddress");
        address.filter(a -> !Formats.isIpv4(a))
                .ifPresent(a -> fields.error("probeAddress", "must be an IPv4 address (got '" + a + "')"));
        Integer priority = fields.intInRange("priority", 100, 0, 1_000_000);
        return new NodeConfig(name, instanceId, eni, address, priority == null ? 0 : priority);
    }

    private RouteTableSelector routeTables(JsonNode node, String path, List<String> errors) {
        JsonFields fields = JsonFields.object(node, path, errors, TABLE_KEYS);
        boolean hasIds = fields.has("ids");
        boolean hasTag = fields.has("tag");
        if (node != null && node.isObject() && hasIds == hasTag) {
            errors.add(path + ": give exactly one of 'ids' or 'tag'");
            return null;
        }
        if (hasIds) {
            List<String> ids = new ArrayList<>();
            fields.requiredArray("ids", "route table id", (id, at) -> {
                String text = fields.string(id, at);
                if (text != null && !Formats.ROUTE_TABLE_ID.matcher(text).matches()) {
                    errors.add(at + ": must look like rtb-0123456789abcdef0 (got '" + text + "')");
                } else if (text != null) {
                    ids.add(text);
                }
            });
            checkUnique(ids, id -> id, path, "ids", "route table id", errors);
            return inVpc(RouteTableSelector.ofIds(ids), fields);
        }
        JsonFields tag = JsonFields.object(fields.get("tag"), fields.path("tag"), errors, TAG_KEYS);
        String key = tag.requiredString("key");
        String value = tag.optionalString("value").orElse("");
        return inVpc(RouteTableSelector.ofTag(key, value), fields);
    }

    /** Scopes the selection to {@code vpcId} when given (issue 10: a tag must not reach other VPCs' tables). */
    private static RouteTableSelector inVpc(RouteTableSelector selector, JsonFields fields) {
        Optional<String> vpc = fields.optionalString("vpcId");
        if (vpc.isEmpty()) {
            return selector;
        }
        if (!Formats.VPC_ID.matcher(vpc.get()).matches()) {
            fields.error("vpcId", "must look like vpc-0123456789abcdef0 (got '" + vpc.get() + "')");
            return selector;
        }
        return selector.inVpc(vpc.get());
    }

    private ProbeSettings probe(JsonNode node, String path, List<String> errors) {
        if (node == null) {
            return new ProbeSettings(List.of(80), Duration.ofMillis(ProbeSettings.DEFAULT_TIMEOUT_MILLIS),
                    Duration.ofMillis(ProbeSettings.DEFAULT_INTERVAL_MILLIS), ProbeSettings.DEFAULT_FALL,
                    ProbeSettings.DEFAULT_RISE, true);
        }
        JsonFields fields = JsonFields.object(node, path, errors, PROBE_KEYS);
        List<Integer> ports = new ArrayList<>();
        if (fields.has("ports")) {
            fields.requiredArray("ports", "port", (p, at) -> {
                Integer port = fields.integer(p, at, 1, 65_535);
                if (port != null) {
                    ports.add(port);
                }
            });
            checkUnique(ports, p -> p, path, "ports", "port", errors);
        } else {
            ports.add(80);
        }
        Integer timeout = fields.intInRange("timeoutMillis", ProbeSettings.DEFAULT_TIMEOUT_MILLIS, 1, 10_000);
        Integer interval = fields.intInRange("intervalMillis", ProbeSettings.DEFAULT_INTERVAL_MILLIS, 250, 60_000);
        Integer fall = fields.intInRange("fall", ProbeSettings.DEFAULT_FALL, 1, 100);
        Integer rise = fields.intInRange("rise", ProbeSettings.DEFAULT_RISE, 1, 100);
        if (timeout != null && interval != null && timeout >= interval) {
            fields.error("timeoutMillis", "must be shorter than intervalMillis (" + interval + ")");
        }
        return new ProbeSettings(ports, Duration.ofMillis(timeout == null ? 1 : timeout),
                Duration.ofMillis(interval == null ? 1 : interval), fall == null ? 1 : fall, rise == null ? 1 : rise,
                fields.bool("watch", true));
    }

    private FailbackSettings failback(JsonNode node, String path, List<String> errors) {
        if (node == null) {
            return new FailbackSettings(Duration.ZERO);
        }
        Integer delay = JsonFields.object(node, path, errors, FAILBACK_KEYS).intInRange("delaySeconds", 0, 0, 86_400);
        return new FailbackSettings(Duration.ofSeconds(delay == null ? 0 : delay));
    }

    private DampingSettings damping(JsonNode node, String path, List<String> errors) {
        if (node == null) {
            return new DampingSettings(Duration.ofSeconds(30), 6);
        }
        JsonFields fields = JsonFields.object(node, path, errors, DAMPING_KEYS);
        Integer min = fields.intInRange("minSecondsBetweenFlips", 30, 0, 86_400);
        Integer max = fields.intInRange("maxFlipsPerHour", 6, 1, 3_600);
        return new DampingSettings(Duration.ofSeconds(min == null ? 0 : min), max == null ? 1 : max);
    }

    private static String matching(JsonFields fields, String key, Pattern pattern, String rule) {
        String value = fields.requiredString(key);
        if (value != null && !pattern.matcher(value).matches()) {
            fields.error(key, rule + " (got '" + value + "')");
            return null;
        }
        return value;
    }

    private static <T> void checkUnique(List<T> items, java.util.function.Function<T, Object> key, String path,
                                        String field, String what, List<String> errors) {
        Map<Object, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Object value = key.apply(items.get(i));
            if (value == null) {
                continue;
            }
            Integer first = seen.putIfAbsent(value, i);
            if (first != null) {
                String prefix = path.isEmpty() ? field : path + "." + field;
                errors.add(prefix + "[" + i + "]: duplicate " + what + " '" + value + "' (also at index " + first + ")");
            }
        }
    }

    private static void checkVipsUniqueAcrossGroups(List<GroupConfig> groups, List<String> errors) {
        Set<String> seen = new HashSet<>();
        for (int g = 0; g < groups.size(); g++) {
            for (String vip : groups.get(g).vips()) {
                if (!seen.add(vip)) {
                    errors.add("groups[" + g + "].vips: VIP '" + vip + "' is already routed by another group");
                }
            }
        }
    }
}
