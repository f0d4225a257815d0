package io.vipflip.deployment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the template's intrinsic functions for given parameter values, as CloudFormation would: conditions
 * first, then Fn::If / Fn::Sub / Fn::Join / Fn::Split / Fn::Select and Ref, dropping {@code AWS::NoValue}.
 * A Ref or GetAtt of a resource evaluates to {@code ref:Name} / {@code getatt:Name.Attribute}, which is what the
 * tests compare against.
 */
final class Intrinsics {
    /** What {@code Ref: AWS::NoValue} evaluates to before the property holding it is removed. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");
    private final Map<String, Object> parameters;
    private final Map<String, Boolean> conditions;

    Intrinsics(Map<String, Object> parameters, Map<String, Boolean> conditions) {
        this.parameters = parameters;
        this.conditions = conditions;
    }

    /** Parameter values: the template's defaults, overridden by {@code values}, plus the pseudo parameters. */
    @SuppressWarnings("unchecked")
    static Intrinsics forTemplate(Map<String, Object> template, Map<String, Object> values) {
        Map<String, Object> parameters = new HashMap<>();
        ((Map<String, Object>) template.get("Parameters")).forEach((name, definition) -> {
            Object fallback = ((Map<?, ?>) definition).get("Default");
            String type = String.valueOf(((Map<?, ?>) definition).get("Type"));
            String text = fallback == null ? "" : String.valueOf(fallback);
            parameters.put(name, type.startsWith("List<") || type.equals("CommaDelimitedList")
                    ? List.of(text.split(",", -1)) : text);
        });
        parameters.put("AWS::Region", "eu-west-1");
        parameters.put("AWS::AccountId", "123456789012");
        parameters.put("AWS::Partition", "aws");
        parameters.put("AWS::StackName", "vipflip-prod");
        parameters.put("AWS::URLSuffix", "amazonaws.com");
        parameters.putAll(values);
        Map<String, Object> definitions = (Map<String, Object>) template.get("Conditions");
        Map<String, Boolean> conditions = new HashMap<>();
        Intrinsics evaluator = new Intrinsics(parameters, conditions);
        definitions.keySet().forEach(name -> evaluator.condition(name, definitions));
        return evaluator;
    }

    boolean condition(String name) {
        Boolean value = conditions.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return value;
    }

    private boolean condition(String name, Map<String, Object> definitions) {
        if (!conditions.containsKey(name)) {
            if (!definitions.containsKey(name)) {
                throw new IllegalArgumentException("no condition " + name);
            }
            conditions.put(name, bool(definitions.get(name), definitions));
        }
        return conditions.get(name);
    }

    @SuppressWarnings("unchecked")
    private boolean bool(Object node, Map<String, Object> definitions) {
        Map<String, Object> map = (Map<String, Object>) node;
        String function = map.keySet().iterator().next();
        Object argument = map.get(function);
        return switch (function) {
            case "Condition" -> condition((String) argument, definitions);
            case "Fn::Equals" -> {
                List<Object> args = (List<Object>) argument;
                yield String.valueOf(eval(args.get(0))).equals(String.valueOf(eval(args.get(1))));
            }
            case "Fn::Not" -> !bool(((List<Object>) argument).getFirst(), definitions);
            case "Fn::And" -> ((List<Object>) argument).stream().allMatch(a -> bool(a, definitions));
            case "Fn::Or" -> ((List<Object>) argument).stream().anyMatch(a -> bool(a, definitions));
            // A rule function (Rules only): true when the string is one of the list's values.
            case "Fn::Contains" -> {
                List<Object> args = (List<Object>) argument;
                yield ((List<Object>) eval(args.get(0))).stream().map(String::valueOf)
                        .anyMatch(String.valueOf(eval(args.get(1)))::equals);
            }
            default -> throw new IllegalArgumentException("not a condition function: " + function);
        };
    }

    /** Evaluates a rule's condition or assertion (the Rules section's functions). */
    boolean rule(Object expression) {
        return bool(expression, Map.of());
    }

    /** Evaluates {@code node} deeply; maps and lists lose their {@code AWS::NoValue} members. */
    @SuppressWarnings("unchecked")
    Object eval(Object node) {
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                Object value = eval(item);
                if (value != NO_VALUE) {
                    out.add(value);
                }
            }
            return out;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        if (map.size() != 1 || !isFunction((String) map.keySet().iterator().next())) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                Object evaluated = eval(value);
                if (evaluated != NO_VALUE) {
                    out.put((String) key, evaluated);
                }
            });
            return out;
        }
        String function = (String) map.keySet().iterator().next();
        Object argument = map.values().iterator().next();
        return switch (function) {
            case "Ref" -> {
                String name = (String) argument;
                if (name.equals("AWS::NoValue")) {
                    yield NO_VALUE;
                }
                yield parameters.containsKey(name) ? parameters.get(name) : "ref:" + name;
            }
            case "Fn::GetAtt" -> {
                List<Object> args = (List<Object>) argument;
                yield "getatt:" + args.get(0) + "." + args.get(1);
            }
            case "Fn::If" -> {
                List<Object> args = (List<Object>) argument;
                yield eval(condition((String) args.get(0)) ? args.get(1) : args.get(2));
            }
            case "Fn::Join" -> {
                List<Object> args = (List<Object>) argument;
                List<String> parts = new ArrayList<>();
                for (Object part : (List<Object>) eval(args.get(1))) {
                    parts.add(String.valueOf(part));
                }
                yield String.join((String) args.get(0), parts);
            }
            case "Fn::Split" -> {
                List<Object> args = (List<Object>) argument;
                yield List.of(((String) eval(args.get(1))).split(Pattern.quote((String) args.get(0)), -1));
            }
            case "Fn::Select" -> {
                List<Object> args = (List<Object>) argument;
                yield ((List<Object>) eval(args.get(1))).get(Integer.parseInt(String.valueOf(eval(args.get(0)))));
            }
            case "Fn::Sub" -> sub(argument);
            default -> throw new IllegalArgumentException("not evaluated here: " + function);
        };
    }

    @SuppressWarnings("unchecked")
    private String sub(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> args) {
            text = (String) args.get(0);
            variables = (Map<String, Object>) args.get(1);
        } else {
            text = (String) argument;
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object value;
            if (variables.containsKey(name)) {
                value = eval(variables.get(name));
            } else if (parameters.containsKey(name)) {
                value = parameters.get(name);
            } else if (name.contains(".")) {
                value = "getatt:" + name;
            } else {
                value = "ref:" + name;
            }
            if (value instanceof List<?> list) {
                value = String.join(",", list.stream().map(String::valueOf).toList());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean isFunction(String key) {
        return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
    }
}
