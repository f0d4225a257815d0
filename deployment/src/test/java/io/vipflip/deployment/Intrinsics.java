package io.vipflip.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Evaluates the few intrinsic functions the template's configuration uses, for given parameters and conditions. */
final class Intrinsics {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");
    private final Map<String, Object> parameters;
    private final Map<String, Boolean> conditions;

    Intrinsics(Map<String, Object> parameters, Map<String, Boolean> conditions) {
        this.parameters = parameters;
        this.conditions = conditions;
    }

    @SuppressWarnings("unchecked")
    Object eval(Object node) {
        if (!(node instanceof Map<?, ?> map) || map.size() != 1) {
            return node;
        }
        String function = (String) map.keySet().iterator().next();
        Object argument = map.values().iterator().next();
        return switch (function) {
            case "Ref" -> {
                if (!parameters.containsKey(argument)) {
                    throw new IllegalArgumentException("no value for " + argument);
                }
                yield parameters.get(argument);
            }
            case "Fn::If" -> {
                List<Object> args = (List<Object>) argument;
                yield eval(conditions.get((String) args.get(0)) ? args.get(1) : args.get(2));
            }
            case "Fn::Join" -> {
                List<Object> args = (List<Object>) argument;
                List<String> parts = new ArrayList<>();
                for (Object part : (List<Object>) eval(args.get(1))) {
                    parts.add(String.valueOf(eval(part)));
                }
                yield String.join((String) eval(args.get(0)), parts);
            }
            case "Fn::Sub" -> {
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
                    Object value = variables.containsKey(name) ? eval(variables.get(name)) : parameters.get(name);
                    if (value == null) {
                        throw new IllegalArgumentException("no value for ${" + name + "}");
                    }
                    m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
                }
                m.appendTail(out);
                yield out.toString();
            }
            default -> throw new IllegalArgumentException("not evaluated here: " + function);
        };
    }
}
