package io.vipflip.policy;

import io.vipflip.route.RouteWriteOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The per-table repair back-off after a run's writes: a refused write enters or extends it, a success ends it. */
final class RepairBackoff {
    private RepairBackoff() {
    }

    /**
     * @param tables  the back-off after the run
     * @param changed whether a table entered or left it
     * @param note    those changes in words (empty when none)
     */
    record Change(Map<String, TableBackoff> tables, boolean changed, String note) {
    }

    static Change after(Map<String, TableBackoff> before, Decision decision, List<RouteWriteOutcome> writes,
                        Instant now) {
        Map<String, TableBackoff> tables = new TreeMap<>(before);
        List<String> entered = new ArrayList<>();
        List<String> left = new ArrayList<>();
        if (decision instanceof Decision.BackoffEnded ended) {
            ended.tables().forEach(t -> {
                if (tables.remove(t) != null) {
                    left.add(t);
                }
            });
        }
        for (RouteWriteOutcome write : writes) {
            Optional<TableBackoff> previous = Optional.ofNullable(tables.get(write.tableId()));
            if (write.succeeded()) {
                previous.ifPresent(p -> {
                    tables.remove(write.tableId());
                    left.add(write.tableId());
                });
            } else if (write.sent() && !write.mayHaveLanded() && !write.throttled()) {
                // Only a definite refusal (a 4xx: AccessDenied, another VPC, a route quota) backs off: throttling
                // (RequestLimitExceeded, a 503) and server errors are transient, a write that may have landed keeps the lease anyway, and one
                // never sent (the lease's write window had ended) was never refused by EC2.
                TableBackoff next = TableBackoff.after(previous, now, write.error().orElse("failed"));
                tables.put(write.tableId(), next);
                if (previous.isEmpty()) {
                    entered.add(write.tableId() + " until " + next.retryAt() + " (" + next.error() + ")");
                }
            }
        }
        List<String> parts = new ArrayList<>();
        if (!entered.isEmpty()) {
            parts.add("repair back-off entered: " + String.join(", ", entered));
        }
        if (!left.isEmpty()) {
            parts.add("repair back-off left: " + String.join(", ", left));
        }
        return new Change(tables, !entered.isEmpty() || !left.isEmpty(), String.join("; ", parts));
    }
}
