package io.vipflip.orchestrator;

/** How a run ended, from the operator's point of view. */
public enum Outcome {
    /** Nothing needed changing. */
    NO_CHANGE,
    /** Every table now points at the new node. */
    FLIPPED,
    /** Drifted tables were pointed back at the active node. */
    REPAIRED,
    /** Some writes failed; the next run reconciles them. */
    PARTIAL,
    /** A rule forbade the change (damping, unhealthy target, confirmation failed). */
    REFUSED,
    /** No node is healthy; nothing was changed. */
    NO_HEALTHY_NODE,
    /** Automation is paused for the group. */
    PAUSED,
    /** Another run holds the lease; it does the work. */
    LEASE_BUSY,
    /** The lease was lost mid-run (expired and taken over); this run stopped writing. */
    LEASE_LOST,
    /** Not started: the invocation would end before a leased action could finish (issue 11). */
    NO_TIME,
    /** Dry run: the decision and the changes it would make, nothing written. */
    DRY_RUN,
    /** A state-only change (pause, resume, pin, a table leaving repair back-off) was recorded. */
    RECORDED,
    /** The AZ vantage points disagree about the active node or the target: nothing changed (issue 14). */
    PARTITION_SUSPECTED,
    /** Too few AZ vantage points answered in time to back a flip: nothing changed (issue 14). */
    TOO_FEW_VOTES;

    /** What was asked is not done (refused, nothing healthy, another run busy, partly written, no time left). */
    public boolean unfinished() {
        return switch (this) {
            case REFUSED, NO_HEALTHY_NODE, LEASE_BUSY, LEASE_LOST, PARTIAL, NO_TIME, PARTITION_SUSPECTED, TOO_FEW_VOTES -> true;
            default -> false;
        };
    }

    /** The outcome named {@code name} in an answer; empty for one this version does not know. */
    public static java.util.Optional<Outcome> named(String name) {
        return java.util.Arrays.stream(values()).filter(o -> o.name().equals(name)).findFirst();
    }
}
