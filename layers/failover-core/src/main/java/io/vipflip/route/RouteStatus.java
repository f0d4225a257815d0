package io.vipflip.route;

/** What a route table says about one VIP: routed and usable, routed to a stopped target, or not routed. */
public enum RouteStatus {
    ACTIVE, BLACKHOLE, MISSING
}
