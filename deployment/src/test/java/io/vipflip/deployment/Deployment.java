package io.vipflip.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** template.yaml as CloudFormation would create it for given parameter values: conditions applied, intrinsics evaluated. */
final class Deployment {
    /** Parameters every mode needs (the template has no defaults for them). */
    static final Map<String, Object> REQUIRED = Map.of(
            "VpcId", "vpc-0123456789abcdef0",
            "SubnetIds", List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"),
            "NodeAInstanceId", "i-0aaaaaaaaaaaaaaa1",
            "NodeBInstanceId", "i-0bbbbbbbbbbbbbbb2");

    final Intrinsics intrinsics;
    private final Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
    private final Map<String, Object> globals;

    @SuppressWarnings("unchecked")
    private Deployment(Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>(REQUIRED);
        all.putAll(values);
        intrinsics = Intrinsics.forTemplate(TemplateTest.TEMPLATE, all);
        TemplateTest.section("Resources").forEach((name, resource) -> {
            Map<String, Object> r = (Map<String, Object>) resource;
            Object condition = r.get("Condition");
            if (condition == null || intrinsics.condition((String) condition)) {
                resources.put(name, (Map<String, Object>) intrinsics.eval(r));
            }
        });
        globals = (Map<String, Object>) intrinsics.eval(((Map<String, Object>) TemplateTest.section("Globals")).get("Function"));
    }

    static Deployment of(Map<String, Object> values) {
        return new Deployment(values);
    }

    static Deployment defaults() {
        return new Deployment(Map.of());
    }

    /** The Rules whose assertions fail for these parameters: CloudFormation would refuse to create the stack. */
    @SuppressWarnings("unchecked")
    List<String> failedRules() {
        List<String> failed = new ArrayList<>();
        TemplateTest.section("Rules").forEach((name, definition) -> {
            Map<String, Object> rule = (Map<String, Object>) definition;
            Object condition = rule.get("RuleCondition");
            if (condition == null || intrinsics.rule(condition)) {
                for (Object assertion : (List<Object>) rule.get("Assertions")) {
                    if (!intrinsics.rule(((Map<String, Object>) assertion).get("Assert"))) {
                        failed.add(name);
                        break;
                    }
                }
            }
        });
        return failed;
    }

    boolean has(String resource) {
        return resources.containsKey(resource);
    }

    Map<String, Map<String, Object>> resources() {
        return resources;
    }

    List<String> resourcesOfType(String type) {
        return resources.entrySet().stream().filter(e -> type.equals(e.getValue().get("Type"))).map(Map.Entry::getKey).toList();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String resource) {
        Map<String, Object> r = resources.get(resource);
        if (r == null) {
            throw new AssertionError(resource + " is not created with these parameters");
        }
        return (Map<String, Object>) r.getOrDefault("Properties", Map.of());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> environment() {
        return (Map<String, Object>) ((Map<String, Object>) globals.get("Environment")).get("Variables");
    }

    /** Every statement of the functions' role, with its policy name under "Policy". */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> statements() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object policy : (List<Object>) properties("OrchestratorRole").get("Policies")) {
            Map<String, Object> p = (Map<String, Object>) policy;
            for (Object statement : (List<Object>) ((Map<String, Object>) p.get("PolicyDocument")).get("Statement")) {
                Map<String, Object> s = new LinkedHashMap<>((Map<String, Object>) statement);
                s.put("Policy", p.get("PolicyName"));
                out.add(s);
            }
        }
        return out;
    }

    /** Statements allowing {@code action}. */
    List<Map<String, Object>> allowing(String action) {
        return statements().stream().filter(s -> actions(s).contains(action)).toList();
    }

    static List<String> actions(Map<String, Object> statement) {
        Object actions = statement.get("Action");
        return actions instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(actions));
    }

    static List<String> resourcesOf(Map<String, Object> statement) {
        Object resource = statement.get("Resource");
        return resource instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(resource));
    }
}
