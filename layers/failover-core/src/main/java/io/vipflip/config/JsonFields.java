package io.vipflip.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, path-aware reads from one JSON object. Problems are appended to a shared list instead of thrown,
 * so a document's errors are all reported at once.
 */
final class JsonFields {
    private final JsonNode node;
    private final String path;
    private final List<String> errors;

    private JsonFields(JsonNode node, String path, List<String> errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    /** Reads {@code node} as an object with exactly the {@code allowed} keys; an empty reader when it is not one. */
    static JsonFields object(JsonNode node, String path, List<String> errors, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            errors.add(describe(path) + "must be a JSON object");
            return new JsonFields(null, path, errors);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!allowed.contains(key)) {
                errors.add(join(path, key) + ": unknown key (allowed: " + String.join(", ", sorted(allowed)) + ")");
            }
        }
        return new JsonFields(node, path, errors);
    }

    String path(String key) {
        return join(path, key);
    }

    boolean has(String key) {
        return node != null && node.has(key) && !node.get(key).isNull();
    }

    void error(String key, String message) {
        errors.add(path(key) + ": " + message);
    }

    String requiredString(String key) {
        if (node == null) {
            return null;
        }
        if (!has(key)) {
            error(key, "is required");
            return null;
        }
        return string(node.get(key), path(key));
    }

    Optional<String> optionalString(String key) {
        return has(key) ? Optional.ofNullable(string(node.get(key), path(key))) : Optional.empty();
    }

    /** An integer within [min, max]; the default when absent, null when present but invalid. */
    Integer intInRange(String key, int defaultValue, long min, long max) {
        if (!has(key)) {
            return node == null ? null : defaultValue;
        }
        return integer(node.get(key), path(key), min, max);
    }

    boolean bool(String key, boolean defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode value = node.get(key);
        if (!value.isBoolean()) {
            error(key, "must be true or false");
            return defaultValue;
        }
        return value.booleanValue();
    }

    /** The elements of a non-empty array, visited with their own paths. */
    void requiredArray(String key, String what, ElementVisitor visitor) {
        if (node == null) {
            return;
        }
        if (!has(key)) {
            error(key, "is required (at least one " + what + ")");
            return;
        }
        JsonNode array = node.get(key);
        if (!array.isArray()) {
            error(key, "must be an array of " + what + "s");
            return;
        }
        if (array.isEmpty()) {
            error(key, "must hold at least one " + what);
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            visitor.visit(array.get(i), path(key) + "[" + i + "]");
        }
    }

    JsonNode get(String key) {
        return node == null ? null : node.get(key);
    }

    String string(JsonNode value, String at) {
        if (!value.isTextual()) {
            errors.add(at + ": must be a string");
            return null;
        }
        String text = value.textValue();
        if (text.isBlank()) {
            errors.add(at + ": must not be blank");
            return null;
        }
        if (text.length() > 256) {
            errors.add(at + ": is longer than 256 characters");
            return null;
        }
        return text;
    }

    Integer integer(JsonNode value, String at, long min, long max) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            errors.add(at + ": must be an integer");
            return null;
        }
        long number = value.longValue();
        if (number < min || number > max) {
            errors.add(at + ": must be between " + min + " and " + max + " (got " + number + ")");
            return null;
        }
        return (int) number;
    }

    @FunctionalInterface
    interface ElementVisitor {
        void visit(JsonNode element, String path);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(String path) {
        return path.isEmpty() ? "document: " : path + ": ";
    }

    private static List<String> sorted(Set<String> keys) {
        List<String> list = new ArrayList<>(keys);
        list.sort(null);
        return list;
    }
}
