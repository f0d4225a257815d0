package io.vipflip.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configuration as one parameter per group under a root path ({@code VIPFLIP_CONFIG_PATH}):
 * {@code <root>/groups/<group>} holds one group's document, {@code <root>/settings} the deployment-wide settings.
 * Each group is validated on its own: a bad document is reported with its parameter name and field paths and
 * skipped — or, when a valid version of it was loaded before, that version keeps running — while every other group
 * loads. A group is used whole or not at all.
 */
public final class GroupParameters {
    /** The root: absolute, no trailing slash, SSM's name characters, below the 15-level hierarchy limit. */
    static final Pattern ROOT = Pattern.compile("(/[A-Za-z0-9_.-]+){1,12}");
    private final String root;
    private final ConfigParser parser = new ConfigParser();

    public GroupParameters(String root) {
        if (root == null || !ROOT.matcher(root).matches()) {
            throw new IllegalArgumentException("VIPFLIP_CONFIG_PATH: must be a parameter path such as /vipflip/my-stack"
                    + " (absolute, no trailing '/', letters, digits, '_', '.', '-'; got '" + root + "')");
        }
        this.root = root;
    }

    public String root() {
        return root;
    }

    public String groupsPath() {
        return root + "/groups";
    }

    public String groupParameter(String group) {
        return groupsPath() + "/" + group;
    }

    public String settingsParameter() {
        return root + "/settings";
    }

    /** What a load produced: the groups to run, the parameter each came from, and every problem found. */
    public record Loaded(DeploymentConfig config, Map<String, ConfigParameter> sources, List<ParameterProblem> problems) {
        public Loaded {
            sources = Map.copyOf(sources);
            problems = List.copyOf(problems);
        }

        public static Loaded nothing() {
            java.time.Duration lease = java.time.Duration.ofMillis(ConfigParser.DEFAULT_LEASE_MILLIS);
            return new Loaded(new DeploymentConfig(List.of(), lease, java.time.Duration.ofDays(30),
                    java.time.Duration.ofSeconds(DeploymentConfig.DEFAULT_DRIFT_CHECK_SECONDS),
                    TimingBudget.defaults(lease)), Map.of(), List.of());
        }
    }

    /** The difference between two loads, by group name. */
    public record Change(List<String> added, List<String> changed, List<String> removed) {
        public Change {
            added = List.copyOf(added);
            changed = List.copyOf(changed);
            removed = List.copyOf(removed);
        }

