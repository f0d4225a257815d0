package io.vipflip.history;

import io.vipflip.policy.HistoryKind;
import io.vipflip.route.RouteWriteOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of a group's history: a flip, repair, refusal, pause or resume, with who/what caused it.
 *
 * @param kind        what the entry records (stored and shown by its wire name: flip, repair, refused, …)
 * @param trigger     schedule, alarm:&lt;name&gt;, instance:&lt;id&gt;:&lt;state&gt;, manual:&lt;action&gt;
 * @param outcomes    one per route written, with EC2's error for a failed one
 * @param timingsMillis detection, lease, writes, verify, total
 */
public record HistoryEvent(String group, Instant at, long token, HistoryKind kind, String trigger,
                           Optional<String> from, Optional<String> to, String reason,
                           List<RouteWriteOutcome> outcomes, Map<String, Long> timingsMillis) {
    public HistoryEvent {
        outcomes = List.copyOf(outcomes);
        timingsMillis = Map.copyOf(timingsMillis);
    }

    /** Suffix of the reason of an event recorded after its run's lease was lost (see {@link #afterLeaseLost}). */
    public static final String AFTER_LEASE_LOST = " [recorded after the lease was lost: the state was not updated]";

    /** This event, marked as recorded without the lease: its route changes happened, its state change did not. */
    public HistoryEvent afterLeaseLost() {
        return new HistoryEvent(group, at, token, kind, trigger, from, to, reason + AFTER_LEASE_LOST, outcomes,
                timingsMillis);
    }

    public boolean allWritesSucceeded() {
        return outcomes.stream().allMatch(RouteWriteOutcome::succeeded);
    }
}
