package io.vipflip.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.config.GroupConfig;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An operator's request to the manual function, validated against the configuration before anything runs:
 * {@code {"action": "failover", "group": "web", "target": "haproxy-b", "reason": "…", "force": false, "dryRun": false}}.
 */
public record ManualRequest(Action action, String group, Optional<String> target, String reason, boolean force,
                            boolean dryRun) {

    public enum Action { STATUS, FAILOVER, FAILBACK, RECONCILE, PAUSE, RESUME }

    /** Requests are small; anything bigger is refused unread (issue 6: bounded manual requests). */
    public static final int MAX_BYTES = 8 * 1024;
    static final int MAX_REASON = 256;
    private static final Set<String> KEYS = Set.of("action", "group", "target", "reason", "force", "dryRun");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ManualRequest parse(byte[] body, DeploymentConfig config) {
        if (body.length > MAX_BYTES) {
            throw new InvalidRequestException("request", "is " + body.length + " bytes; the limit is " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequestException("request", "is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("request", "must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!KEYS.contains(key)) {
                throw new InvalidRequestException(clip(key), "unknown field (allowed: action, dryRun, force, group, reason, target)");
            }
        }
        Action action = action(root);
        GroupConfig group = group(root, config);
        Optional<String> target = text(root, "target", 64);
        if (action == Action.FAILOVER) {
            String name = target.orElseThrow(() -> new InvalidRequestException("target", "is required for failover"));
            if (group.node(name).isEmpty()) {
                throw new InvalidRequestException("target", "unknown node '" + name + "' in group '" + group.name()
                        + "' (nodes: " + String.join(", ", group.nodes().stream().map(n -> n.name()).toList()) + ")");
            }
        } else if (target.isPresent()) {
            throw new InvalidRequestException("target", "is only accepted by the failover action");
        }
        Optional<String> reason = text(root, "reason", MAX_REASON);
        if (reason.isEmpty() && (action == Action.FAILOVER || action == Action.PAUSE)) {
            throw new InvalidRequestException("reason", "is required for " + action.name().toLowerCase(Locale.ROOT)
                    + " (it goes into the history and the notification)");
        }
        boolean force = bool(root, "force");
        if (force && action != Action.FAILOVER) {
            throw new InvalidRequestException("force", "is only accepted by the failover action");
        }
        return new ManualRequest(action, group.name(), target,
                reason.orElse("manual " + action.name().toLowerCase(Locale.ROOT)), force, bool(root, "dryRun"));
    }

    private static Action action(JsonNode root) {
        String text = text(root, "action", 16).orElseThrow(() -> new InvalidRequestException("action",
                "is required (status, failover, failback, reconcile, pause or resume)"));
        try {
            return Action.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("action", "unknown action '" + text
                    + "' (status, failover, failback, reconcile, pause or resume)");
        }
    }

    private static GroupConfig group(JsonNode root, DeploymentConfig config) {
        String name = text(root, "group", 64).orElseThrow(() -> new InvalidRequestException("group", "is required"));
        return config.group(name).orElseThrow(() -> new InvalidRequestException("group", "unknown group '" + name
                + "' (groups: " + String.join(", ", config.groups().stream().map(GroupConfig::name).toList()) + ")"));
    }

    private static Optional<String> text(JsonNode root, String field, int maxLength) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, "must be a string");
        }
        String text = value.textValue();
        if (text.isBlank()) {
            throw new InvalidRequestException(field, "must not be blank");
        }
        if (text.length() > maxLength) {
            throw new InvalidRequestException(field, "is longer than " + maxLength + " characters");
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new InvalidRequestException(field, "must not contain control characters");
        }
        return Optional.of(text);
    }

    private static boolean bool(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidRequestException(field, "must be true or false");
        }
        return value.booleanValue();
    }

    /** An unknown key echoed in an error is cut short: error messages must not carry payloads of unknown size. */
    private static String clip(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "…";
    }
}
