package io.vipflip.route;

import java.time.Duration;
import java.util.Optional;

/**
 * What happened to one route write.
 *
 * @param action the EC2 action that finally ran (ReplaceRoute or CreateRoute, after any fallback)
 * @param error  EC2's error code and message when the write failed; the table is left for the next run
 */
public record RouteWriteOutcome(String tableId, String vip, String targetEni, String action, boolean succeeded,
                                Optional<String> error, Duration took) {

    public static RouteWriteOutcome ok(RouteChange change, String action, Duration took) {
        return new RouteWriteOutcome(change.tableId(), change.vip(), change.targetEni(), action, true,
                Optional.empty(), took);
    }

    public static RouteWriteOutcome failed(RouteChange change, String action, String error, Duration took) {
        return new RouteWriteOutcome(change.tableId(), change.vip(), change.targetEni(), action, false,
                Optional.of(error), took);
    }
}
