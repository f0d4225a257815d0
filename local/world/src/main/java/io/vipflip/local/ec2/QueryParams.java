package io.vipflip.local.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The form parameters of an EC2 Query request, with EC2's list conventions (Name.1, Filter.1.Value.1). */
final class QueryParams {
    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    static QueryParams parse(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.put(key, value);
            }
        }
        return new QueryParams(values);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw Ec2Error.missing(name);
        }
        return value;
    }

    /** Values of {@code prefix.1}, {@code prefix.2}, … in order. */
    List<String> list(String prefix) {
        List<String> list = new ArrayList<>();
        for (int i = 1; values.containsKey(prefix + "." + i); i++) {
            list.add(values.get(prefix + "." + i));
        }
        return list;
    }

    /** Filter.N.Name / Filter.N.Value.M as name → values. */
    Map<String, List<String>> filters() {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (int i = 1; values.containsKey("Filter." + i + ".Name"); i++) {
            filters.put(values.get("Filter." + i + ".Name"), list("Filter." + i + ".Value"));
        }
        return filters;
    }
}
