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
    /** The least time an observer's answer needs on top of its probe timeout (an Invoke round trip). */
    static final int MIN_QUORUM_ROUND_TRIP_MILLIS = 50;

    static final Set<String> DEPLOYMENT_KEYS = Set.of("groups", "leaseMillis", "historyTtlDays", "driftCheckSeconds",
            "timing");
    static final Set<String> TIMING_KEYS = Set.of("skewMarginMillis", "writeSettleMillis", "endMarginMillis",
            "watchFunctionTimeoutSeconds", "alarmFunctionTimeoutSeconds", "manualFunctionTimeoutSeconds");
    static final Set<String> GROUP_KEYS = Set.of("name", "vips", "nodes", "routeTables", "probe", "failback", "damping",
            "vantage", "quorumDeadlineMillis");
    static final Set<String> NODE_KEYS = Set.of("name", "instanceId", "eniId", "probeAddress", "priority");
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
        Duration driftCheck = driftCheck(doc);
        Duration lease = Duration.ofMillis(leaseMillis == null ? 0 : leaseMillis);
        TimingBudget timing = timing(root.get("timing"), lease, errors);
        if (leaseMillis != null && timing != null) {
            errors.addAll(timing.leaseProblems("leaseMillis")); // the group rules apply to each group's parameter
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new DeploymentConfig(List.of(), lease, Duration.ofDays(ttlDays), driftCheck, timing);
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
        Duration lease = Duration.ofMillis(leaseMillis == null ? 0 : leaseMillis);
        TimingBudget timing = timing(root == null ? null : root.get("timing"), lease, errors);
        if (leaseMillis != null && timing != null) {
            errors.addAll(timing.problems(groups, "leaseMillis"));
        }
        return new DeploymentConfig(groups, lease, Duration.ofDays(ttlDays == null ? 0 : ttlDays), driftCheck(doc),
                timing == null ? TimingBudget.defaults(lease) : timing);
    }

    /** The optional {@code timing} section; null when one of its fields is invalid (already reported). */
    private TimingBudget timing(JsonNode node, Duration lease, List<String> errors) {
        if (node == null || node.isNull()) {
            return TimingBudget.defaults(lease);
        }
        JsonFields fields = JsonFields.object(node, "timing", errors, TIMING_KEYS);
        Integer skew = fields.intInRange("skewMarginMillis", TimingBudget.DEFAULT_SKEW_MARGIN_MILLIS, 0, 60_000);
        Integer settle = fields.intInRange("writeSettleMillis", TimingBudget.DEFAULT_WRITE_SETTLE_MILLIS, 0, 60_000);
        Integer end = fields.intInRange("endMarginMillis", TimingBudget.DEFAULT_END_MARGIN_MILLIS, 500, 60_000);
        Integer watch = fields.intInRange("watchFunctionTimeoutSeconds", TimingBudget.DEFAULT_WATCH_TIMEOUT_SECONDS,
                1, 900);
        Integer alarm = fields.intInRange("alarmFunctionTimeoutSeconds", TimingBudget.DEFAULT_ALARM_TIMEOUT_SECONDS,
                1, 900);
        Integer manual = fields.intInRange("manualFunctionTimeoutSeconds",
                TimingBudget.DEFAULT_MANUAL_TIMEOUT_SECONDS, 1, 900);
        if (!node.isObject() || skew == null || settle == null || end == null || watch == null || alarm == null
                || manual == null) {
            return null;
        }
        return new TimingBudget(lease, Duration.ofMillis(skew), Duration.ofMillis(settle), Duration.ofMillis(end),
                Duration.ofSeconds(watch), Duration.ofSeconds(alarm), Duration.ofSeconds(manual));
    }

    /**
     * Drift is the only thing a watch loop reads on a timer; 5 s is the floor that keeps a deployment far below
     * EC2's DescribeRouteTables refill rate whatever its size (docs/decisions.md, EC2 API budget).
     */
    private static Duration driftCheck(JsonFields doc) {
        Integer seconds = doc.intInRange("driftCheckSeconds", DeploymentConfig.DEFAULT_DRIFT_CHECK_SECONDS, 5, 3600);
        return Duration.ofSeconds(seconds == null ? DeploymentConfig.DEFAULT_DRIFT_CHECK_SECONDS : seconds);
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
                ? RouteTablesParser.routeTables(group.get("routeTables"), group.path("routeTables"), errors) : null;
        if (node != null && node.isObject() && !group.has("routeTables")) {
            group.error("routeTables", "is required (ids or tag)");
        }
        ProbeSettings probe = ProbeSettingsParser.probe(group.get("probe"), group.path("probe"), errors);
        FailbackSettings failback = failback(group.get("failback"), group.path("failback"), errors);
        DampingSettings damping = damping(group.get("damping"), group.path("damping"), errors);
        return new GroupConfig(name, vips, nodes, tables, probe, failback, damping, vantage(group, probe));
    }

    /** {@code vantage} ("local" or "quorum") and {@code quorumDeadlineMillis}, which must outlast the probe timeout. */
    private static VantageSettings vantage(JsonFields group, ProbeSettings probe) {
        String mode = group.optionalString("vantage").orElse("local");
        VantageSettings.Mode parsed = switch (mode) {
            case "local" -> VantageSettings.Mode.LOCAL;
            case "quorum" -> VantageSettings.Mode.QUORUM;
            default -> {
                group.error("vantage", "must be 'local' or 'quorum' (got '" + mode + "')");
                yield VantageSettings.Mode.LOCAL;
            }
        };
        long timeout = probe.timeout().toMillis();
        Integer deadline = group.intInRange("quorumDeadlineMillis",
                (int) timeout + VantageSettings.DEFAULT_EXTRA_MILLIS, 50, 10_000);
        if (deadline != null && deadline < timeout + MIN_QUORUM_ROUND_TRIP_MILLIS) {
            group.error("quorumDeadlineMillis", "must be at least probe.timeoutMillis + " + MIN_QUORUM_ROUND_TRIP_MILLIS
                    + " (" + (timeout + MIN_QUORUM_ROUND_TRIP_MILLIS) + "): an observer probes a silent node for the "
                    + "whole timeout and its answer must still travel back");
        }
        return new VantageSettings(parsed, java.time.Duration.ofMillis(deadline == null ? timeout + 1 : deadline));
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

    static <T> void checkUnique(List<T> items, java.util.function.Function<T, Object> key, String path,
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
