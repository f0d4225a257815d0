package io.vipflip.route;

/** One route to point at {@code targetEni}: a ReplaceRoute, or a CreateRoute when {@code before} is missing. */
public record RouteChange(String tableId, String vip, String targetEni, VipRoute before) {
}
