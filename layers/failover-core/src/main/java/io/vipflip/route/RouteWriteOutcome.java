package io.vipflip.route;

import java.time.Duration;
import java.util.Optional;

/**
 * What happened to one route write.
 *
 * @param action        the EC2 action that finally ran (ReplaceRoute or CreateRoute, after any fallback)
 * @param error         EC2's error code and message when the write failed; the table is left for the next run
 * @param mayHaveLanded the SDK stopped waiting (the lease's write bound, a broken connection) after the request
 *                      may have been sent: EC2 may still apply it, so the lease is kept until it expires
 * @param sent          false when the request never went to EC2 (the lease's write window had ended): EC2 neither
 *                      applied nor refused it, so it says nothing about the table
 * @param throttled     EC2 answered RequestLimitExceeded to the last request and no earlier one may have landed: the
 *                      write was not applied and is not a refusal of the table (no repair back-off)
 */
public record RouteWriteOutcome(String tableId, String vip, String targetEni, String action, boolean succeeded,
                                Optional<String> error, Duration took, boolean mayHaveLanded, boolean sent,
                                boolean throttled) {

    public RouteWriteOutcome(String tableId, String vip, String targetEni, String action, boolean succeeded,
                             Optional<String> error, Duration took, boolean mayHaveLanded, boolean sent) {
        this(tableId, vip, targetEni, action, succeeded, error, took, mayHaveLanded, sent, false);
    }

    public RouteWriteOutcome(String tableId, String vip, String targetEni, String action, boolean succeeded,
                             Optional<String> error, Duration took, boolean mayHaveLanded) {
        this(tableId, vip, targetEni, action, succeeded, error, took, mayHaveLanded, true);
    }

    public RouteWriteOutcome(String tableId, String vip, String targetEni, String action, boolean succeeded,
                             Optional<String> error, Duration took) {
        this(tableId, vip, targetEni, action, succeeded, error, took, false);
    }

    public static RouteWriteOutcome ok(RouteChange change, String action, Duration took) {
        return new RouteWriteOutcome(change.tableId(), change.vip(), change.targetEni(), action, true,
                Optional.empty(), took, false);
    }

    public static RouteWriteOutcome failed(RouteChange change, String action, String error, Duration took) {
        return new RouteWriteOutcome(change.tableId(), change.vip(), change.targetEni(), action, false,
                Optional.of(error), took, false);
    }

    /** Never sent: the lease's write window had ended before the request could go to EC2. */
    public static RouteWriteOutcome notSent(RouteChange change, String action, Duration took) {
        return new RouteWriteOutcome(change.tableId(), change.vip(), change.targetEni(), action, false,
                Optional.of("not sent: the lease's write window had ended"), took, false, false);
    }

    /** EC2 throttled the request (RequestLimitExceeded): nothing was applied; worth sending again after a pause. */
    public static RouteWriteOutcome throttled(RouteChange change, String action, String error, Duration took) {
        return new RouteWriteOutcome(change.tableId(), change.vip(), change.targetEni(), action, false,
                Optional.of(error), took, false, true, true);
    }

    /**
     * This outcome, taking {@code took} and saying it may have landed when an earlier send of it may have — even when
     * this one succeeded: the earlier, unanswered copy may still be applied later, so the lease is kept until it
     * expires and no successor writes while it can land (decision 25).
     */
    public RouteWriteOutcome after(Duration took, boolean earlierMayHaveLanded) {
        boolean landed = mayHaveLanded || earlierMayHaveLanded;
        return new RouteWriteOutcome(tableId, vip, targetEni, action, succeeded, error, took, landed,
                sent || earlierMayHaveLanded, throttled && !landed);
    }

    /** The call ended without an answer from EC2: the change may or may not be applied. */
    public static RouteWriteOutcome unknown(RouteChange change, String action, String error, Duration took) {
        return new RouteWriteOutcome(change.tableId(), change.vip(), change.targetEni(), action, false,
                Optional.of(error), took, true);
    }
}
