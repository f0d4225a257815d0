package io.vipflip.config;

import java.util.List;
import java.util.Optional;

/**
 * Which route tables carry the group's VIP routes: an explicit list of ids, or every table carrying a tag.
 * Exactly one of the two is set (see docs/decisions.md: one DescribeRouteTables per read). {@code vpcId}, when
 * set, limits the tables to that VPC, so a tag can never discover another VPC's (or another stack's) tables.
 */
public record RouteTableSelector(List<String> ids, Optional<Tag> tag, Optional<String> vpcId) {
    public RouteTableSelector {
        ids = List.copyOf(ids);
    }

    public RouteTableSelector(List<String> ids, Optional<Tag> tag) {
        this(ids, tag, Optional.empty());
    }

    public static RouteTableSelector ofIds(List<String> ids) {
        return new RouteTableSelector(ids, Optional.empty());
    }

    public static RouteTableSelector ofTag(String key, String value) {
        return new RouteTableSelector(List.of(), Optional.of(new Tag(key, value)));
    }

    /** The same selection, limited to the tables of {@code vpc}. */
    public RouteTableSelector inVpc(String vpc) {
        return new RouteTableSelector(ids, tag, Optional.of(vpc));
    }

    /** A tag filter; an empty value matches any table that has the key. */
    public record Tag(String key, String value) {
    }
}
