package io.vipflip.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * What a history entry records. {@link #wire()} is the value stored in DynamoDB and shown by the CLI (the names
 * earlier versions wrote); a value this version does not know reads as {@link #UNKNOWN} rather than failing.
 */
public enum HistoryKind {
    FLIP("flip"),
    REPAIR("repair"),
    REFUSED("refused"),
    NO_HEALTHY_NODE("no-healthy-node"),
    /** A table left its repair back-off without a write: it points at the active node again. */
    BACKOFF_ENDED("backoff-ended"),
    PAUSED("paused"),
    RESUMED("resumed"),
    /** An operator's failover found every table on the target already: only the pin was recorded. */
    PINNED("pinned"),
    /** An operator's failback found every table on the preferred node already: only the pin was cleared. */
    UNPINNED("unpinned"),
    /** An automatic flip the AZ vantage points did not back: they disagree (issue 14). */
    PARTITION_SUSPECTED("partition-suspected"),
    /** An automatic flip not made: too few AZ vantage points answered in time (issue 14). */
    TOO_FEW_VOTES("too-few-votes"),
    GROUP_ADDED("group-added"),
    GROUP_CHANGED("group-changed"),
    GROUP_REMOVED("group-removed"),
    UNKNOWN("unknown");

    private final String wire;

    HistoryKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static HistoryKind fromWire(String value) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(value)).findFirst().orElse(UNKNOWN);
    }

}
