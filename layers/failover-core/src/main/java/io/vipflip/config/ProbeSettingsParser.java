package io.vipflip.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.vipflip.probe.HttpCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code probe} section of a group (HAProxy's inter/fastinter/downinter, fall, rise, the HTTP check). */
final class ProbeSettingsParser {
    static final Set<String> PROBE_KEYS = Set.of("ports", "timeoutMillis", "intervalMillis", "fastIntervalMillis",
            "downIntervalMillis", "fall", "rise", "watch", "http");
    static final Set<String> HTTP_KEYS = Set.of("path", "port", "expectStatus");
    private static final Pattern HTTP_PATH = Pattern.compile("/[\\x21-\\x7e]{0,1023}");
    private static final Pattern STATUS_RANGE = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");

    private ProbeSettingsParser() {
    }

    static ProbeSettings probe(JsonNode node, String path, List<String> errors) {
        if (node == null) {
            Duration interval = Duration.ofMillis(ProbeSettings.DEFAULT_INTERVAL_MILLIS);
            return new ProbeSettings(List.of(80), Duration.ofMillis(ProbeSettings.DEFAULT_TIMEOUT_MILLIS), interval,
                    Duration.ofMillis(ProbeSettings.DEFAULT_FAST_INTERVAL_MILLIS), interval,
                    ProbeSettings.DEFAULT_FALL, ProbeSettings.DEFAULT_RISE, true, Optional.empty());
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
            ConfigParser.checkUnique(ports, p -> p, path, "ports", "port", errors);
        } else {
            ports.add(80);
        }
        Integer timeout = fields.intInRange("timeoutMillis", ProbeSettings.DEFAULT_TIMEOUT_MILLIS, 1, 10_000);
        Integer interval = fields.intInRange("intervalMillis", ProbeSettings.DEFAULT_INTERVAL_MILLIS, 250, 60_000);
        // HAProxy defaults fastinter and downinter to inter; vipflip defaults fastinter lower so that the shipped
        // configuration detects a dead node fast (docs/decisions.md, adaptive probing).
        Integer fast = fields.intInRange("fastIntervalMillis", ProbeSettings.DEFAULT_FAST_INTERVAL_MILLIS, 50, 60_000);
        Integer down = fields.intInRange("downIntervalMillis", interval == null ? 250 : interval, 250, 60_000);
        Integer fall = fields.intInRange("fall", ProbeSettings.DEFAULT_FALL, 1, 100);
        Integer rise = fields.intInRange("rise", ProbeSettings.DEFAULT_RISE, 1, 100);
        if (timeout != null && interval != null && timeout >= interval) {
            fields.error("timeoutMillis", "must be shorter than intervalMillis (" + interval + ")");
        }
        if (fast != null && interval != null && fast > interval) {
            fields.error("fastIntervalMillis", "must not exceed intervalMillis (" + interval + "): it is the interval "
                    + "used while a node is changing state");
        }
        Optional<HttpCheck> http = fields.has("http")
                ? httpCheck(fields.get("http"), fields.path("http"), ports, errors) : Optional.empty();
        return new ProbeSettings(ports, Duration.ofMillis(timeout == null ? 1 : timeout),
                Duration.ofMillis(interval == null ? 1 : interval), Duration.ofMillis(fast == null ? 1 : fast),
                Duration.ofMillis(down == null ? 1 : down), fall == null ? 1 : fall, rise == null ? 1 : rise,
                fields.bool("watch", true), http);
    }

    private static Optional<HttpCheck> httpCheck(JsonNode node, String path, List<Integer> ports, List<String> errors) {
        JsonFields fields = JsonFields.object(node, path, errors, HTTP_KEYS);
        String checkPath = fields.requiredString("path");
        if (checkPath != null && !HTTP_PATH.matcher(checkPath).matches()) {
            fields.error("path", "must start with '/' and hold only printable characters without spaces, at most "
                    + "1024 (got '" + checkPath + "')");
            checkPath = null;
        }
        Integer port = fields.intInRange("port", ports.isEmpty() ? 80 : ports.getFirst(), 1, 65_535);
        if (port != null && !ports.isEmpty() && !ports.contains(port)) {
            fields.error("port", "must be one of the probe ports " + ports + " (got " + port + ")");
            port = null;
        }
        String statuses = fields.optionalString("expectStatus").orElse(HttpCheck.DEFAULT_STATUSES);
        List<HttpCheck.StatusRange> accepted = statusRanges(statuses);
        if (accepted.isEmpty()) {
            fields.error("expectStatus", "must be statuses or ranges between 100 and 599, e.g. \"200\" or "
                    + "\"200-299,302\" (got '" + statuses + "')");
        }
        if (checkPath == null || port == null || accepted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HttpCheck(checkPath, port, accepted));
    }

    /** "200", "200-399", "200,204,300-302"; empty when any part is not a status or range within 100-599. */
    static List<HttpCheck.StatusRange> statusRanges(String text) {
        List<HttpCheck.StatusRange> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            java.util.regex.Matcher m = STATUS_RANGE.matcher(part.trim());
            if (!m.matches()) {
                return List.of();
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (from < 100 || to > 599 || from > to) {
                return List.of();
            }
            ranges.add(new HttpCheck.StatusRange(from, to));
        }
        return ranges;
    }
}
