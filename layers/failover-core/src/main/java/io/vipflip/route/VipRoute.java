package io.vipflip.route;

import java.util.Optional;

/**
 * The VIP's route in one table.
 *
 * @param eniId       the target network interface, when the route points at one
 * @param otherTarget any other target (gateway, instance without ENI, …), described for operators
 */
public record VipRoute(String tableId, String vip, RouteStatus status, Optional<String> eniId,
                       Optional<String> otherTarget) {

    public static VipRoute missing(String tableId, String vip) {
        return new VipRoute(tableId, vip, RouteStatus.MISSING, Optional.empty(), Optional.empty());
    }

    public static VipRoute toEni(String tableId, String vip, RouteStatus status, String eniId) {
        return new VipRoute(tableId, vip, status, Optional.of(eniId), Optional.empty());
    }

    /** True when traffic for the VIP in this table reaches {@code eni}. */
    public boolean activeOn(String eni) {
        return status == RouteStatus.ACTIVE && eniId.filter(eni::equals).isPresent();
    }

    public String describeTarget() {
        return switch (status) {
            case MISSING -> "missing";
            case ACTIVE, BLACKHOLE -> eniId.or(() -> otherTarget).orElse("?")
                    + (status == RouteStatus.BLACKHOLE ? " (blackhole)" : "");
        };
    }
}
