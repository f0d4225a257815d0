package io.vipflip.health;

import java.time.Instant;

/** A change of a node's health state, with the reason, for logs and history. */
public record HealthTransition(String node, HealthState from, HealthState to, Instant at, String why) {

    /** The transitions health may take; anything else is a bug in the caller. */
    static boolean allowed(HealthState from, HealthState to) {
        return switch (from) {
            case UNKNOWN -> to == HealthState.UP || to == HealthState.DOWN;
            case UP -> to == HealthState.DOWN || to == HealthState.UNKNOWN;
            case DOWN -> to == HealthState.UP || to == HealthState.UNKNOWN;
        };
    }

    public HealthTransition {
        if (!allowed(from, to)) {
            throw new IllegalHealthTransitionException(node, from, to);
        }
    }

    public static final class IllegalHealthTransitionException extends IllegalStateException {
        public IllegalHealthTransitionException(String node, HealthState from, HealthState to) {
            super("node " + node + ": illegal health transition " + from + " -> " + to);
        }
    }
}
