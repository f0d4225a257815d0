package io.vipflip.policy;

import java.util.Arrays;
import java.util.Optional;

/** What a {@link Decision} is, for history, metrics and answers; {@link #wire()} is the stored and shown name. */
public enum DecisionKind {
    NO_OP("noop"),
    FLIP("flip"),
    REPAIR("repair"),
    NO_HEALTHY_NODE("no-healthy-node"),
    PAUSED("paused"),
    REFUSED("refused"),
    BACKOFF_ENDED("backoff-ended"),
    /** The AZ vantage points disagree (issue 14). */
    PARTITION_SUSPECTED("partition-suspected"),
    /** Too few AZ vantage points answered in time (issue 14). */
    TOO_FEW_VOTES("too-few-votes");

    private final String wire;

    DecisionKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The kind stored as {@code value}; empty for a value this version does not know (written by a newer one). */
    public static Optional<DecisionKind> fromWire(String value) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(value)).findFirst();
    }
}
