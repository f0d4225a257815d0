package io.vipflip.vantage;

/** One port as one vantage point saw it, with how long the check took and why it failed (empty when UP). */
public record PortSeen(int port, PortState state, long millis, String detail) {
}
