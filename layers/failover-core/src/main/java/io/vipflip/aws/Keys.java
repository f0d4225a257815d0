package io.vipflip.aws;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The item keys of the vipflip table (docs/architecture.md: one table, pk + sk), shared by the lease and the state/history stores. */
public final class Keys {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String TTL = "ttl";
    public static final String LEASE_SK = "lease";
    public static final String STATE_SK = "state";
    public static final String EVENT_PREFIX = "event#";

    private Keys() {
    }

    public static String groupPk(String group) {
        return "group#" + group;
    }

    public static Map<String, AttributeValue> key(String group, String sk) {
        return Map.of(PK, s(groupPk(group)), SK, s(sk));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
