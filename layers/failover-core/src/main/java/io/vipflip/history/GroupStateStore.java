package io.vipflip.history;

import io.vipflip.lease.Lease;
import io.vipflip.policy.GroupState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The group's state item and history, written only under the lease. */
public interface GroupStateStore {

    GroupState read(String group);

    /** As {@link #read(String)}, the call (every attempt) ending by {@code deadline}; now is {@code now}. */
    default GroupState read(String group, Instant now, Instant deadline) {
        return read(group);
    }

    /**
     * Writes the new state and, if given, a history event, in one step that succeeds only while {@code lease} is
     * still held at {@code now}.
     *
     * @throws io.vipflip.lease.LeaseLostException when the lease was taken over; nothing is written
     */
    void record(Lease lease, Instant now, GroupState state, Optional<HistoryEvent> event);

    /**
     * As {@link #record(Lease, Instant, GroupState, Optional)}, the call (every attempt) ending by {@code deadline};
     * an implementation without calls may ignore it.
     */
    default void record(Lease lease, Instant now, GroupState state, Optional<HistoryEvent> event, Instant deadline) {
        record(lease, now, state, event);
    }

    /**
     * Appends a history event, unfenced, for a run whose routes changed (or may have) but whose lease was lost
     * before it could record: every route change must appear in history (issue 11). The state is not touched.
     */
    void recordAfterLeaseLost(HistoryEvent event);

    /** As {@link #recordAfterLeaseLost(HistoryEvent)}, the call ending by {@code deadline} (now is {@code now}). */
    default void recordAfterLeaseLost(HistoryEvent event, Instant now, Instant deadline) {
        recordAfterLeaseLost(event);
    }

    /**
     * Stores rise/fall counters for the next invocation. Advisory (not fenced): it touches only the health
     * attribute, and readers ignore counters older than a few probe intervals.
     */
    void handOver(String group, io.vipflip.health.GroupHealth health);

    /** The latest {@code limit} events, newest first. */
    List<HistoryEvent> history(String group, int limit);

    /** As {@link #history(String, int)}, the call ending by {@code deadline}; now is {@code now}. */
    default List<HistoryEvent> history(String group, int limit, Instant now, Instant deadline) {
        return history(group, limit);
    }
}
