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
    /** A state-only change (pause, resume, pin) was recorded. */
    RECORDED,
    /** The AZ vantage points disagree about the active node or the target: nothing changed (issue 14). */
    PARTITION_SUSPECTED,
    /** Too few AZ vantage points answered in time to back a flip: nothing changed (issue 14). */
    TOO_FEW_VOTES
}