        public boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }
    }

    /** A cold start: settings and groups from {@code parameters}, nothing running yet. */
    public Loaded load(List<ConfigParameter> parameters) {
        return reload(parameters, Optional.empty());
    }

    /**
     * A reload while {@code running} runs: the settings stay those of the running load (they apply at the next cold
     * start); a group whose new document is invalid keeps its running version.
     */
    public Loaded reload(List<ConfigParameter> parameters, Loaded running) {
        return reload(parameters, Optional.of(running));
    }

    private Loaded reload(List<ConfigParameter> parameters, Optional<Loaded> running) {
        List<ParameterProblem> problems = new ArrayList<>();
        Map<String, ConfigParameter> groupDocs = new TreeMap<>();
        Optional<ConfigParameter> settingsDoc = parameters.stream()
                .filter(p -> p.name().equals(settingsParameter())).findFirst();
        for (ConfigParameter p : parameters) {
            if (p.name().equals(settingsParameter())) {
                continue;
            } else if (p.name().startsWith(groupsPath() + "/")) {
                String group = p.name().substring(groupsPath().length() + 1);
                if (Formats.NAME.matcher(group).matches()) {
                    groupDocs.put(group, p);
                } else {
                    problems.add(new ParameterProblem(p.name(), List.of("name: a group parameter is " + groupsPath()
                            + "/<group>, <group> being letters, digits, '.', '_' or '-', at most 63"), Optional.empty()));
                }
            } else {
                problems.add(new ParameterProblem(p.name(), List.of("name: not a vipflip parameter (expected "
                        + settingsParameter() + " or " + groupsPath() + "/<group>)"), Optional.empty()));
            }
        }
        DeploymentConfig settings = running.map(Loaded::config).orElseGet(() -> settings(settingsDoc, problems));
        if (running.isPresent() && settingsDoc.isPresent()) {
            try {
                parser.parseSettings(settingsDoc.get().value());
            } catch (ConfigException e) {
                problems.add(new ParameterProblem(settingsDoc.get().name(), e.errors(), Optional.of("the settings loaded at cold start")));
            }
        }
        Map<String, GroupConfig> previous = running.map(r -> byName(r.config().groups())).orElse(Map.of());
        Map<String, ConfigParameter> previousSources = running.map(Loaded::sources).orElse(Map.of());
        // Running groups claim their VIPs first, so a new or changed group cannot take a VIP from a running one.
        List<String> order = new ArrayList<>(groupDocs.keySet());
        order.sort(Comparator.comparing((String g) -> !previous.containsKey(g)).thenComparing(g -> g));
        Map<String, String> vipOwners = new HashMap<>();
        List<GroupConfig> groups = new ArrayList<>();
        Map<String, ConfigParameter> sources = new LinkedHashMap<>();
        for (String name : order) {
            ConfigParameter doc = groupDocs.get(name);
            List<String> errors = new ArrayList<>();
            GroupConfig candidate = null;
            if (previousSources.containsKey(name) && sameWrite(previousSources.get(name), doc)) {
                candidate = previous.get(name); // unchanged: no need to parse it again
            } else {
                candidate = parse(name, doc, errors);
                if (candidate != null) {
                    errors.addAll(settings.timing().groupProblems(candidate, "", "leaseMillis (settings)"));
                }
            }
            if (candidate != null) {
                errors.addAll(vipConflicts(candidate, vipOwners));
            }
            if (errors.isEmpty()) {
                accept(candidate, doc, groups, sources, vipOwners);
                continue;
            }
            GroupConfig fallback = previous.get(name);
            if (fallback != null && vipConflicts(fallback, vipOwners).isEmpty()) {
                problems.add(new ParameterProblem(doc.name(), errors, Optional.of(previousSources.get(name).revision())));
                accept(fallback, previousSources.get(name), groups, sources, vipOwners);
            } else {
                problems.add(new ParameterProblem(doc.name(), errors, Optional.empty()));
            }
        }
        groups.sort(Comparator.comparing(GroupConfig::name));
        return new Loaded(new DeploymentConfig(groups, settings.lease(), settings.historyTtl(), settings.driftCheck(),
                settings.timing()),
                sources, problems);
    }

    /** Added, changed (a new valid document now running) and removed groups from {@code before} to {@code after}. */
    public static Change diff(Loaded before, Loaded after) {
        Map<String, GroupConfig> old = byName(before.config().groups());
        Map<String, GroupConfig> now = byName(after.config().groups());
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        now.forEach((name, group) -> {
            if (!old.containsKey(name)) {
                added.add(name);
            } else if (!old.get(name).equals(group)) {
                changed.add(name);
            }
        });
        List<String> removed = old.keySet().stream().filter(n -> !now.containsKey(n)).sorted().toList();
        return new Change(added.stream().sorted().toList(), changed.stream().sorted().toList(), removed);
    }

    private GroupConfig parse(String name, ConfigParameter doc, List<String> errors) {
        try {
            GroupConfig group = parser.parseGroup(doc.value());
            if (!group.name().equals(name)) {
                errors.add("name: must be '" + name + "', the last part of the parameter name (got '" + group.name() + "')");
                return null;
            }
            return group;
        } catch (ConfigException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    private DeploymentConfig settings(Optional<ConfigParameter> doc, List<ParameterProblem> problems) {
        if (doc.isPresent()) {
            try {
                return parser.parseSettings(doc.get().value());
            } catch (ConfigException e) {
                problems.add(new ParameterProblem(doc.get().name(), e.errors(), Optional.of("the default settings")));
            }
        }
        return Loaded.nothing().config();
    }

    private static List<String> vipConflicts(GroupConfig group, Map<String, String> vipOwners) {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < group.vips().size(); i++) {
            String owner = vipOwners.get(group.vips().get(i));
            if (owner != null && !owner.equals(group.name())) {
                errors.add("vips[" + i + "]: VIP '" + group.vips().get(i) + "' is already routed by group '" + owner + "'");
            }
        }
        return errors;
    }

    private static void accept(GroupConfig group, ConfigParameter source, List<GroupConfig> groups,
                               Map<String, ConfigParameter> sources, Map<String, String> vipOwners) {
        groups.add(group);
        sources.put(group.name(), source);
        group.vips().forEach(v -> vipOwners.put(v, group.name()));
    }

    private static boolean sameWrite(ConfigParameter a, ConfigParameter b) {
        return a.version() == b.version() && a.lastModified().equals(b.lastModified()) && a.value().equals(b.value());
    }

    private static Map<String, GroupConfig> byName(List<GroupConfig> groups) {
        Map<String, GroupConfig> map = new LinkedHashMap<>();
        groups.forEach(g -> map.put(g.name(), g));
        return map;
    }
}
