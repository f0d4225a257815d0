package io.vipflip.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code routeTables} section of a group: explicit ids or a tag, optionally scoped to one VPC. */
final class RouteTablesParser {
    static final Set<String> TABLE_KEYS = Set.of("ids", "tag", "vpcId");
    static final Set<String> TAG_KEYS = Set.of("key", "value");

    private RouteTablesParser() {
    }

    static RouteTableSelector routeTables(JsonNode node, String path, List<String> errors) {
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
            ConfigParser.checkUnique(ids, id -> id, path, "ids", "route table id", errors);
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
}
