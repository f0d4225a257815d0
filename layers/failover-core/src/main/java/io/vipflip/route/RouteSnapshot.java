package io.vipflip.route;

import java.util.List;
import java.util.Optional;

/**
 * Where the group's VIPs point in every route table, as read by one DescribeRouteTables.
 *
 * @param routes        one entry per (table, VIP), missing routes included
 * @param absentTables  configured table ids that EC2 did not return (deleted, or a typo)
 */
public record RouteSnapshot(List<VipRoute> routes, List<String> absentTables) {
    public RouteSnapshot {
        routes = List.copyOf(routes);
        absentTables = List.copyOf(absentTables);
    }

    public List<String> tableIds() {
        return routes.stream().map(VipRoute::tableId).distinct().toList();
    }

    public Optional<VipRoute> route(String tableId, String vip) {
        return routes.stream().filter(r -> r.tableId().equals(tableId) && r.vip().equals(vip)).findFirst();
    }

    /** True when every route of the snapshot is active on {@code eni}. */
    public boolean allActiveOn(String eni) {
        return !routes.isEmpty() && routes.stream().allMatch(r -> r.activeOn(eni));
    }
}
