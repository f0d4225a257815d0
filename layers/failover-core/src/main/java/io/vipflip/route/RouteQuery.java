package io.vipflip.route;

import io.vipflip.config.RouteTableSelector;
import java.util.List;

/** One group's part of a read of many groups: which tables, and which VIPs in them. */
public record RouteQuery(RouteTableSelector tables, List<String> vips) {
    public RouteQuery {
        vips = List.copyOf(vips);
    }
}
